"""Adverse events: a harm after a session that the clinic must follow to its end.

The record lives in care because the safety gate reads it: while a patient has an open event,
no session starts for them (`care.gate.Condition.ADVERSE_EVENT_OPEN`), whatever the course.
Aftercare (above care) opens events from check-ins through `care.services.adverse_events`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.care.models.consultations import PatientRecordQuerySet


class AdverseEvent(models.Model):
    """One adverse event: what triggered it (the escalation rule's codes), the effects and the
    highest CTCAE v5 grade seen, the session it followed, and how it ended.

    Closing needs an outcome and the credentialed dermatologist who closed it (a database check
    as well as the service), so the register can never show a closed event without them.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Outcome(models.TextChoices):
        # FHIR R4 AdverseEvent.outcome (http://terminology.hl7.org/CodeSystem/adverse-event-outcome).
        RESOLVED = "resolved", _("Resolved")
        RECOVERING = "recovering", _("Recovering")
        RESOLVED_WITH_SEQUELAE = "resolvedWithSequelae", _("Resolved with lasting effects")
        ONGOING = "ongoing", _("Ongoing, followed elsewhere")
        FATAL = "fatal", _("Fatal")
        UNKNOWN = "unknown", _("Unknown (lost to follow-up)")

    class Source(models.TextChoices):
        PATIENT = "patient", _("Reported by the patient")
        STAFF = "staff", _("Recorded by staff")

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="adverse_events"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        "care.TreatmentSession", on_delete=models.PROTECT, related_name="adverse_events"
    )
    course = models.ForeignKey("care.Course", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    triggers = models.JSONField(
        default=list, help_text=_("The escalation rules that opened it (aftercare.escalation).")
    )
    effects = models.JSONField(default=list, help_text=_("Side-effect codes reported."))
    grade = models.PositiveSmallIntegerField(_("highest CTCAE grade"), null=True, blank=True)
    checklist = models.JSONField(
        default=list,
        help_text=_('Work-up steps: [{"code": ..., "done_at": iso or null, "done_by": id}].'),
    )
    course_paused = models.BooleanField(
        default=False, help_text=_("Whether opening it paused the course (closing may resume it).")
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the patient's own report opened it."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("outcome note"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dermatologist = models.ForeignKey(
        "clinics.Practitioner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The credentialed dermatologist who closed it."),
    )
    #: The last change (widened, graded, a step ticked, closed): the FHIR AdverseEvent's
    #: meta.lastUpdated. Every save names it (`audit.save_audited` adds it).
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            # The gate's question: does this patient have an open event?
            models.Index(
                fields=["patient"], condition=Q(status="open"), name="adverseevent_open_idx"
            ),
            # The clinic's register, newest first, keyset on id.
            models.Index(fields=["clinic", "-id"], name="adverseevent_clinic_idx"),
            # Cluster signals: a clinic's events in a window.
            models.Index(fields=["clinic", "opened_at"], name="adverseevent_window_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="adverseevent_status_known", condition=Q(status__in=["open", "closed"])
            ),
            models.CheckConstraint(
                name="adverseevent_grade_range",
                condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=5),
            ),
            models.CheckConstraint(
                name="adverseevent_closed_completely",
                condition=Q(status="open", closed_at__isnull=True)
                | (
                    Q(status="closed", closed_at__isnull=False, dermatologist__isnull=False)
                    & ~Q(outcome="")
                ),
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        """How pages and refusals name it: "AE-12"."""
        return f"AE-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
