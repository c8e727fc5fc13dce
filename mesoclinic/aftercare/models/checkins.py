"""Check-ins after a session and the side effects they report."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.aftercare import vocabulary
from mesoclinic.care.models import PatientRecordQuerySet
from mesoclinic.care.storage import private_storage


class CheckIn(models.Model):
    """One "how are you?" after a session: scheduled when the session is charted (24 h, 72 h,
    3 weeks by default), reported by the patient at any time from a link, or recorded by staff
    from a call or a visit in the same structure. The patient's link opens it until
    `link_expires_at`; once answered it is never answered again (a later report is a new
    check-in)."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PATIENT = "patient", _("Reported by the patient")
        STAFF = "staff", _("Recorded by staff")

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        ANSWERED = "answered", _("Answered")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        LINK = "link", _("The patient's link")
        PHONE = "phone", _("By phone")
        VISIT = "visit", _("At a visit")
        PORTAL = "portal", _("The patient portal")

    class Skin(models.TextChoices):
        FINE = "fine", _("Fine")
        SOME_PROBLEMS = "some_problems", _("Some problems")
        WORRIED = "worried", _("I am worried")

    session = models.ForeignKey(
        "care.TreatmentSession", on_delete=models.PROTECT, related_name="check_ins"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    hours_after = models.PositiveSmallIntegerField(null=True, blank=True)
    due_at = models.DateTimeField()
    link_expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DUE)
    answered_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    skin = models.CharField(_("how is the skin"), max_length=16, choices=Skin.choices, blank=True)
    note = models.TextField(_("in the patient's words"), blank=True)
    photo = models.FileField(storage=private_storage, max_length=200, blank=True)
    escalated = models.BooleanField(default=False)
    adverse_event = models.ForeignKey(
        "care.AdverseEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            # The clinic's overdue list: unanswered check-ins by due time.
            models.Index(
                fields=["clinic", "due_at"], condition=Q(status="due"), name="checkin_due_idx"
            ),
            # The clinic's queue: answered, not yet reviewed.
            models.Index(
                fields=["clinic", "-answered_at"],
                condition=Q(status="answered", reviewed_at__isnull=True),
                name="checkin_review_idx",
            ),
            models.Index(fields=["patient", "-id"], name="checkin_patient_idx"),
        ]
        constraints = [
            # A session's scheduled check-ins are laid out once: one per offset.
            models.UniqueConstraint(
                fields=["session", "hours_after"],
                condition=Q(kind="scheduled"),
                name="checkin_one_per_offset",
            ),
            models.CheckConstraint(
                name="checkin_answered_completely",
                condition=~Q(status="answered")
                | (Q(answered_at__isnull=False) & ~Q(channel="") & ~Q(skin="")),
            ),
            models.CheckConstraint(
                name="checkin_status_known",
                condition=Q(status__in=["due", "answered", "cancelled"]),
            ),
        ]

    def __str__(self):
        return f"check-in {self.pk}"


class SideEffect(models.Model):
    """One effect a check-in reported: where, since when, the patient's own rating and the
    clinician's CTCAE v5 grade (which confirms or changes it), and when it resolved."""

    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="effects")
    session = models.ForeignKey("care.TreatmentSession", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=30, choices=[(c, c) for c in vocabulary.EFFECTS])
    other = models.CharField(_("other, in words"), max_length=200, blank=True)
    site = models.CharField(_("where"), max_length=120, blank=True)
    onset_on = models.DateField(_("since"), null=True, blank=True)
    present = models.BooleanField(_("still there"), default=True)
    self_grade = models.PositiveSmallIntegerField(_("patient's rating"), null=True, blank=True)
    grade = models.PositiveSmallIntegerField(_("CTCAE grade"), null=True, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["patient", "-id"], name="sideeffect_patient_idx")]
        constraints = [
            models.CheckConstraint(
                name="sideeffect_code_known", condition=Q(code__in=list(vocabulary.EFFECTS))
            ),
            models.CheckConstraint(
                name="sideeffect_grades_range",
                condition=(Q(self_grade__isnull=True) | Q(self_grade__gte=1, self_grade__lte=5))
                & (Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=5)),
            ),
            models.CheckConstraint(
                name="sideeffect_graded_by_someone",
                condition=Q(grade__isnull=True) | Q(graded_by__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.code} ({self.check_in_id})"

    @property
    def current_grade(self) -> int | None:
        """The clinician's grade once given, else the patient's rating."""
        return self.grade if self.grade is not None else self.self_grade
