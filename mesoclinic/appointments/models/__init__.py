"""The appointment book: who can be booked when (hours, breaks, one-off changes, leave,
closures), what can be booked (appointment types with their durations, buffers and resources),
and the appointments themselves.

Times are stored in UTC and shown in Asia/Karachi; weekly hours are local wall-clock times,
turned into instants by `availability.resolve`. Nothing here reads a clinical record: a
receptionist books without seeing one (a course's sessions are booked through `Series`, which
knows the course only by its id).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.clinics import scoping
from mesoclinic.clinics.models import Weekday


class Requirement(models.TextChoices):
    """Who may take an appointment of a type."""

    NONE = "none", _("Nobody in particular")
    CREDENTIALED = "credentialed", _("A credentialed practitioner")
    DOCTOR = "doctor", _("A credentialed doctor")


class AppointmentType(models.Model):
    """What a clinic books, with how long it takes, the buffers around it and what it needs.

    Durations and buffers are clinic data (the issue's defaults: consultation 30 min with a
    doctor, patch-test application 15, reading 10, session 45 with a credentialed practitioner
    and a room, follow-up 15), with their source, so a clinic changes them without a release.
    """

    class Code(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation")
        PATCH_APPLICATION = "patch_application", _("Patch-test application")
        PATCH_READ = "patch_read", _("Patch-test reading")
        SESSION = "session", _("Treatment session")
        FOLLOW_UP = "follow_up", _("Follow-up")

    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="appointment_types"
    )
    code = models.CharField(max_length=20, choices=Code.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    buffer_before_minutes = models.PositiveSmallIntegerField(
        _("buffer before (minutes)"), default=0
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(_("buffer after (minutes)"), default=0)
    requirement = models.CharField(
        _("taken by"), max_length=15, choices=Requirement.choices, default=Requirement.CREDENTIALED
    )
    qualifications = models.JSONField(
        _("qualifications allowed"),
        default=list,
        blank=True,
        help_text=_("Practitioner qualifications that may take it; empty: any qualification."),
    )
    needs_room = models.BooleanField(_("needs a room or chair"), default=False)
    source = models.CharField(_("source of these values"), max_length=200, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["clinic", "code"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "code"], name="appointmenttype_unique_code"),
            models.CheckConstraint(
                name="appointmenttype_duration_range",
                condition=Q(
                    duration_minutes__gte=5,
                    duration_minutes__lte=480,
                    buffer_before_minutes__lte=120,
                    buffer_after_minutes__lte=120,
                ),
            ),
            models.CheckConstraint(
                name="appointmenttype_requirement_known",
                condition=Q(requirement__in=["none", "credentialed", "doctor"]),
            ),
        ]

    def __str__(self):
        return f"{self.get_code_display()} ({self.duration_minutes} min)"


class WorkingHours(models.Model):
    """One weekly working interval of a practitioner at a clinic (local wall-clock time)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    practitioner = models.ForeignKey(
        "clinics.Practitioner", on_delete=models.CASCADE, related_name="working_hours"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["practitioner", "weekday", "starts"]
        verbose_name_plural = "working hours"
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "weekday", "starts"], name="workinghours_unique_start"
            ),
            models.CheckConstraint(
                name="workinghours_ends_after_starts", condition=Q(ends__gt=F("starts"))
            ),
            models.CheckConstraint(name="workinghours_weekday_valid", condition=Q(weekday__lte=6)),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class Break(models.Model):
    """A weekly break at a clinic (Friday prayers, lunch): for one practitioner, or for
    everyone when `practitioner` is empty; on one weekday, or every day when it is empty."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    practitioner = models.ForeignKey(
        "clinics.Practitioner", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, null=True, blank=True)
    starts = models.TimeField()
    ends = models.TimeField()
    label = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["clinic", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                name="break_ends_after_starts", condition=Q(ends__gt=F("starts"))
            ),
        ]

    def __str__(self):
        return self.label or f"{self.starts:%H:%M}–{self.ends:%H:%M}"


class DayChange(models.Model):
    """A one-off change to a practitioner's hours on one date at one clinic: the rows of a
    date replace the weekly hours that day; a row without times means not working."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="+")
    practitioner = models.ForeignKey(
        "clinics.Practitioner", on_delete=models.CASCADE, related_name="day_changes"
    )
    on = models.DateField()
    starts = models.TimeField(null=True, blank=True)
    ends = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["practitioner", "on", "starts"]
        indexes = [models.Index(fields=["practitioner", "on"], name="daychange_lookup_idx")]
        constraints = [
            models.CheckConstraint(
                name="daychange_times_complete",
                condition=Q(starts__isnull=True, ends__isnull=True)
                | Q(starts__isnull=False, ends__isnull=False, ends__gt=F("starts")),
            ),
        ]

    def __str__(self):
        return f"{self.on}: {self.starts or '—'}–{self.ends or '—'}"


class Leave(models.Model):
    """A practitioner away (holiday, illness, training), at every clinic."""

    practitioner = models.ForeignKey(
        "clinics.Practitioner", on_delete=models.CASCADE, related_name="leave"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["practitioner", "starts_at"]
        verbose_name_plural = "leave"
        indexes = [models.Index(fields=["practitioner", "ends_at"], name="leave_lookup_idx")]
        constraints = [
            models.CheckConstraint(
                name="leave_ends_after_starts", condition=Q(ends_at__gt=F("starts_at"))
            ),
        ]

    def __str__(self):
        return f"{self.practitioner}: {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"


class Closure(models.Model):
    """Days a clinic is closed (Eid, Ashura, national holidays): entered by the clinic every
    year, since their dates move with the moon."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="closures")
    first = models.DateField(_("first day"))
    last = models.DateField(_("last day"))
    label = models.CharField(max_length=80)

    class Meta:
        ordering = ["clinic", "first"]
        indexes = [models.Index(fields=["clinic", "last"], name="closure_lookup_idx")]
        constraints = [
            models.CheckConstraint(
                name="closure_last_not_before_first", condition=Q(last__gte=F("first"))
            )
        ]

    def __str__(self):
        return f"{self.label} ({self.first}–{self.last})"


class ScheduleQuerySet(models.QuerySet):
    def for_user(self, user):
        """The rows `user` may see in the appointment book, by their clinic (`clinics.scoping`,
        the schedule kind: receptionists book, so they reach it)."""
        return scoping.restrict(
            self, user, scoping.Kind.SCHEDULE, clinic="clinic_id", patient="patient"
        )


class Series(models.Model):
    """Appointments booked together in one action: a course's sessions, its patch-test reading
    and its maintenance visit. All were checked and saved in one transaction. `course_id` is
    care's course, kept as a plain id: appointments never import care."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    course_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now)

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "series"

    def __str__(self):
        return f"series {self.pk}"


class Status(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not come")


#: The statuses that hold their time: the database refuses two of them overlapping on one
#: practitioner, room or patient.
ACTIVE = (Status.BOOKED, Status.CHECKED_IN, Status.COMPLETED)


class Appointment(models.Model):
    """A booked time: a type at a clinic, for a patient (or a visitor who booked from the
    public page and is not yet registered: `enquiry`), with a practitioner and a room when the
    type needs them.

    `blocked_from`/`blocked_until` are the time it holds, buffers included. On PostgreSQL three
    exclusion constraints (migration 0002) refuse two active appointments whose blocked ranges
    overlap on one practitioner, room or patient, partial overlaps included; on SQLite the
    booking services re-check inside a write transaction that SQLite serializes. `version`
    counts reschedules: reminders are keyed by it, so a reschedule replaces them.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enquiry = models.ForeignKey(
        "patients.Enquiry", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    practitioner = models.ForeignKey(
        "clinics.Practitioner", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    room = models.ForeignKey(
        "clinics.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    blocked_from = models.DateTimeField(editable=False)
    blocked_until = models.DateTimeField(editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    label = models.CharField(max_length=60, blank=True, help_text=_("e.g. Session 2 of 5"))
    # A series occurrence's limits, kept so that moving it later can keep them (`series`):
    # local days after the previous occurrence, and the window it must start in.
    gap_min_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    gap_max_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    window_opens_at = models.DateTimeField(null=True, blank=True, editable=False)
    window_closes_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now, editable=False)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True)
    # When the patient said they will come to this time (the portal's "confirm"; `confirm`).
    # A move clears it: they confirmed the old time, not the new one. Who confirmed is in the
    # audit trail.
    confirmed_at = models.DateTimeField(_("confirmed by the patient"), null=True, blank=True)
    # When the row last changed (booked, moved, its status changed): FHIR meta.lastUpdated.
    # Every `save(update_fields=...)` passes through `save()` below, which adds it; a queryset
    # `.update()` must set it itself.
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            # Day and week views, the slot search's busy times of a clinic:
            # WHERE clinic_id = ? AND starts_at < ? AND blocked_until > ? among active ones.
            models.Index(
                fields=["clinic", "starts_at"],
                condition=Q(status__in=["booked", "checked_in", "completed"]),
                name="appointment_clinic_day_idx",
            ),
            models.Index(fields=["practitioner", "starts_at"], name="appointment_practitioner_idx"),
            models.Index(fields=["patient", "starts_at"], name="appointment_patient_idx"),
            models.Index(fields=["room", "starts_at"], name="appointment_room_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="appointment_times_ordered",
                condition=Q(ends_at__gt=F("starts_at"))
                & Q(blocked_from__lte=F("starts_at"))
                & Q(blocked_until__gte=F("ends_at")),
            ),
            models.CheckConstraint(
                name="appointment_has_someone",
                condition=Q(patient__isnull=False) | Q(enquiry__isnull=False),
            ),
            models.CheckConstraint(
                name="appointment_status_known",
                condition=Q(status__in=[s.value for s in Status]),
            ),
            models.CheckConstraint(
                name="appointment_cancel_has_reason",
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
            ),
        ]

    def __str__(self):
        return f"appointment {self.pk}"

    def save(self, *args, **kwargs):
        """A partial save still moves `updated_at` (auto_now only writes it when listed)."""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


# A visitor's booking from the public page and a practitioner's calendar feed, in modules of
# their own (this one would pass ~400
# lines); imported here so Django finds it.
from mesoclinic.appointments.models.calendar_feed import CalendarFeed  # noqa: E402
from mesoclinic.appointments.models.visitor_booking import VisitorBooking  # noqa: E402

__all__ = [
    "ACTIVE",
    "Appointment",
    "AppointmentType",
    "Break",
    "CalendarFeed",
    "Closure",
    "DayChange",
    "Leave",
    "Requirement",
    "ScheduleQuerySet",
    "Series",
    "Status",
    "VisitorBooking",
    "WorkingHours",
]
