"""The outbox: one row per message a patient or a clinic is to receive.

A row is written in the same transaction as the event that causes it (a transactional outbox),
so a message exists exactly when its cause does. The worker, not the task queue, is the truth
about it: a send takes a lease (`sending` until `lease_until`), a reaper returns expired leases
to the queue, failures retry on the schedule in `rules.py` and then fail with their reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.notifications import rules


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    # The provider reported it delivered to the phone or mailbox (a status webhook).
    DELIVERED = "delivered", _("Delivered")
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
        default=0,
        help_text=_(
            "Leases that ran out while a worker was on this message (it died or hung); not "
            "counted while the message only waited its turn in a batch."
        ),
    )
    # When the worker renewed its lease to hand this message to the provider: a lease that runs
    # out after that counts against the message (it may be what kills or hangs its worker); one
    # that ran out while the message waited its turn in a batch does not.
    attempt_started_at = models.DateTimeField(null=True, blank=True)
    resends = models.PositiveIntegerField(
        default=0,
        # Also in the database: during a release the old code, which does not know the column,
        # still inserts messages between `migrate` and the restart.
        db_default=0,
        help_text=_(
            "Times staff sent it again after the provider had answered (took it and reported it "
            "undelivered, or refused it): each such resend goes under a key of its own."
        ),
    )
    last_error = models.CharField(max_length=200, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    segments = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("SMS segments the text was sent in (billed each).")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    clinic_id = models.PositiveBigIntegerField(null=True, blank=True)
    patient_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = models.CharField(max_length=80, blank=True)
    # The template version the body was written from (empty before sending, and when the
    # built-in catalogue was used because no version is stored). Its language differs from
    # `language` when the clinic had no text in the patient's language (English fallback).
    template_version = models.ForeignKey(
        "notifications.MessageTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

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
            # A provider's status callback: channel = ? AND provider_message_id = ?.
            models.Index(fields=["channel", "provider_message_id"], name="message_provider_id_idx"),
            # The staff's delivery logs, newest first (keyset pages): a clinic's, a clinic's
            # by status, a patient's.
            models.Index(fields=["clinic_id", "-id"], name="message_clinic_idx"),
            models.Index(fields=["clinic_id", "status", "-id"], name="message_clinic_status_idx"),
            models.Index(fields=["patient_id", "-id"], name="message_patient_idx"),
        ]

    def __str__(self):
        return f"{self.template} ({self.channel}, {self.status})"


class InboundContact(models.Model):
    """When someone last wrote to us on a channel, by address: WhatsApp lets a business send
    free text only within 24 hours of the person's last message (rules.in_window). Only the
    time is kept, never what they wrote; the address is stored as the outbox stores it (E.164
    with its +), so the send-time check finds it by the message's own address."""

    channel = models.CharField(max_length=10, choices=[(c.value, c.value) for c in rules.Channel])
    address = models.CharField(max_length=254)
    last_inbound_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "address"], name="inbound_contact_unique"),
        ]

    def __str__(self):
        return f"{self.channel} inbound at {self.last_inbound_at:%Y-%m-%d %H:%M}"


# --- consent to be contacted ----------------------------------------------------------------


class ContactChannel(models.TextChoices):
    """The channels a patient agrees to, or refuses, one by one."""

    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")


class ConsentMethod(models.TextChoices):
    """How the patient's answer reached us."""

    IN_PERSON = "in_person", _("In person")
    SIGNED_FORM = "signed_form", _("Signed form")
    PATIENT_REPLY = "patient_reply", _("The patient's reply")
    OPT_OUT_LINK = "opt_out_link", _("Opt-out link")
    STAFF = "staff", _("Recorded by staff")
    # The patient's own answer in the portal (issue 22, "My data"), signed in as themselves.
    PORTAL = "portal", _("The patient, in the portal")


class AppendOnlyQuerySet(models.QuerySet):
    """A history whose rows are never changed or removed: a correction is a new row."""

    def update(self, **kwargs):
        raise TypeError("Contact consents are append-only; record a new answer instead.")

    def delete(self):
        raise TypeError("Contact consents are append-only; record a new answer instead.")


class ContactConsent(models.Model):
    """One answer of a patient about one channel: opted in, or out; when, how, and who
    recorded it. Append-only: the current state of a (patient, channel) is its newest row, and
    the history shows every change (WhatsApp asks a business to keep the opt-in it relies on).

    `patient_id` and `clinic_id` (the patient's clinic when recorded, for the audit trail) are
    plain integers: this floor stands below `patients` and `clinics` (docs/architecture.md).
    `recorded_by` is empty when the patient acted alone (the opt-out link).
    """

    Channel = ContactChannel
    Method = ConsentMethod

    patient_id = models.PositiveBigIntegerField()
    clinic_id = models.PositiveBigIntegerField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=ContactChannel.choices)
    opted_in = models.BooleanField(help_text=_("Agreed to messages on this channel, or not."))
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(max_length=15, choices=ConsentMethod.choices)
    note = models.CharField(max_length=200, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            # The current answer: WHERE patient_id = p AND channel = c ORDER BY id DESC LIMIT 1,
            # and the panel's newest id per channel for one patient.
            models.Index(fields=["patient_id", "channel", "-id"], name="contactconsent_latest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="contactconsent_channel_known",
                condition=Q(channel__in=ContactChannel.values),
            ),
            models.CheckConstraint(
                name="contactconsent_method_known",
                condition=Q(method__in=ConsentMethod.values),
            ),
            # The opt-out link only ever stops messages.
            models.CheckConstraint(
                name="contactconsent_link_opts_out",
                condition=~Q(method="opt_out_link") | Q(opted_in=False),
            ),
        ]

    def __str__(self):
        state = "in" if self.opted_in else "out"
        return f"patient {self.patient_id} {self.channel} opted {state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Contact consents are append-only; record a new answer instead.")
        super().save(*args, **kwargs)


# --- templates ------------------------------------------------------------------------------


class MessageTemplate(models.Model):
    """One version of a message's wording in one language, for the chain (`clinic_id` empty:
    the default every clinic starts from, seeded from `catalogue.py`) or for one clinic.

    Versioned like the consent texts: a stored version is never edited, since messages name
    the version they were written from; an edit in the admin saves a new version, and the
    newest wins (the clinic's own over the chain's). Placeholders must be the ones the default
    declares (`message_templates.validate`). For WhatsApp, `whatsapp_template` names the
    template approved at Meta in this language and `whatsapp_parameters` the values it takes,
    in order ({{1}}, {{2}}, ...).
    """

    clinic_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text=_("The clinic's id; empty for the chain's default.")
    )
    code = models.CharField(max_length=80)
    language = models.CharField(max_length=2, choices=Language.choices)
    version = models.PositiveIntegerField()
    text = models.TextField(help_text=_("{name} placeholders; {{ and }} for literal braces."))
    title = models.CharField(max_length=200, blank=True, help_text=_("The e-mail subject."))
    whatsapp_template = models.CharField(max_length=120, blank=True)
    whatsapp_parameters = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(
        max_length=200, blank=True, help_text=_("Where this wording comes from, or why it changed.")
    )

    class Meta:
        ordering = ["code", "language", "-version"]
        indexes = [
            # Choosing the text: WHERE code = c AND language IN (l, 'en') AND (clinic_id = k OR
            # clinic_id IS NULL) ORDER BY version DESC.
            models.Index(
                fields=["code", "language", "clinic_id", "-version"], name="template_pick_idx"
            ),
        ]
        constraints = [
            # Two partial constraints: NULL clinics are distinct to a plain unique constraint.
            models.UniqueConstraint(
                fields=["code", "language", "version"],
                condition=Q(clinic_id__isnull=True),
                name="template_default_version_unique",
            ),
            models.UniqueConstraint(
                fields=["clinic_id", "code", "language", "version"],
                condition=Q(clinic_id__isnull=False),
                name="template_clinic_version_unique",
            ),
            models.CheckConstraint(
                name="template_language_known", condition=Q(language__in=Language.values)
            ),
            models.CheckConstraint(name="template_version_positive", condition=Q(version__gte=1)),
        ]

    def __str__(self):
        owner = f"clinic {self.clinic_id}" if self.clinic_id else "chain"
        return f"{self.code} [{self.language}] v{self.version} ({owner})"


class ScheduledRun(models.Model):
    """When each periodic job of the scheduler (`run_scheduler`, the SCHEDULED_JOBS setting)
    last started, so that a restarted scheduler, or a second one started by mistake, never runs
    a job again inside its interval: a run is claimed by a conditional UPDATE of this row (it
    succeeds for one scheduler only). A run that raised gives its claim back, to be tried again
    at the next tick; `last_error` names the kind of error only (its text may hold patient
    data)."""

    job = models.CharField(max_length=80, unique=True)
    started_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the last run that did not fail started.")
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    failures = models.PositiveIntegerField(default=0, help_text=_("Failed runs in a row."))

    class Meta:
        ordering = ["job"]

    def __str__(self):
        return self.job
