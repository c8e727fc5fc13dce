"""/api/v1/messages/: the delivery log, read-only: what was sent to whom (the address masked),
when, by which channel, and what became of it; `?patient=<id>` gives one patient's. Scoped and
audited as the staff pages' log (`patients.selectors.messages_for_user`, Kind.PATIENT by the
sending clinic). The values a message was rendered from are never shown."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from mesoclinic.audit.services import Action, record_event
from mesoclinic.clinics import scoping
from mesoclinic.notifications.channels import mask
from mesoclinic.notifications.models import Message
from mesoclinic.patients import selectors
from mesoclinic.restapi.params import id_filter, id_parameter
from mesoclinic.restapi.views import AuditedListMixin, ReadOnlyViewSet


class MessageSerializer(serializers.ModelSerializer):
    patient = serializers.IntegerField(source="patient_id", read_only=True, allow_null=True)
    clinic = serializers.IntegerField(source="clinic_id", read_only=True, allow_null=True)
    to = serializers.SerializerMethodField(help_text="The address, all but its last 4 masked.")
    body = serializers.SerializerMethodField(
        help_text=(
            "The text as sent, for those who read the clinic's clinical records (it holds the "
            "signed aftercare and opt-out links); empty for other staff."
        )
    )
    reason = serializers.CharField(
        source="last_error",
        read_only=True,
        help_text="Why it failed or was cancelled, or the last attempt's fault while it retries.",
    )

    class Meta:
        model = Message
        fields = [
            "id",
            "patient",
            "clinic",
            "channel",
            "template",
            "language",
            "to",
            "status",
            "reason",
            "attempts",
            "due_at",
            "next_attempt_at",
            "sent_at",
            "delivered_at",
            "read_at",
            "segments",
            "created_at",
            "body",
        ]
        read_only_fields = fields

    def get_to(self, message) -> str:
        return mask(message.address)

    def get_body(self, message) -> str:
        request = self.context.get("request")
        user = request.user if request is not None else None
        return message.body if scoping.reaches(user, scoping.Kind.CLINICAL) else ""


@extend_schema_view(
    list=extend_schema(
        parameters=[
            id_parameter("patient", "Only the messages sent to this patient (id)"),
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=list(Message.Status.values),
                description="Only messages in this state",
            ),
        ]
    )
)
class MessageViewSet(AuditedListMixin, ReadOnlyViewSet):
    """Messages sent by the clinics you work at (every clinic for administrators), newest
    first; each list page and each read is audited."""

    serializer_class = MessageSerializer
    queryset = Message.objects.none()

    def scoped_queryset(self, user):
        messages = selectors.messages_for_user(user).order_by("-id")
        patient = id_filter(self.request, "patient", what="patient")
        if patient is not None:
            # message_patient_idx
            messages = messages.filter(patient_id=patient)
        status = self.request.query_params.get("status")
        if status is not None:
            if status not in Message.Status.values:
                raise serializers.ValidationError(
                    {"status": [f"One of: {', '.join(Message.Status.values)}."]}
                )
            messages = messages.filter(status=status)
        return messages

    def audit_list(self, rows: list) -> None:
        patient = id_filter(self.request, "patient", what="patient")
        detail = {"results": len(rows)}
        if patient is not None:
            detail["patient"] = patient
        record_event(
            actor=self.request.user,
            action=Action.LIST,
            via=self.via,
            object_type=Message._meta.label_lower,
            detail=detail,
        )

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        record_event(actor=request.user, action=Action.VIEW, via=self.via, instance=instance)
        return Response(self.get_serializer(instance).data)
