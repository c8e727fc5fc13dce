"""The appointment book as JSON: an appointment, a free slot, the requests that book, move and
cancel, and the refusal bodies (409 for a taken time, 400 for one that can never be booked).

Ids come in as bounded integers and are resolved in the view against what the user may see:
a foreign key field would let a client's huge id overflow the query (a 500 on SQLite) and
would answer "invalid pk" for another clinic's row, telling it exists.
"""

from rest_framework import serializers

from mesoclinic.appointments.models import Appointment, AppointmentType
from mesoclinic.core.text import MAX_DATABASE_ID


def _id_field(help_text: str, *, required: bool = True):
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_DATABASE_ID,
        required=required,
        allow_null=not required,
        help_text=help_text,
    )


class AppointmentSerializer(serializers.ModelSerializer):
    """An appointment as the book holds it: ids of the patient (or the visitor's enquiry),
    practitioner and room; times in UTC (ISO 8601); no name and nothing clinical."""

    type = serializers.CharField(source="type.code", read_only=True)
    start = serializers.DateTimeField(source="starts_at", read_only=True)
    end = serializers.DateTimeField(source="ends_at", read_only=True)
    practitioner_name = serializers.SerializerMethodField()
    room_name = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "clinic",
            "type",
            "patient",
            "enquiry",
            "practitioner",
            "practitioner_name",
            "room",
            "room_name",
            "start",
            "end",
            "status",
            "label",
            "series",
            "version",
            "booked_at",
            "status_changed_at",
            "cancel_reason",
        ]
        read_only_fields = fields

    def get_practitioner_name(self, appointment) -> str:
        practitioner = appointment.practitioner
        if practitioner is None:
            return ""
        return practitioner.user.get_full_name() or practitioner.user.username

    def get_room_name(self, appointment) -> str:
        return appointment.room.name if appointment.room is not None else ""


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    practitioner = serializers.IntegerField(allow_null=True)
    room = serializers.IntegerField(allow_null=True)


class SlotListSerializer(serializers.Serializer):
    slots = SlotSerializer(many=True)
    truncated = serializers.BooleanField(
        help_text="More slots are free than shown: narrow the range or name a practitioner."
    )


class BookSerializer(serializers.Serializer):
    patient = _id_field("A patient of a clinic you work at.")
    clinic = serializers.CharField(max_length=80, help_text="The clinic's slug (or its id).")
    type = serializers.ChoiceField(choices=AppointmentType.Code.choices)
    start = serializers.DateTimeField(help_text="With its time zone; Asia/Karachi if none.")
    practitioner = _id_field("Who takes it; the first free one who may if empty.", required=False)
    room = _id_field("Which room or chair; the first free one if empty.", required=False)


class RescheduleSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="With its time zone; Asia/Karachi if none.")
    practitioner = _id_field("Another practitioner; the same one if empty.", required=False)
    room = _id_field("Another room; the first free one if empty.", required=False)
    shift_following = serializers.BooleanField(
        default=False,
        help_text="For a course's visit: move the following visits with it, keeping their "
        "intervals (all or nothing).",
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class RefusalSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="clash, past, outside_hours, closure, break, leave, credential, "
        "uncredentialed, not_member, qualification, no_practitioner, no_room, status, ..."
    )
    resource = serializers.CharField(help_text="practitioner, room, patient or clinic")
    message = serializers.CharField()
    start = serializers.DateTimeField(allow_null=True, help_text="The time it clashes with.")
    end = serializers.DateTimeField(allow_null=True)


class BookingRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    refusals = RefusalSerializer(many=True)
