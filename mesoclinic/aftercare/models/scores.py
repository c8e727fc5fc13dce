"""Outcome scores over a course: an Observation per scale, per session, with who scored."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.care.models import PatientRecordQuerySet


class OutcomeScore(models.Model):
    """One score on one scale (`aftercare.scales.SCALES`), computed by the pure calculator from
    the stored inputs, at a session of a course (or before it started: `session` empty is the
    baseline), with who scored it and, for GAIS, who rated (patient or investigator)."""

    class Rater(models.TextChoices):
        CLINICIAN = "clinician", _("Clinician")
        PATIENT = "patient", _("Patient")

    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey("care.Course", on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        "care.TreatmentSession", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scale = models.CharField(max_length=20)
    rater = models.CharField(max_length=10, choices=Rater.choices, default=Rater.CLINICIAN)
    inputs = models.JSONField()
    value = models.DecimalField(max_digits=7, decimal_places=2)
    band = models.CharField(max_length=40, blank=True)
    scored_at = models.DateTimeField(default=timezone.now)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        ordering = ["scored_at", "id"]
        indexes = [
            # A course's progress: its scores by scale, in time order.
            models.Index(fields=["course", "scale", "scored_at"], name="score_course_idx"),
            models.Index(fields=["patient", "-id"], name="score_patient_idx"),
        ]
        constraints = [
            # One score per scale and rater at a session, and one baseline per course.
            models.UniqueConstraint(
                fields=["session", "scale", "rater"],
                condition=Q(session__isnull=False),
                name="score_one_per_session",
            ),
            models.UniqueConstraint(
                fields=["course", "scale", "rater"],
                condition=Q(session__isnull=True),
                name="score_one_baseline",
            ),
            models.CheckConstraint(name="score_not_negative", condition=Q(value__gte=0)),
        ]

    def __str__(self):
        return f"{self.scale} {self.value}"
