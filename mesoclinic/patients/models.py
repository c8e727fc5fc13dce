"""Patients: who they are, how to reach them, and which clinic registered them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.clinics import scoping
from mesoclinic.core.phones import format_phone
from mesoclinic.patients.identifiers import format_cnic


def in_care(prefix: str = "") -> Q:
    """Rows whose patient is not archived; `prefix` reaches the patient from another record
    ("patient__"). The one definition of an archived patient being out of the day's work."""
    return Q(**{f"{prefix}archived_at__isnull": True})


class PatientQuerySet(models.QuerySet):
    def for_user(self, user, *, archived: bool = False):
        """The patients `user` may see, by their registered clinic (`clinics.scoping`, the one
        rule); every page and API reads patients through it. Archived patients are left out
        unless asked for (`archived=True`: an administrator's look at the record, the
        admin): search, lists, pickers, the API and the services that write a patient's
        records do not reach them. Records that name a patient (the recall of a lot, the
        audit) are read through their own models and still find them."""
        visible = scoping.restrict(
            self, user, scoping.Kind.PATIENT, clinic="registered_clinic_id", patient="self"
        )
        return visible if archived else visible.filter(in_care())


class Patient(models.Model):
    """A person the chain treats. CNIC is unique when known; children and visitors may have none."""

    class Sex(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        URDU = "ur", _("Urdu")

    class Fitzpatrick(models.IntegerChoices):
        I = 1, "I"  # noqa: E741 - the skin type's own name
        II = 2, "II"
        III = 3, "III"
        IV = 4, "IV"
        V = 5, "V"
        VI = 6, "VI"

    # NULL (not "") until assigned and for unknown CNICs: unique only where present.
    mrn = models.CharField(  # noqa: DJ001
        _("medical record number"), max_length=16, unique=True, null=True, editable=False
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    name_ur = models.CharField(_("name in Urdu script"), max_length=160, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    cnic = models.CharField(
        _("CNIC"), max_length=13, unique=True, null=True, blank=True, help_text=_("13 digits")
    )
    mobile = models.CharField(_("mobile"), max_length=16, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.URDU
    )
    fitzpatrick_type = models.PositiveSmallIntegerField(
        _("Fitzpatrick skin type"), choices=Fitzpatrick.choices, null=True, blank=True
    )
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=120, blank=True)
    emergency_contact_relation = models.CharField(_("relation"), max_length=60, blank=True)
    emergency_contact_phone = models.CharField(_("emergency phone"), max_length=16, blank=True)
    registered_clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.PROTECT, related_name="patients"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # A patient is never deleted (their records are kept for the audit, a recall and the law):
    # an administrator archives them instead, with a reason, and may restore them
    # (`services.archive_patient`, `restore_patient`).
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    archive_reason = models.CharField(_("why archived"), max_length=500, blank=True, editable=False)
    # The patient's portal account (role "patient"), linked at each portal sign-in to the
    # records that carry the mobile number and date of birth the person proved, and unlinked
    # here when the clinic changes either: a phone that changes hands loses the record at once.
    # One account may hold records at several clinics (one row per clinic).
    portal_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portal_records",
        editable=False,
    )

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            # Staff patient list: WHERE registered_clinic_id IN (...) ORDER BY id DESC.
            models.Index(fields=["registered_clinic", "-id"], name="patient_clinic_recent_idx"),
            models.Index(Lower("last_name"), Lower("first_name"), name="patient_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="patient_cnic_13_digits",
                condition=Q(cnic__isnull=True) | Q(Exact(Length("cnic"), 13)),
            ),
            models.UniqueConstraint(
                Lower("first_name"),
                Lower("last_name"),
                "date_of_birth",
                "mobile",
                name="patient_unique_name_dob_mobile",
            ),
            models.CheckConstraint(
                name="patient_fitzpatrick_1_to_6",
                condition=Q(fitzpatrick_type__isnull=True)
                | Q(fitzpatrick_type__gte=1, fitzpatrick_type__lte=6),
            ),
            models.CheckConstraint(
                name="patient_born_after_1900", condition=Q(date_of_birth__gte="1900-01-01")
            ),
            models.CheckConstraint(name="patient_mobile_e164", condition=Q(mobile__startswith="+")),
            # Archived with who and why, or not archived at all.
            models.CheckConstraint(
                name="patient_archived_with_reason",
                condition=Q(archived_at__isnull=True, archived_by__isnull=True, archive_reason="")
                | (Q(archived_at__isnull=False, archived_by__isnull=False) & ~Q(archive_reason="")),
            ),
        ]

    def __str__(self):
        return self.mrn or f"patient #{self.pk}"

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    def age_on(self, day) -> int:
        """Age in whole years on `day` (the screening engine's `age`)."""
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def cnic_display(self) -> str:
        return format_cnic(self.cnic) if self.cnic else ""

    @property
    def mobile_display(self) -> str:
        return format_phone(self.mobile)

    @property
    def emergency_phone_display(self) -> str:
        return format_phone(self.emergency_contact_phone) if self.emergency_contact_phone else ""


class EnquiryQuerySet(models.QuerySet):
    def for_user(self, user):
        """The enquiries `user` may see, by the enquiry's clinic (`clinics.scoping`)."""
        return scoping.restrict(self, user, scoping.Kind.ENQUIRY, clinic="clinic_id")


class Enquiry(models.Model):
    """A visitor's request for an appointment, sent from the public clinic page.

    It is personal data from the moment it is sent (a name and a mobile number), so it is scoped
    and audited like a patient record. It holds only what the visitor typed into the enquiry
    form: the public self-check's answers are never stored. Full booking replaces the "new →
    contacted → booked" handling when scheduling lands.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        BOOKED = "booked", _("Booked")
        CLOSED = "closed", _("Closed")

    class PreferredTime(models.TextChoices):
        ANY = "any", _("Any time")
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")
        EVENING = "evening", _("Evening")

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="enquiries")
    name = models.CharField(_("name"), max_length=120)
    mobile = models.CharField(_("mobile"), max_length=16)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Patient.Language.choices
    )
    concern = models.CharField(_("concern"), max_length=40, blank=True)
    preferred_time = models.CharField(
        _("preferred time"),
        max_length=10,
        choices=PreferredTime.choices,
        default=PreferredTime.ANY,
    )
    message = models.TextField(_("message"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="new")
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            # Staff inbox: WHERE clinic_id IN (...) AND status = 'new' ORDER BY id DESC.
            models.Index(fields=["clinic", "status", "-id"], name="enquiry_clinic_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(name="enquiry_mobile_e164", condition=Q(mobile__startswith="+")),
            models.CheckConstraint(
                name="enquiry_status_known",
                condition=Q(status__in=["new", "contacted", "booked", "closed"]),
            ),
            models.CheckConstraint(
                name="enquiry_language_known", condition=Q(preferred_language__in=["en", "ur"])
            ),
        ]

    def __str__(self):
        return f"enquiry #{self.pk}"

    @property
    def mobile_display(self) -> str:
        return format_phone(self.mobile)
