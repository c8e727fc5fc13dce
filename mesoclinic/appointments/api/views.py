"""/api/v1/slots/ and /api/v1/appointments/: free slots, the book, and booking, moving,
cancelling, checking in, no-shows and completing, through the same selectors and services as
the staff pages.

A refusal is a `BookingRefused` from the services, answered with every reason: 409 when the
time is taken (naming the resource and the time it clashes with), 400 when it can never be
booked (the past, outside hours, leave, a closure, an uncredentialed practitioner). A clinic,
patient or appointment outside the user's scope is not found; a role that never reads the
schedule gets 403.
"""

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from mesoclinic.appointments import facts, selectors, series_booking, services
from mesoclinic.appointments.api.serializers import (
    AppointmentSerializer,
    BookingRefusedSerializer,
    BookSerializer,
    CancelSerializer,
    RescheduleSerializer,
    SlotListSerializer,
)
from mesoclinic.appointments.models import Appointment, AppointmentType
from mesoclinic.audit.services import Interface
from mesoclinic.clinics import scoping
from mesoclinic.clinics.models import Clinic, Practitioner, Room
from mesoclinic.patients.models import Patient
from mesoclinic.restapi.params import as_database_id, id_filter, id_parameter
from mesoclinic.restapi.schema import FIELD_ERRORS
from mesoclinic.restapi.views import AuditedListMixin, AuditedReadMixin, ScopedViewSetMixin

#: The most slots one answer holds (a month of a busy clinic is a few thousand).
SLOT_LIMIT = 1000


def _require_schedule(user) -> None:
    if not scoping.reaches(user, scoping.Kind.SCHEDULE):
        raise PermissionDenied("Your role does not read the appointment book.")


def _clinic(user, value: str) -> Clinic | None:
    """The active clinic named by `value` (its slug, or its id), if the user reaches its book."""
    clinics = scoping.restrict(
        Clinic.objects.filter(is_active=True), user, scoping.Kind.SCHEDULE, clinic="pk"
    )
    number = as_database_id(value)
    return clinics.filter(pk=number).first() if number else clinics.filter(slug=value).first()


def _date(request, name: str) -> date | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        parsed = parse_date(raw)
    except ValueError:
        parsed = None
    if parsed is None or abs(parsed - timezone.localdate()) > facts.REACH:
        raise ValidationError({name: ["Give a date as YYYY-MM-DD, within two years of today."]})
    return parsed


def _filter_date(request, name: str) -> date | None:
    """A list filter's date: any real date (the book keeps its history), else 400."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        parsed = parse_date(raw)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError({name: ["Give a date as YYYY-MM-DD."]})
    return parsed


def _midnight(day: date, *, days_after: int = 0) -> datetime | None:
    """The instant a Karachi date (plus `days_after`) starts, or None at the ends of the
    calendar (year 1, year 9999), where there is no such instant to compare with: a filter
    from the first day or to the last one leaves nothing out."""
    try:
        return facts.local_midnight(day + timedelta(days=days_after)).astimezone(UTC)
    except OverflowError:
        return None


def _within_reach(start: datetime, field: str = "start") -> None:
    if abs(start - timezone.now()) > facts.REACH:
        raise ValidationError({field: ["Give a time within two years of today."]})


#: Times in answers as everywhere in the API: ISO 8601 in Karachi's offset.
_moment = serializers.DateTimeField()


def refused_response(refused: services.BookingRefused) -> Response:
    """Every reason the services gave: 409 for a taken time, 400 for one never bookable."""
    body = {
        "detail": (
            "That time is taken; nothing was booked."
            if refused.clash
            else "That cannot be booked; nothing was changed."
        ),
        "refusals": [
            {
                "code": r.code,
                "resource": r.resource,
                "message": r.message,
                "start": _moment.to_representation(r.start) if r.start else None,
                "end": _moment.to_representation(r.end) if r.end else None,
            }
            for r in refused.refusals
        ],
    }
    return Response(
        body, status=status.HTTP_409_CONFLICT if refused.clash else status.HTTP_400_BAD_REQUEST
    )


REFUSALS = {
    400: OpenApiResponse(
        # Either body: the refusal (the 409's component) or the field errors every 400 may be.
        {
            "anyOf": [
                {"$ref": "#/components/schemas/BookingRefused"},
                {"$ref": f"#/components/schemas/{FIELD_ERRORS}"},
            ]
        },
        description="Never bookable (past, outside hours, leave, closure, uncredentialed), "
        "or field errors.",
    ),
    409: OpenApiResponse(
        BookingRefusedSerializer, description="The time is taken: the clash and its time."
    ),
}


class SlotsView(APIView):
    """Free slots of one appointment type at one clinic over a range of local dates (at most
    `selectors.MAX_SEARCH_DAYS`), with one practitioner or any who may take the type."""

    via = Interface.API

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "clinic",
                {"type": "string", "minLength": 1},
                required=True,
                description="Clinic slug (or id)",
            ),
            OpenApiParameter(
                "type",
                OpenApiTypes.STR,
                required=True,
                enum=list(AppointmentType.Code.values),
                description="Appointment type",
            ),
            OpenApiParameter(
                "from", OpenApiTypes.DATE, required=True, description="First day (Karachi)"
            ),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, required=True, description="Last day (Karachi)"
            ),
            id_parameter("practitioner", "Only this practitioner's slots (id)"),
        ],
        responses={200: SlotListSerializer},
    )
    def get(self, request):
        _require_schedule(request.user)
        params = request.query_params
        missing = [n for n in ("clinic", "type", "from", "to") if not params.get(n)]
        if missing:
            raise ValidationError({name: ["This parameter is required."] for name in missing})
        first, last = _date(request, "from"), _date(request, "to")
        practitioner_id = id_filter(request, "practitioner", what="practitioner")
        clinic = _clinic(request.user, params["clinic"])
        if clinic is None:
            raise NotFound("No clinic you work at has that name.")
        code = params["type"]
        appointment_type = (
            selectors.type_of(clinic.pk, code) if code in AppointmentType.Code.values else None
        )
        if appointment_type is None:
            raise ValidationError(
                {"type": [f"This clinic books: {', '.join(AppointmentType.Code.values)}."]}
            )
        practitioner = None
        if practitioner_id is not None:
            practitioner = Practitioner.objects.filter(pk=practitioner_id).first()
            if practitioner is None:
                return Response({"slots": [], "truncated": False})
        found = selectors.find_slots(
            appointment_type=appointment_type,
            first=first,
            last=last,
            practitioner=practitioner,
            limit=SLOT_LIMIT + 1,
        )
        body = {"slots": found[:SLOT_LIMIT], "truncated": len(found) > SLOT_LIMIT}
        return Response(SlotListSerializer(body).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            id_parameter("clinic", "Only this clinic's (id)"),
            id_parameter("practitioner", "Only this practitioner's (id)"),
            id_parameter("patient", "Only this patient's (id)"),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Starting on or after"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Starting on or before"),
        ]
    ),
    create=extend_schema(
        request=BookSerializer, responses={201: AppointmentSerializer, **REFUSALS}
    ),
)
class AppointmentViewSet(
    AuditedReadMixin,
    AuditedListMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Appointments at the clinics you work at (every clinic for administrators), newest
    first; each list page and each read is audited. POST books one (201), or answers 409 with
    the clash or 400 with why the time can never be booked."""

    serializer_class = AppointmentSerializer
    queryset = Appointment.objects.none()
    lookup_value_regex = "[0-9]+"

    def scoped_queryset(self, user):
        _require_schedule(user)
        rows = (
            selectors.appointments_for_user(user)
            .select_related("type", "practitioner__user", "room")
            .order_by("-id")
        )
        for name in ("clinic", "practitioner", "patient"):
            value = id_filter(self.request, name, what=name)
            if value is not None:
                rows = rows.filter(**{f"{name}_id": value})
        first, last = _filter_date(self.request, "from"), _filter_date(self.request, "to")
        if first is not None and (since := _midnight(first)) is not None:
            rows = rows.filter(starts_at__gte=since)
        if last is not None and (until := _midnight(last, days_after=1)) is not None:
            rows = rows.filter(starts_at__lt=until)
        return rows

    def get_object(self):
        _require_schedule(self.request.user)
        pk = as_database_id(self.kwargs["pk"])
        if pk is None:
            raise scoping.denied(self.request.user, Appointment, self.kwargs["pk"], via=self.via)
        return selectors.get_appointment_for_user(self.request.user, pk, via=self.via)

    def _practitioner(self, clinic_id: int, pk, field="practitioner") -> Practitioner | None:
        if pk is None:
            return None
        found = (
            Practitioner.objects.filter(pk=pk, user__memberships__clinic_id=clinic_id)
            .select_related("user")
            .first()
        )
        if found is None:
            raise ValidationError({field: ["No practitioner of this clinic has that id."]})
        return found

    def _room(self, clinic_id: int, pk) -> Room | None:
        if pk is None:
            return None
        found = Room.objects.filter(pk=pk, clinic_id=clinic_id).first()
        if found is None:
            raise ValidationError({"room": ["No room of this clinic has that id."]})
        return found

    def create(self, request, *args, **kwargs):
        _require_schedule(request.user)
        incoming = BookSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        _within_reach(data["start"])
        clinic = _clinic(request.user, data["clinic"])
        if clinic is None:
            raise ValidationError({"clinic": ["No clinic you work at has that name."]})
        patient = Patient.objects.for_user(request.user).filter(pk=data["patient"]).first()
        if patient is None:
            raise ValidationError({"patient": ["No patient you may see has that id."]})
        appointment_type = selectors.type_of(clinic.pk, data["type"])
        if appointment_type is None:
            raise ValidationError({"type": ["This clinic does not book that type."]})
        try:
            appointment = services.book(
                acting_user=request.user,
                clinic=clinic,
                appointment_type=appointment_type,
                start=data["start"],
                patient=patient,
                practitioner=self._practitioner(clinic.pk, data.get("practitioner")),
                room=self._room(clinic.pk, data.get("room")),
                via=self.via,
            )
        except services.BookingRefused as refused:
            return refused_response(refused)
        return Response(self._fresh(appointment), status=status.HTTP_201_CREATED)

    def _fresh(self, appointment) -> dict:
        """The appointment as saved, read again with what the answer shows (one query)."""
        row = Appointment.objects.select_related("type", "practitioner__user", "room").get(
            pk=appointment.pk
        )
        return AppointmentSerializer(row).data

    @extend_schema(request=RescheduleSerializer, responses={200: AppointmentSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        """Move it to `start` (the same practitioner unless another is named); its reminders
        are replaced."""
        appointment = self.get_object()
        incoming = RescheduleSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        _within_reach(data["start"])
        if data["shift_following"] and appointment.series_id:
            try:
                series_booking.move_in_series(
                    acting_user=request.user,
                    appointment=appointment,
                    start=data["start"],
                    shift_following=True,
                    via=self.via,
                )
            except services.BookingRefused as refused:
                return refused_response(refused)
            return Response(self._fresh(appointment))
        return self._change(
            services.reschedule,
            appointment,
            start=data["start"],
            practitioner=self._practitioner(appointment.clinic_id, data.get("practitioner")),
            room=self._room(appointment.clinic_id, data.get("room")),
        )

    @extend_schema(request=CancelSerializer, responses={200: AppointmentSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel it, with the reason; the time is freed and the patient told."""
        appointment = self.get_object()
        incoming = CancelSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return self._change(services.cancel, appointment, reason=incoming.validated_data["reason"])

    @extend_schema(request=None, responses={200: AppointmentSerializer, 400: REFUSALS[400]})
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        """The patient has arrived (on the appointment's day only)."""
        return self._change(services.check_in, self.get_object())

    @extend_schema(request=None, responses={200: AppointmentSerializer, 400: REFUSALS[400]})
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        """The patient did not come (once the appointment has started)."""
        return self._change(services.mark_no_show, self.get_object())

    @extend_schema(request=None, responses={200: AppointmentSerializer, 400: REFUSALS[400]})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """The visit happened."""
        return self._change(services.complete, self.get_object())

    def _change(self, service, appointment, **arguments) -> Response:
        try:
            changed = service(
                acting_user=self.request.user, appointment=appointment, via=self.via, **arguments
            )
        except services.BookingRefused as refused:
            return refused_response(refused)
        return Response(self._fresh(changed))
