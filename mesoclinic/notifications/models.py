"""The outbox: one row per message a patient or a clinic is to receive.

A row is written in the same transaction as the event that causes it (a transactional outbox),
so a message exists exactly when its cause does. The worker, not the task queue, is the truth
about it: a send takes a lease (`sending` until `lease_until`), a reaper returns expired leases
to the queue, failures retry on the schedule in `rules.py` and then fail with their reason.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mesoclinic.notifications import rules


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    URDU = "ur", _("Urdu")


class Message(models.Model):
    """One outbound message, from enqueue to sent or failed.

    `clinic_id` and `patient_id` are plain indexed integers, not foreign keys: this floor stands
    below `clinics` and `patients` and imports no domain app (docs/architecture.md). `subject`
    ("patients.enquiry:42") names the cause for tracing. The idempotency key is unique in the
    database, so enqueuing the same message twice (a retried request, two workers) keeps one
    row; it is also what the provider receives, so a send repeated after a crash is dropped
    there. `last_error` holds a reason code and a short text, never personal data.
    """

    Status = MessageStatus
    Language = Language

    idempotency_key = models.CharField(max_length=120)
    channel = models.CharField(max_length=10, choices=[(c.value, c.value) for c in rules.Channel])
    address = models.CharField(max_length=254, help_text=_("The mobile number or e-mail address."))
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    template = models.CharField(max_length=80, help_text=_("The template's code."))
    values = models.JSONField(default=dict, blank=True)
    body = models.TextField(blank=True, help_text=_("The text as sent, rendered at send."))
    urgent = models.BooleanField(default=False, help_text=_("Urgent messages ignore quiet hours."))
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default="queued")
    attempts = models.PositiveIntegerField(default=0, help_text=_("Failed attempts so far."))
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    # Which claim holds the lease: a worker records an outcome, or renews its lease before the
    # provider call, only while the token is still its own (times can collide; tokens cannot).
    lease_token = models.UUIDField(null=True, blank=True)
    reaps = models.PositiveIntegerField(
        default=0, help_text=_("Leases that ran out on this message (a worker died or hung).")
    )
    last_error = models.CharField(max_length=200, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    clinic_id = models.PositiveBigIntegerField(null=True, blank=True)
    patient_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="message_key_unique"),
            # A row in `sending` without a lease could never be reaped: it would be lost.
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(lease_until__isnull=False),
                name="message_sending_has_lease",
            ),
        ]
        indexes = [
            # The worker's due query: status = queued AND next_attempt_at <= now.
            models.Index(fields=["status", "next_attempt_at"], name="message_due_idx"),
            # The staff's delivery logs, newest first (keyset pages): a clinic's, a clinic's
            # by status, a patient's.
            models.Index(fields=["clinic_id", "-id"], name="message_clinic_idx"),
            models.Index(fields=["clinic_id", "status", "-id"], name="message_clinic_status_idx"),
            models.Index(fields=["patient_id", "-id"], name="message_patient_idx"),
        ]

    def __str__(self):
        return f"{self.template} ({self.channel}, {self.status})"
