"""/api/v1/: every domain registers its viewsets on one router; schema and docs served locally.

The schema and the docs are behind sign-in (issue 20): they map every operation and field, which
is a map for an attacker too. The schema answers like any other API view (401 anonymous, 403
without a staff role); the two docs pages send an anonymous visitor to the login page."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csp import csp_override
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from mesoclinic.aftercare.api.scores import SCALE_VIEWS, OutcomeScoreViewSet, UnknownScaleView
from mesoclinic.aftercare.api.views import AdverseEventViewSet, CheckInViewSet
from mesoclinic.appointments.api.views import AppointmentViewSet, SlotsView
from mesoclinic.care.api.plans import CourseViewSet, SessionViewSet
from mesoclinic.care.api.views import ScreeningEvaluateView
from mesoclinic.clinics.api.views import ClinicViewSet, PractitionerViewSet
from mesoclinic.formulary.api.views import (
    IngredientViewSet,
    LotViewSet,
    ProductViewSet,
    ProtocolViewSet,
    StockMovementViewSet,
)
from mesoclinic.patients.api.messages import MessageViewSet
from mesoclinic.patients.api.views import PatientViewSet
from mesoclinic.restapi.permissions import IsStaffMember
from mesoclinic.security.headers import redoc_policy


@csrf_exempt  # it reads and changes nothing, whatever the method
def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": "Not found."}, status=404)


def _staff_page(view):
    """The docs pages as the staff pages are: anonymous → login, no staff role → 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not IsStaffMember().has_permission(request, None):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


router = DefaultRouter()
router.register("clinics", ClinicViewSet, basename="clinic")
router.register("practitioners", PractitionerViewSet, basename="practitioner")
router.register("patients", PatientViewSet, basename="patient")
router.register("ingredients", IngredientViewSet, basename="ingredient")
router.register("products", ProductViewSet, basename="product")
router.register("lots", LotViewSet, basename="lot")
router.register("stock-movements", StockMovementViewSet, basename="stockmovement")
router.register("protocols", ProtocolViewSet, basename="protocol")
router.register("courses", CourseViewSet, basename="course")
router.register("sessions", SessionViewSet, basename="session")
router.register("messages", MessageViewSet, basename="message")
router.register("appointments", AppointmentViewSet, basename="appointment")
router.register("scores", OutcomeScoreViewSet, basename="outcomescore")
router.register("adverse-events", AdverseEventViewSet, basename="adverseevent")
router.register("check-ins", CheckInViewSet, basename="checkin")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsStaffMember]), name="schema"),
    path(
        "docs/",
        _staff_page(SpectacularSwaggerView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path(
        "redoc/",
        # Issue 20, csp: Redoc's bundle needs inline styles and a blob: worker (headers.py).
        csp_override(redoc_policy(settings.SECURE_CSP))(
            _staff_page(SpectacularRedocView.as_view(url_name="api:schema"))
        ),
        name="redoc",
    ),
    # The issue names it without a trailing slash; both work, POST is never redirected.
    re_path(r"^screening/evaluate/?$", ScreeningEvaluateView.as_view(), name="screening"),
    path("slots/", SlotsView.as_view(), name="slots"),
    # The calculators, one operation per scale (before the router: its ids are digits only).
    *[
        path(f"scores/{scale}/", view.as_view(), name=f"score-{scale}")
        for scale, view in SCALE_VIEWS.items()
    ],
    re_path(r"^scores/(?P<scale>[A-Za-z_-]+)/$", UnknownScaleView.as_view(), name="score-unknown"),
    path("", include(router.urls)),
    # Anything else under /api/v1/ ending in a slash (an id that is not one, a typo): a JSON
    # 404 as the API's own are, not the site's HTML page. Without the slash Django first
    # redirects to it, as for every API address.
    re_path(r"^[\s\S]*/$", not_found, name="not-found"),  # any character, a newline too
]
