"""Treatment plans (courses) and the sessions charted against them, down to the lot."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.care import entries
from mesoclinic.care.models.consultations import PatientRecordQuerySet
from mesoclinic.clinics import scoping
from mesoclinic.formulary.models import ProtocolVersion


class CourseQuerySet(PatientRecordQuerySet):
    def for_schedule(self, user):
        """The courses `user` may see as the schedule sees them: whose session is due when,
        and whose plan waits for a consent. Receptionists book those sessions and take those
        consents, so they reach these rows; what the plan holds stays clinical (`for_user`),
        and the pages that show a course to them show the patient and the date only.
        An archived patient's courses are left out for all but administrators (`for_user`)."""
        visible = scoping.restrict(
            self,
            user,
            scoping.Kind.SCHEDULE,
            clinic="patient__registered_clinic_id",
            patient="patient",
        )
        return self.in_care_for(user, visible)


class Course(models.Model):
    """A course of sessions from one approved protocol version, on one screening.

    The dates are laid out by `care.course` within the version's ranges and kept here, so a
    later protocol change does not move a course already under way. Scheduling will book
    against it.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="courses"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    consultation = models.ForeignKey(
        "care.Consultation", on_delete=models.PROTECT, related_name="courses"
    )
    protocol_version = models.ForeignKey(
        "formulary.ProtocolVersion", on_delete=models.PROTECT, related_name="+"
    )
    indication = models.CharField(max_length=40)
    sessions_planned = models.PositiveSmallIntegerField(_("sessions"))
    interval_days = models.PositiveSmallIntegerField(_("days between sessions"))
    maintenance_days = models.PositiveSmallIntegerField(_("maintenance after (days)"))
    start_date = models.DateField(_("first session"))
    session_dates = models.JSONField(help_text=_("Target dates, ISO format, one per session."))
    maintenance_due = models.DateField(_("maintenance due"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)
    #: The last change to the plan, its status or its dates (a charted session moves the dates):
    #: the FHIR CarePlan's meta.lastUpdated. Every save names it (`audit.save_audited` adds it).
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["patient", "-id"], name="course_patient_idx"),
            # The worklist's active courses of a clinic (care.worklist).
            models.Index(
                fields=["clinic", "start_date"],
                condition=Q(status="active"),
                name="course_active_idx",
            ),
            # The daily maintenance recall scan: a fortnight of due dates, in (due, id) order
            # for its batches (care.services.recall).
            models.Index(fields=["maintenance_due", "id"], name="course_maintenance_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="course_positive_plan",
                condition=Q(sessions_planned__gte=1, interval_days__gte=1, maintenance_days__gte=1),
            ),
            models.CheckConstraint(
                name="course_status_known",
                condition=Q(status__in=["active", "paused", "completed", "cancelled"]),
            ),
            models.CheckConstraint(
                name="course_maintenance_after_start",
                condition=Q(maintenance_due__gt=F("start_date")),
            ),
            # One course under way per indication per patient: a second active melasma course
            # would let two plans' sessions add up unseen. Paused counts as under way (it can
            # be resumed); cancel it to plan afresh.
            models.UniqueConstraint(
                fields=["patient", "indication"],
                condition=Q(status__in=["active", "paused"]),
                name="course_one_under_way_per_indication",
                violation_error_message=_(
                    "This patient already has a course under way for this indication."
                ),
            ),
        ]

    def __str__(self):
        return f"course {self.pk}"


class CourseComponent(models.Model):
    """The planned amount of one protocol component per session (mL), dose-checked when the
    plan is made; `override` names the dermatologist's recorded reason when a limit is passed."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="components")
    protocol_component = models.ForeignKey(
        "formulary.ProtocolComponent", on_delete=models.PROTECT, related_name="+"
    )
    volume_per_session = models.DecimalField(_("mL per session"), max_digits=6, decimal_places=2)
    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)
    override = models.ForeignKey(
        "care.DoseOverride", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="coursecomponent_volume_positive", condition=Q(volume_per_session__gt=0)
            ),
            models.UniqueConstraint(
                fields=["course", "protocol_component"], name="coursecomponent_unique"
            ),
        ]

    def __str__(self):
        return f"{self.course_id}: {self.protocol_component_id}"


class TreatmentSession(models.Model):
    """One session as charted, with the gate's verdict stored as it was at the start.

    `started_at` and `ended_at` are the times the practitioner states; `entered_at` is when the
    chart was saved (the server's clock, never typed).
    """

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="treatment_sessions"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        "clinics.Practitioner", on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"))
    technique = models.CharField(
        _("technique"), max_length=20, choices=ProtocolVersion.Technique.choices
    )
    depth = models.CharField(_("depth"), max_length=80)
    needle = models.CharField(_("needle"), max_length=80)
    numbing_cream = models.BooleanField(_("numbing cream used"), default=False)
    points = models.PositiveSmallIntegerField(_("injection points"))
    reactions = models.TextField(_("immediate reactions"), blank=True)
    pregnant_today = models.BooleanField()
    breastfeeding_today = models.BooleanField()
    gate = models.JSONField(help_text=_("The conditions checked at the start, all passed."))
    override_reason = models.TextField(
        _("dermatologist's reason for an override"),
        blank=True,
        help_text=_("Why this session came before the interval or passed the plan's volume."),
    )
    aftercare = models.ForeignKey(
        "care.AftercareText", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)

    objects = PatientRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["patient", "-id"], name="session_patient_idx")]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="session_number_unique"),
            models.CheckConstraint(
                name="session_ends_after_start", condition=Q(ended_at__gte=F("started_at"))
            ),
            # The gate refuses a pregnant or breastfeeding patient; the row can never say so.
            models.CheckConstraint(
                name="session_not_pregnant",
                condition=Q(pregnant_today=False, breastfeeding_today=False),
            ),
        ]

    def __str__(self):
        return f"session {self.pk}"

    @property
    def entered_apart(self) -> bool:
        return entries.entered_apart(self.ended_at, self.entered_at)


class SessionProduct(models.Model):
    """A volume from one lot given in the session, the zones it went to, and the ledger line
    that drew it (so a recall of the lot lists this session)."""

    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="products")
    lot = models.ForeignKey("formulary.Lot", on_delete=models.PROTECT, related_name="+")
    volume = models.DecimalField(_("mL"), max_digits=6, decimal_places=2)
    zones = models.JSONField(default=list, help_text=_("Zone codes of the treatment map."))
    movement = models.OneToOneField(
        "formulary.StockMovement", on_delete=models.PROTECT, related_name="session_product"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(name="sessionproduct_volume_positive", condition=Q(volume__gt=0))
        ]

    def __str__(self):
        return f"{self.session_id}: lot {self.lot_id}"


class AftercareText(models.Model):
    """Aftercare instructions for a kind of procedure, in English and Urdu, versioned like the
    consent texts: a session's aftercare shows the version current when it was charted."""

    procedure = models.CharField(max_length=30, db_index=True)
    version = models.PositiveSmallIntegerField()
    title_en = models.CharField(max_length=200)
    title_ur = models.CharField(max_length=200)
    body_en = models.TextField()
    body_ur = models.TextField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["procedure", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="aftercare_version"),
        ]

    def __str__(self):
        return f"aftercare {self.procedure} v{self.version}"
