"""/api/v1/scores/: the outcome calculators as JSON (`POST /api/v1/scores/<scale>/`), and the
stored scores of the patients you may see (`GET /api/v1/scores/?patient=<id>`).

The calculator endpoint reads no record and stores nothing, like the screening endpoint
(`care.api.views.ScreeningEvaluateView`), whose posture it keeps: the API's default
authentication and staff permission, no throttle of its own. Each scale is its own operation in
the schema, with its own request and result; a scale that does not exist answers 404."""

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from mesoclinic.aftercare import scales, selectors
from mesoclinic.aftercare.api.score_serializers import (
    HELP,
    REQUESTS,
    RESULTS,
    OutcomeScoreSerializer,
)
from mesoclinic.aftercare.models import OutcomeScore
from mesoclinic.clinics import scoping
from mesoclinic.restapi.params import id_filter, id_parameter
from mesoclinic.restapi.parsers import SafeJSONParser
from mesoclinic.restapi.views import AuditedListMixin, AuditedReadMixin, ReadOnlyViewSet

FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description='Field errors keyed by dotted path, e.g. {"forehead.area": ["…"]}; every bad '
    "field at once.",
)


def as_number(value: Decimal | int) -> float | int:
    """A score as a JSON number (a Decimal would be a string in DRF's serializers)."""
    return value if isinstance(value, int) else float(value)


class ScoreView(APIView):
    """Compute one scale's score and band from its inputs. Nothing is stored."""

    scale: str | None = None
    # The bodies are nested objects: JSON only (a form encoding cannot say them).
    parser_classes = [SafeJSONParser]

    def post(self, request, scale=None):
        scale = self.scale or scale
        if scale not in scales.SCALES:
            raise NotFound(f"Unknown scale; use one of: {', '.join(scales.SCALES)}.")
        try:
            result = scales.score(scale, request.data)
        except scales.InvalidInput as refused:
            raise ValidationError({k: [v] for k, v in refused.errors.items()}) from refused
        return Response({"score": as_number(result.score), "band": result.band})


def _title(scale: str) -> str:
    return REQUESTS[scale].__name__


def _documented(scale: str) -> type[ScoreView]:
    """ScoreView for one scale, with that scale's request and result in the schema (on a
    function of its own: extend_schema marks the function it decorates)."""

    def post(self, request):
        return ScoreView.post(self, request)

    post = extend_schema(
        operation_id=f"scores_{scale}",
        summary=f"Compute {scale}",
        description=HELP[scale],
        request=REQUESTS[scale],
        responses={200: RESULTS[scale], 400: FIELD_ERRORS},
        tags=["scores"],
    )(post)
    return type(f"{_title(scale)}View", (ScoreView,), {"scale": scale, "post": post})


SCALE_VIEWS = {scale: _documented(scale) for scale in scales.SCALES}


@extend_schema(exclude=True)
class UnknownScaleView(ScoreView):
    """Any other /scores/<name>/: 404 naming the scales there are (a POST), or no such stored
    score (a GET: a stored score's id is a number)."""

    def get(self, request, scale=None):
        raise NotFound("No such score.")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            id_parameter("patient", "Only this patient's (id)"),
            id_parameter("course", "Only this course's (id)"),
        ],
        tags=["scores"],
    ),
    retrieve=extend_schema(tags=["scores"]),
)
class OutcomeScoreViewSet(AuditedReadMixin, AuditedListMixin, ReadOnlyViewSet):
    """Stored outcome scores of the patients you may see (clinicians, managers, administrators),
    newest first, each with its inputs and who scored; each read is audited."""

    serializer_class = OutcomeScoreSerializer
    queryset = OutcomeScore.objects.none()
    lookup_value_regex = "[0-9]+"

    def scoped_queryset(self, user):
        if not scoping.reaches(user, scoping.Kind.CLINICAL):
            raise PermissionDenied("Your role does not read outcome scores.")
        found = OutcomeScore.objects.for_user(user).order_by("-id")
        patient = id_filter(self.request, "patient", what="patient")
        if patient is not None:
            found = selectors.scores_of_patient(user, patient)
        course = id_filter(self.request, "course", what="course")
        if course is not None:
            found = found.filter(course_id=course)
        return found
