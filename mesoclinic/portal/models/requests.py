"""A patient's request, from the portal, that a clinic correct or erase what it holds about them
(issue 22, "My data"): the patient asks, the clinic's manager answers, the patient sees how it
ended. The request is a record of its own so that the answer, and why, are kept with it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.clinics import scoping


class DataRequestQuerySet(models.QuerySet):
    def for_user(self, user):
        """The requests `user` may see (`clinics.scoping`, the one rule): a patient their own
        (by the request's patient record), clinic staff their clinics', administrators all.
        Who may answer one is the staff page's question (managers and administrators)."""
        return scoping.restrict(
            self, user, scoping.Kind.PATIENT, clinic="clinic_id", patient="patient"
        )


class DataRequest(models.Model):
    """One request to correct, or to erase, what one clinic holds about the patient: what the
    patient wrote, and the manager's answer (done or refused, with the reason). An erasure is
    never a deletion of everything: lot traceability, the audit trail and the records under
    retention stay (`portal.erasure`), and both the patient and the answer are told so."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correct my record")
        ERASURE = "erasure", _("Erase my data")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for the clinic")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    details = models.TextField(_("what to change, in your words"), max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer to the patient"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # An erasure's answer: what the clinic keeps and until when (`portal.erasure` codes, dates
    # as ISO text), fixed when it was answered, so both sides read the same list in their
    # own language.
    kept = models.JSONField(default=list, blank=True)

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            # The patient's list: WHERE patient_id IN (their records) ORDER BY id DESC.
            models.Index(fields=["patient", "-id"], name="datarequest_patient_idx"),
            # The manager's page: WHERE clinic_id IN (...) AND status = 'open' ORDER BY id DESC.
            models.Index(fields=["clinic", "status", "-id"], name="datarequest_clinic_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="datarequest_kind_known",
                condition=Q(kind__in=["correction", "erasure"]),
            ),
            models.CheckConstraint(
                name="datarequest_status_known",
                condition=Q(status__in=["open", "done", "refused"]),
            ),
            # An answered request says who answered and when; an open one has no answer yet.
            models.CheckConstraint(
                name="datarequest_answered_iff_closed",
                condition=Q(status="open", answered_at__isnull=True, answered_by__isnull=True)
                | (~Q(status="open") & Q(answered_at__isnull=False, answered_by__isnull=False)),
            ),
            # A refusal always gives its reason.
            models.CheckConstraint(
                name="datarequest_refusal_has_reason",
                condition=~Q(status="refused") | ~Q(answer=""),
            ),
        ]

    def __str__(self):
        return f"{self.kind} request {self.pk} ({self.status})"
