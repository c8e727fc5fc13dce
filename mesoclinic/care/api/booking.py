"""POST /api/v1/courses/<id>/book/: the whole course booked in one action, as on the page.

201 with every appointment booked; 409 when any occurrence does not fit, naming each with its
nearest free alternatives (nothing is booked); 404 for a course outside the user's schedule.
Receptionists may book (the schedule reaches them); they get the dates, never the plan.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from mesoclinic.appointments.api.serializers import SlotSerializer
from mesoclinic.appointments.facts import eligible_practitioners
from mesoclinic.appointments.selectors import type_of
from mesoclinic.appointments.services import BookingRefused
from mesoclinic.audit.services import Interface
from mesoclinic.care.models import Course
from mesoclinic.care.services import booking
from mesoclinic.clinics import scoping
from mesoclinic.core.text import MAX_DATABASE_ID


class PickedStartSerializer(serializers.Serializer):
    index = serializers.IntegerField(min_value=0, max_value=100)
    start = serializers.DateTimeField()


class CourseBookingSerializer(serializers.Serializer):
    first_start = serializers.DateTimeField(
        help_text="The first session's start; the others follow the plan at its time of day."
    )
    practitioner = serializers.IntegerField(
        min_value=1,
        max_value=MAX_DATABASE_ID,
        required=False,
        allow_null=True,
        help_text="A practitioner who may take sessions at the clinic; empty: any who is free.",
    )
    starts = PickedStartSerializer(
        many=True,
        required=False,
        help_text="Starts replacing single occurrences (by their index in the proposal), e.g. "
        "an alternative offered by a refusal.",
    )


class BookedAppointmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    type = serializers.CharField(source="type.code")
    start = serializers.DateTimeField(source="starts_at")
    end = serializers.DateTimeField(source="ends_at")
    practitioner = serializers.IntegerField(source="practitioner_id", allow_null=True)
    room = serializers.IntegerField(source="room_id", allow_null=True)
    status = serializers.CharField()


class BookedCourseSerializer(serializers.Serializer):
    series = serializers.IntegerField()
    course = serializers.IntegerField()
    appointments = BookedAppointmentSerializer(many=True)


class CourseRefusalSerializer(serializers.Serializer):
    occurrence = serializers.CharField(help_text="Its label and date, e.g. 'Session 3 of 5 (…)'.")
    code = serializers.CharField()
    resource = serializers.CharField()
    message = serializers.CharField()
    start = serializers.DateTimeField(allow_null=True)
    end = serializers.DateTimeField(allow_null=True)
    alternatives = SlotSerializer(many=True)  # the same free slot as /api/v1/slots/


class CourseRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    refusals = CourseRefusalSerializer(many=True)


def refused_body(exc: BookingRefused) -> dict:
    return {
        "detail": "The course was not booked: nothing is held until every occurrence fits.",
        "refusals": CourseRefusalSerializer(exc.refusals, many=True).data,
    }


class CourseBookingMixin:
    """The `book` action of the courses endpoint. Its own scope (the schedule, which
    receptionists reach), not the viewset's clinical one."""

    @extend_schema(
        request=CourseBookingSerializer,
        responses={
            201: BookedCourseSerializer,
            409: OpenApiResponse(
                CourseRefusedSerializer,
                description="An occurrence does not fit: each named with free alternatives.",
            ),
            404: OpenApiResponse(description="No such course in your schedule."),
        },
    )
    @action(detail=True, methods=["post"], url_path="book")
    def book(self, request, pk=None):
        """Book the whole course (its patch-test reading, every session to come and the
        maintenance visit) in one action, or nothing."""
        user = request.user
        if not scoping.reaches(user, scoping.Kind.SCHEDULE):
            raise PermissionDenied("Your role does not book appointments.")
        course = (
            Course.objects.for_schedule(user)
            .select_related("patient", "clinic", "protocol_version")
            .filter(pk=pk if str(pk).isdigit() and int(pk) <= MAX_DATABASE_ID else None)
            .first()
        )
        if course is None:
            raise scoping.denied(user, Course, pk, via=Interface.API)
        incoming = CourseBookingSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        practitioner = None
        if data.get("practitioner"):
            session = type_of(course.clinic_id, "session")
            day = timezone.localtime(data["first_start"]).date()
            practitioner = (
                eligible_practitioners(session, on=day).filter(pk=data["practitioner"]).first()
                if session
                else None
            )
            if practitioner is None:
                raise serializers.ValidationError(
                    {"practitioner": ["Not a practitioner who may take sessions at this clinic."]}
                )
        try:
            series = booking.book_course(
                acting_user=user,
                course=course,
                first_start=data["first_start"],
                practitioner=practitioner,
                starts={p["index"]: p["start"] for p in data.get("starts", ())},
                via=Interface.API,
            )
        except BookingRefused as refused:
            return Response(refused_body(refused), status=status.HTTP_409_CONFLICT)
        rows = series.appointments.select_related("type").order_by("starts_at", "id")
        body = {"series": series.pk, "course": course.pk, "appointments": rows}
        return Response(BookedCourseSerializer(body).data, status=status.HTTP_201_CREATED)
