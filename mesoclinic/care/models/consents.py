"""Consent: versioned texts per procedure, and each patient's signed, witnessed consent."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mesoclinic.care import consent_plan, entries
from mesoclinic.care.models.consultations import PatientRecordQuerySet
from mesoclinic.care.storage import private_storage
from mesoclinic.care.vocabulary import PROCEDURES
from mesoclinic.clinics import scoping


class ConsentQuerySet(PatientRecordQuerySet):
    """Consents are not clinical records to the scoping rule: receptionists witness them."""

    kind = scoping.Kind.CONSENT


class ConsentText(models.Model):
    """One version of the consent wording for a kind of procedure, in English and Urdu.

    A published text is what patients sign, so it is never edited (the admin shows it read-only):
    a change is a new version, and each signed consent keeps the version it was signed on.
    From version 2 the body names the patient's plan through placeholders
    (`care.consent_plan.PLACEHOLDERS`), filled from the course at signing; a text without them
    cannot be signed.
    """

    procedure = models.CharField(
        max_length=30, choices=[(code, code) for code in PROCEDURES], db_index=True
    )
    version = models.PositiveSmallIntegerField()
    title_en = models.CharField(max_length=200)
    title_ur = models.CharField(max_length=200)
    body_en = models.TextField(help_text=_("What is done, benefits, risks, alternatives."))
    body_ur = models.TextField()
    photo_en = models.TextField(help_text=_("The separate photo-consent question."))
    photo_ur = models.TextField()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["procedure", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="consenttext_version"),
            models.CheckConstraint(
                name="consenttext_procedure_known", condition=Q(procedure__in=PROCEDURES)
            ),
        ]

    def __str__(self):
        return f"{self.procedure} v{self.version}"

    def title(self, language: str) -> str:
        return self.title_ur if language == "ur" else self.title_en

    def body(self, language: str) -> str:
        return self.body_ur if language == "ur" else self.body_en

    @property
    def missing_placeholders(self) -> list[str]:
        """The plan placeholders either language's body lacks."""
        return sorted(
            set(consent_plan.missing_placeholders(self.body_en))
            | set(consent_plan.missing_placeholders(self.body_ur))
        )

    def clean(self):
        super().clean()
        if self.version and self.version >= 2 and self.missing_placeholders:
            raise ValidationError(
                _("The text must name the plan in both languages: %(missing)s.")
                % {"missing": " ".join(self.missing_placeholders)}
            )

    def photo_question(self, language: str) -> str:
        return self.photo_ur if language == "ur" else self.photo_en


class Consent(models.Model):
    """A patient's signed consent to a procedure, given against one screening.

    Valid until it is invalidated: a later consultation whose facts differ from the screening
    it was given against invalidates it (the patient must consent knowing the new facts), and
    it is only ever for its procedure. It is given on one planned course (`course`) and names
    that plan (`plan`: products, number of sessions, interval, as they stood at signing, with
    their fingerprint `plan_digest`): changing any of them ends it, and completing or
    cancelling the course ends it (`services.courses`), so the next course is consented
    afresh. Consents signed before consents named the plan have no course and were ended by
    the migration that introduced it.
    """

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        URDU = "ur", "اردو"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="consents"
    )
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    consultation = models.ForeignKey(
        "care.Consultation", on_delete=models.PROTECT, related_name="consents"
    )
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(
        "care.Course",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        help_text=_("The planned course this consent names (empty only on old consents)."),
    )
    plan = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("The plan as the patient read it: products, sessions, interval."),
    )
    plan_digest = models.CharField(max_length=64, blank=True)
    language = models.CharField(_("language read"), max_length=2, choices=Language.choices)
    signer_name = models.CharField(_("name, typed by the patient"), max_length=160)
    signer_relation = models.CharField(
        _("signer's relation to the patient"),
        max_length=60,
        blank=True,
        help_text=_("Empty when the patient signs; a parent or guardian signs for a minor."),
    )
    signature = models.JSONField(help_text=_("Strokes drawn on the screen (see care.signature)."))
    photo_consent = models.BooleanField(_("agrees to photo use"))
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)
    invalidated_at = models.DateTimeField(null=True, blank=True)
    invalidated_reason = models.CharField(max_length=200, blank=True)
    pdf = models.FileField(storage=private_storage, max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    #: The row's last change (its end, its PDF copy stored or forgotten): FHIR's
    #: meta.lastUpdated and version. Every `.update()` of a consent sets it too.
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["patient", "-id"], name="consent_patient_idx")]
        constraints = [
            models.CheckConstraint(name="consent_signer_named", condition=~Q(signer_name="")),
            # A double submit cannot leave two standing consents for the same screening.
            models.UniqueConstraint(
                fields=["consultation", "text"],
                condition=Q(invalidated_at__isnull=True),
                name="consent_one_valid_per_screening",
            ),
            # The consent on a course under way: one standing at a time.
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(invalidated_at__isnull=True, course__isnull=False),
                name="consent_one_valid_per_course",
            ),
            models.CheckConstraint(
                name="consent_plan_with_course",
                condition=Q(course__isnull=True, plan_digest="")
                | (Q(course__isnull=False) & ~Q(plan_digest="")),
            ),
            models.CheckConstraint(
                name="consent_invalidation_explained",
                condition=Q(invalidated_at__isnull=True, invalidated_reason="")
                | (Q(invalidated_at__isnull=False) & ~Q(invalidated_reason="")),
            ),
        ]

    def __str__(self):
        return f"consent {self.pk}"

    @property
    def entered_apart(self) -> bool:
        return entries.entered_apart(self.signed_at, self.entered_at)

    @property
    def is_valid(self) -> bool:
        return self.invalidated_at is None

    def body(self, language: str) -> str:
        """The text as the patient read it, the plan filled in."""
        return consent_plan.fill(self.text.body(language), self.plan, language)

    @property
    def body_en(self) -> str:
        return self.body("en")

    @property
    def body_ur(self) -> str:
        return self.body("ur")

    @property
    def products_label(self) -> str:
        """The planned products in the page's language ("" on an old consent)."""
        language = "ur" if get_language() == "ur" else "en"
        return ("، " if language == "ur" else ", ").join(
            c[language] for c in self.plan.get("components", ())
        )

    @property
    def ended_by(self) -> str:
        """What ended the consent, for the page: "plan" (its plan changed), "course" (the
        course ended), "text" (signed before consents named the plan), or "facts"."""
        reason = self.invalidated_reason
        if reason.startswith(PLAN_CHANGED):
            return "plan"
        if reason.startswith("Course "):
            return "course"
        if reason.startswith(PLAN_NOT_NAMED):
            return "text"
        return "facts"


#: How the invalidation reasons that `Consent.ended_by` tells apart begin.
PLAN_CHANGED = "The plan of course"
PLAN_NOT_NAMED = "Signed before consents named the plan"
