"""/api/v1/adverse-events/ (the register, filtered as on the page) and /api/v1/check-ins/
(a patient's follow-ups, `?patient=<id>`): read-only, scoped by `for_user` through the API base
(`restapi.views`), each list and read audited. A role that reads no clinical records (a
receptionist) gets 403; another clinic's row is a 404."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import PermissionDenied, ValidationError

from mesoclinic.aftercare.api.serializers import AdverseEventSerializer, CheckInSerializer
from mesoclinic.aftercare.clinic_reads import RegisterFilters, events_for_user
from mesoclinic.aftercare.models import CheckIn, SideEffect
from mesoclinic.care.models import AdverseEvent
from mesoclinic.clinics import scoping
from mesoclinic.restapi.params import id_filter, id_parameter
from mesoclinic.restapi.views import AuditedListMixin, AuditedReadMixin, ReadOnlyViewSet

GRADES = {"1", "2", "3", "4", "5"}


def _clinical_only(user, what: str) -> None:
    if not scoping.reaches(user, scoping.Kind.CLINICAL):
        raise PermissionDenied(f"Your role does not read {what}.")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            id_parameter("clinic", "Only this clinic's events (id)"),
            OpenApiParameter(
                "grade", {"type": "integer", "minimum": 1, "maximum": 5}, description="CTCAE grade"
            ),
            id_parameter("lot", "Only events after a session that used this lot (id)"),
            id_parameter("product", "Only events after a session that used this product (id)"),
            OpenApiParameter(
                "status",
                {"type": "string", "enum": AdverseEvent.Status.values},
                description="open or closed",
            ),
        ]
    )
)
class AdverseEventViewSet(AuditedReadMixin, AuditedListMixin, ReadOnlyViewSet):
    """The adverse-event register of the clinics you read, newest first (cursor pages): the
    triggers, effects, highest CTCAE grade, the session's lots and how it ended."""

    serializer_class = AdverseEventSerializer
    queryset = AdverseEvent.objects.none()

    def scoped_queryset(self, user):
        _clinical_only(user, "adverse events")
        if self.action != "list":
            return events_for_user(user, clinic_id=None, filters=RegisterFilters())
        params = self.request.query_params
        grade = params.get("grade")
        if grade is not None and grade not in GRADES:
            raise ValidationError({"grade": ["A CTCAE grade from 1 to 5."]})
        status = params.get("status")
        if status is not None and status not in AdverseEvent.Status.values:
            raise ValidationError({"status": ["open or closed."]})
        filters = RegisterFilters(
            grade=int(grade) if grade else None,
            lot=id_filter(self.request, "lot", what="lot"),
            product=id_filter(self.request, "product", what="product"),
            status=status or "",
        )
        clinic = id_filter(self.request, "clinic", what="clinic")
        return events_for_user(user, clinic_id=clinic, filters=filters)


@extend_schema_view(
    list=extend_schema(parameters=[id_parameter("patient", "Only this patient's (id)")])
)
class CheckInViewSet(AuditedReadMixin, AuditedListMixin, ReadOnlyViewSet):
    """Follow-up check-ins with the effects they reported (`?patient=<id>` for one patient's),
    newest first (cursor pages)."""

    serializer_class = CheckInSerializer
    queryset = CheckIn.objects.none()

    def scoped_queryset(self, user):
        _clinical_only(user, "check-ins")
        found = (
            CheckIn.objects.for_user(user)
            .prefetch_related(Prefetch("effects", SideEffect.objects.order_by("id")))
            .order_by("-id")
        )
        if self.action == "list":
            patient = id_filter(self.request, "patient", what="patient")
            if patient is not None:
                found = found.filter(patient_id=patient)  # checkin_patient_idx
        return found
