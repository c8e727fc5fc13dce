"""Clinics, their rooms and hours, the people who work there, and practitioners' credentials."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.clinics.credentials import (
    REGISTERING_BODY,
    CredentialStatus,
    RegisteringBody,
    credential_status,
)
from mesoclinic.clinics.credentials import registering_body as body_for
from mesoclinic.core.phones import format_phone


class Service(models.Model):
    """A treatment a clinic offers (melasma, hair loss …), named in English and Urdu."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    name_ur = models.CharField(_("name in Urdu"), max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Clinic(models.Model):
    """A clinic (branch) of the chain: where patients are registered and staff work."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    city = models.CharField(max_length=80, db_index=True)
    address = models.TextField()
    phone = models.CharField(max_length=20, help_text=_("E.164, e.g. +92515550100"))
    email = models.EmailField(blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="clinics")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # When the clinic's record last changed (FHIR meta.lastUpdated, the bulk export's _since).
    updated_at = models.DateTimeField(auto_now=True)
    # Sign-in policy (issue 20), edited by an administrator in the admin.
    staff_idle_minutes = models.PositiveSmallIntegerField(
        _("idle timeout for staff (minutes)"),
        default=30,
        help_text=_(
            "A staff session with no request for this long ends; a person who works at several "
            "clinics gets the shortest. Between 5 and 480."
        ),
    )
    receptionists_need_second_factor = models.BooleanField(
        _("receptionists need a second factor"),
        default=False,
        help_text=_(
            "Administrators, managers and practitioners always sign in with a second factor; "
            "tick this to ask it of this clinic's receptionists too."
        ),
    )

    # What a patient may change online (issue 22), edited by an administrator in the admin.
    portal_change_hours = models.PositiveSmallIntegerField(
        _("notice for online changes (hours)"),
        default=24,
        help_text=_(
            "A patient may move or cancel an appointment in the portal until this many hours "
            "before it starts, and choose a new time at least this far ahead; after that they "
            "call the clinic. Between 0 and 168."
        ),
    )

    class Meta:
        ordering = ["city", "name"]
        constraints = [
            models.CheckConstraint(
                name="clinic_portal_change_hours_in_range",
                condition=Q(portal_change_hours__lte=168),
            ),
            models.CheckConstraint(
                name="clinic_staff_idle_minutes_in_range",
                condition=Q(staff_idle_minutes__gte=5, staff_idle_minutes__lte=480),
            ),
            models.CheckConstraint(
                name="clinic_geo_point_complete_and_in_range",
                condition=(
                    Q(latitude__isnull=True, longitude__isnull=True)
                    | Q(
                        latitude__gte=-90,
                        latitude__lte=90,
                        longitude__gte=-180,
                        longitude__lte=180,
                    )
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.city})"

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """One open interval on a weekday: a day with a prayer break has two rows, a closed day none."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "weekday", "opens"], name="opening_hours_unique_start"
            ),
            models.CheckConstraint(
                name="opening_hours_closes_after_opens", condition=Q(closes__gt=F("opens"))
            ),
            models.CheckConstraint(name="opening_hours_weekday_valid", condition=Q(weekday__lte=6)),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Room(models.Model):
    """A treatment room or chair, the unit later booked by scheduling."""

    class Kind(models.TextChoices):
        ROOM = "room", _("Room")
        CHAIR = "chair", _("Chair")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ROOM)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["clinic", "name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="room_unique_name")]

    def __str__(self):
        return f"{self.clinic.name}: {self.name}"


class Membership(models.Model):
    """A person works at a clinic. This is what scopes every staff member's view of patients."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    since = models.DateField(default=timezone.localdate)
    # When the membership last changed (FHIR PractitionerRole's meta.lastUpdated, with the
    # practitioner's own).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "clinic"], name="membership_unique_user_clinic")
        ]

    def __str__(self):
        return f"{self.user} at {self.clinic}"


class PractitionerQuerySet(models.QuerySet):
    def credentialed(self, on: date | None = None):
        """Practitioners credentialed on `on` (today in Asia/Karachi by default).

        The single definition used by every page, API and the safety gate: a qualification a
        council registers, a registration number, a verification of exactly that number and
        expiry, and an expiry not yet passed.
        Mirrors `credential_status`; a test keeps the two in step.
        """
        on = on or timezone.localdate()
        return self.filter(_credentialed_q(on))

    def not_credentialed(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.exclude(_credentialed_q(on))


def _credentialed_q(on: date) -> Q:
    return (
        ~Q(registering_body="")
        & ~Q(registration_number="")
        & Q(verified_at__isnull=False)
        & Q(verified_registration_number=F("registration_number"))
        & Q(verified_expires_on=F("registration_expires_on"))
        & Q(registration_expires_on__gte=on)
    )


def _body_follows_qualification() -> Q:
    """The database's copy of `credentials.REGISTERING_BODY`: each qualification with its
    council, and a qualification no council registers with none."""
    condition = Q(registering_body="") & ~Q(qualification__in=list(REGISTERING_BODY))
    for body in RegisteringBody:
        qualifications = sorted(q for q, b in REGISTERING_BODY.items() if b == body)
        condition |= Q(qualification__in=qualifications, registering_body=body.value)
    return condition


class Practitioner(models.Model):
    """A person who may treat patients, with their registration and its verification.

    The council that holds the registration follows the qualification (PMDC for doctors and
    dentists, PNMC for nurses and midwives): `registering_body` is set from it on every save and
    a database check keeps the two in step. The verification stores the number and expiry that
    were checked: editing either afterwards makes the practitioner unverified until someone
    verifies again.
    """

    class Qualification(models.TextChoices):
        DERMATOLOGIST = "dermatologist", _("Dermatologist")
        PHYSICIAN = "physician", _("Other physician")
        DENTIST = "dentist", _("Dentist")
        NURSE = "nurse", _("Trained nurse")
        MIDWIFE = "midwife", _("Midwife")
        OTHER = "other", _("Other")

    class Body(models.TextChoices):
        PMDC = RegisteringBody.PMDC.value, _("PMDC")
        PNMC = RegisteringBody.PNMC.value, _("PNMC")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practitioner"
    )
    qualification = models.CharField(max_length=20, choices=Qualification.choices)
    registering_body = models.CharField(
        _("registering council"), max_length=10, choices=Body.choices, blank=True, editable=False
    )
    registration_number = models.CharField(
        _("registration number"), max_length=40, blank=True, db_index=True
    )
    registration_expires_on = models.DateField(_("registration expires on"), null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verification_evidence = models.TextField(blank=True)
    verified_registration_number = models.CharField(max_length=40, blank=True, editable=False)
    verified_expires_on = models.DateField(null=True, blank=True, editable=False)
    # When the record last changed (FHIR meta.lastUpdated, the bulk export's _since); `save`
    # adds it to every `update_fields`, so no partial save can leave it behind.
    updated_at = models.DateTimeField(auto_now=True)

    objects = PractitionerQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name", "id"]
        constraints = [
            # PMDC and PNMC number independently: the same number may stand at both councils.
            models.UniqueConstraint(
                fields=["registering_body", "registration_number"],
                condition=~Q(registration_number=""),
                name="practitioner_unique_registration_number",
                violation_error_message=_(
                    "Another practitioner already has this registration number at this council."
                ),
            ),
            models.CheckConstraint(
                name="practitioner_body_follows_qualification",
                condition=_body_follows_qualification(),
            ),
            models.CheckConstraint(
                name="practitioner_verification_complete",
                condition=Q(verified_at__isnull=True)
                | (Q(verified_by__isnull=False) & ~Q(verification_evidence="")),
            ),
        ]

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()

    def save(self, *args, **kwargs):
        body = body_for(self.qualification)
        self.registering_body = body.value if body else ""
        update_fields = kwargs.get("update_fields")
        if update_fields:  # None: every field; empty: Django saves nothing
            extra = {"updated_at"}
            if "qualification" in update_fields:
                extra.add("registering_body")
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)

    @property
    def body_label(self) -> str:
        """The council's short name ("PMDC", "PNMC"), or "" for a qualification none registers."""
        return self.get_registering_body_display() if self.registering_body else ""

    @property
    def is_verified(self) -> bool:
        return (
            self.verified_at is not None
            and self.verified_registration_number == self.registration_number
            and self.verified_expires_on == self.registration_expires_on
        )

    def credential_status(self, on: date | None = None) -> CredentialStatus:
        return credential_status(
            registration_number=self.registration_number,
            verified=self.is_verified,
            expires_on=self.registration_expires_on,
            today=on or timezone.localdate(),
            qualification=self.qualification,
        )

    @property
    def is_credentialed(self) -> bool:
        return self.credential_status().credentialed
