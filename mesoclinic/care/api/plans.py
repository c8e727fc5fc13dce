"""/api/v1/courses/ and /api/v1/sessions/: plans and charted sessions, read; a session created
through the same gate and service as the page. A gate refusal answers 409 with every failing
condition; impossible values answer 400 with field errors."""

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from mesoclinic.audit.services import Action, record_event
from mesoclinic.care import access, gate, zones
from mesoclinic.care.api.booking import CourseBookingMixin
from mesoclinic.care.models import Course, SessionProduct, TreatmentSession
from mesoclinic.care.services import sessions
from mesoclinic.clinics import scoping
from mesoclinic.core.text import MAX_DATABASE_ID
from mesoclinic.formulary import lot_words
from mesoclinic.formulary.models import Lot, ProtocolVersion
from mesoclinic.restapi.params import id_filter, id_parameter
from mesoclinic.restapi.views import (
    AuditedListMixin,
    AuditedReadMixin,
    ReadOnlyViewSet,
    ScopedViewSetMixin,
)


class CourseSerializer(serializers.ModelSerializer):
    components = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "id",
            "patient",
            "clinic",
            "protocol_version",
            "indication",
            "sessions_planned",
            "interval_days",
            "maintenance_days",
            "start_date",
            "session_dates",
            "maintenance_due",
            "status",
            "components",
            "entered_at",
        ]

    def get_components(self, course) -> list[dict]:
        return [
            {
                "protocol_component": c.protocol_component_id,
                "volume_per_session": str(c.volume_per_session),
                "points": c.points,
                "override": c.override_id,
            }
            for c in course.components.all()
        ]


class SessionProductSerializer(serializers.ModelSerializer):
    lot_number = serializers.CharField(source="lot.lot_number", read_only=True)

    class Meta:
        model = SessionProduct
        fields = ["lot", "lot_number", "volume", "zones", "movement"]


class SessionSerializer(serializers.ModelSerializer):
    products = SessionProductSerializer(many=True, read_only=True)

    class Meta:
        model = TreatmentSession
        fields = [
            "id",
            "course",
            "number",
            "patient",
            "clinic",
            "practitioner",
            "started_at",
            "ended_at",
            "entered_at",
            "technique",
            "depth",
            "needle",
            "numbing_cream",
            "points",
            "reactions",
            "override_reason",
            "products",
            "gate",
        ]


class LineSerializer(serializers.Serializer):
    # An id here; the course's clinic's lot in `SessionCreateSerializer.validate`.
    # (The largest id the database holds: a larger one would overflow the query, a 500.)
    lot = serializers.IntegerField(
        min_value=1, max_value=MAX_DATABASE_ID, help_text="A lot of the course's clinic."
    )
    volume = serializers.DecimalField(max_digits=6, decimal_places=2)
    zones = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted({z for m in zones.MAPS.values() for z in m}))
    )


class SessionCreateSerializer(serializers.Serializer):
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.none())
    lines = LineSerializer(many=True)
    points = serializers.IntegerField(min_value=1, max_value=sessions.MAX_POINTS)
    technique = serializers.ChoiceField(choices=ProtocolVersion.Technique.choices)
    depth = serializers.CharField(max_length=80)
    needle = serializers.CharField(max_length=80)
    numbing_cream = serializers.BooleanField(default=False)
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField()
    reactions = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    pregnant_today = serializers.BooleanField(
        allow_null=True, help_text="Asked today; null when not asked (the gate then refuses)."
    )
    breastfeeding_today = serializers.BooleanField(allow_null=True)
    override_reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="A credentialed dermatologist's clinical reason to chart before the "
        "protocol's interval, above the plan's volume or above a protocol limit (recorded, "
        "audited). A second session of a course on the same day is never allowed.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["course"].queryset = Course.objects.for_user(user)

    def validate(self, attrs):
        """Each line's lot, among the course's clinic's lots (one query). An id that is missing
        or another clinic's is refused alike, saying nothing about that lot; a lot that is
        recalled, expired or short is the gate's to refuse (409, naming why)."""
        course, lines = attrs["course"], attrs["lines"]
        found = Lot.objects.filter(
            clinic_id=course.clinic_id, pk__in={line["lot"] for line in lines}
        ).select_related("product")
        lots = {lot.pk: lot for lot in found}
        unknown = {"lot": [lot_words.not_this_clinics()]}
        errors = [{} if line["lot"] in lots else unknown for line in lines]
        if any(errors):
            raise serializers.ValidationError({"lines": errors})
        for line in lines:
            line["lot"] = lots[line["lot"]]
        return attrs


class FailureSerializer(serializers.Serializer):
    condition = serializers.ChoiceField(choices=[c.value for c in gate.Condition])
    detail = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()


class GateRefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    failures = FailureSerializer(many=True)


@extend_schema_view(
    list=extend_schema(parameters=[id_parameter("patient", "Only this patient's (id)")])
)
class CourseViewSet(CourseBookingMixin, AuditedReadMixin, AuditedListMixin, ReadOnlyViewSet):
    """Treatment plans of the patients you may see (clinicians, managers, administrators);
    each read is audited. `book` books the whole course (receptionists too)."""

    serializer_class = CourseSerializer
    queryset = Course.objects.none()

    def scoped_queryset(self, user):
        if not scoping.reaches(user, scoping.Kind.CLINICAL):
            raise PermissionDenied("Your role does not read treatment plans.")
        courses = Course.objects.for_user(user).prefetch_related("components").order_by("-id")
        patient = id_filter(self.request, "patient", what="patient")
        if patient is not None:
            courses = courses.filter(patient_id=patient)
        return courses


@extend_schema_view(
    list=extend_schema(parameters=[id_parameter("course", "Only this course's (id)")])
)
class SessionViewSet(
    AuditedReadMixin,
    AuditedListMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Charted sessions with their lots and volumes. POST charts one through the safety gate:
    201 with the session, 409 with every failing condition, 400 for impossible values."""

    serializer_class = SessionSerializer
    queryset = TreatmentSession.objects.none()
    renderer_classes = [JSONRenderer]

    def scoped_queryset(self, user):
        if not scoping.reaches(user, scoping.Kind.CLINICAL):
            raise PermissionDenied("Your role does not read sessions.")
        found = (
            TreatmentSession.objects.for_user(user)
            .prefetch_related("products__lot")
            .order_by("-id")
        )
        course = id_filter(self.request, "course", what="course")
        if course is not None:
            found = found.filter(course_id=course)
        return found

    @extend_schema(
        request=SessionCreateSerializer,
        responses={
            201: SessionSerializer,
            409: OpenApiResponse(GateRefusalSerializer, description="The safety gate refused."),
        },
    )
    def create(self, request, *args, **kwargs):
        if not access.can_record_clinical(request.user):
            raise PermissionDenied("Your role does not chart sessions.")
        incoming = SessionCreateSerializer(data=request.data, user=request.user)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            session = sessions.record_session(
                acting_user=request.user,
                via=self.via,
                course=data["course"],
                data=sessions.SessionInput.from_mapping(
                    data,
                    [
                        sessions.Line(lot=line["lot"], volume=line["volume"], zones=line["zones"])
                        for line in data["lines"]
                    ],
                ),
            )
        except sessions.GateRefused as refused:
            # The refusal shows the patient's clinical facts: that read is audited too.
            record_event(
                actor=request.user,
                action=Action.VIEW,
                via=self.via,
                instance=data["course"],
                detail={"gate_refused": [f.condition.value for f in refused.failures]},
            )
            body = {
                "detail": "The safety gate refused this session; nothing was recorded.",
                "failures": [
                    {
                        "condition": failure.condition.value,
                        "detail": list(failure.detail),
                        "message": sessions.gate_message(failure, refused.lots),
                    }
                    for failure in refused.failures
                ],
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)
