"""The chain's screening policy (contraindication rules) and each clinic's care settings."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mesoclinic.care import rules


class ContraindicationRule(models.Model):
    """One rule of the chain's screening policy, seeded from CLINICAL.md with its source.

    Rules are data, not code: a clinic's medical lead may change a severity (e.g. make
    breastfeeding a reviewed exception) or mark a rule confirmed, and the public self-check and
    clinic screening both follow at once. `triggers` use the vocabulary of `care.rules`
    ("flag:pregnant", "condition:seizures", "medication:anticoagulant", "allergy:planned",
    "patch_test:planned", "age:minor"); `ingredients` limits a rule to cocktails containing one
    of them. `adult_age` is the age from which an "age:minor" rule treats a person as an adult:
    the chain's default, which each clinic may replace in its care settings.
    """

    class Severity(models.TextChoices):
        ABSOLUTE = rules.Severity.ABSOLUTE.value, _("Absolute: blocks treatment")
        RELATIVE = rules.Severity.RELATIVE.value, _("Relative: needs a doctor's review")

    code = models.SlugField(max_length=60, unique=True)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    triggers = models.JSONField(help_text=_("Any of these facts fires the rule."))
    ingredients = models.JSONField(default=list, blank=True)
    indications = models.JSONField(default=list, blank=True)
    message_en = models.TextField(_("message (English)"))
    message_ur = models.TextField(_("message (Urdu)"))
    source = models.TextField()
    unverified = models.BooleanField(
        _("clinic to confirm"), default=False, help_text=_("The source is weak or missing.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    adult_age = models.PositiveSmallIntegerField(
        _("adult from (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(130)],
        help_text=_(
            "Only for a rule with the age:minor trigger: younger patients are minors. "
            "A clinic may set its own age in its care settings."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="contraindicationrule_severity_known",
                condition=Q(severity__in=[s.value for s in rules.Severity]),
            ),
            models.CheckConstraint(
                name="contraindicationrule_adult_age_range",
                condition=Q(adult_age__isnull=True) | Q(adult_age__gte=1, adult_age__lte=130),
            ),
        ]

    def __str__(self):
        return self.code

    def as_rule(self) -> rules.Rule:
        return rules.rule_from_mapping(
            {
                "code": self.code,
                "severity": self.severity,
                "triggers": self.triggers,
                "ingredients": self.ingredients,
                "indications": self.indications,
                "message_en": self.message_en,
                "message_ur": self.message_ur,
                "source": self.source,
                "unverified": self.unverified,
                "adult_age": self.adult_age,
            }
        )

    def clean(self):
        for name in ("triggers", "ingredients", "indications"):
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValidationError({name: _('Give a list of codes, e.g. ["flag:pregnant"].')})
        errors = rules.rule_errors(self.as_rule())
        if errors:
            raise ValidationError(errors)


#: Where the defaults come from (CLINICAL.md, "Patch test"; issue 15 for who records what).
PATCH_TEST_SOURCE = (
    "CLINICAL.md: no authoritative mesotherapy patch-test protocol was found (unverified); "
    "default read 24-72 h after application. Validity: mesoclinic default, clinic to confirm. "
    "Who may record each step (issue 15, mesoclinic default, clinic to confirm): consultations "
    "and plans by a credentialed doctor (dermatologist or other physician); dose overrides by "
    "a credentialed dermatologist (the formulary lets only a dermatologist pass a protocol's "
    "limit, so this setting can narrow that, not widen it); patch tests and sessions by any "
    "credentialed practitioner (dermatologist, physician or trained nurse). Registration: PMDC "
    "for doctors and dentists, PNMC for nurses and midwives."
)
#: The same, with how far back an application may be stated (issue 15).
PATCH_BACKDATE_SOURCE = (
    "Application stated at most 2 h before it is entered unless a credentialed dermatologist "
    "attests it with a reason: mesoclinic default, clinic to confirm (issue 15, a "
    "dermatologist's review: an application typed 72 h back could be read at once, so the "
    "window meant nothing)."
)
CARE_SETTINGS_SOURCE = f"{PATCH_TEST_SOURCE} {PATCH_BACKDATE_SOURCE}"


def default_allowed_qualifications() -> dict:
    """Doctors inject everything; trained nurses face and scalp mesotherapy, not fat-dissolving
    injections (mesoclinic default, clinic to confirm)."""
    return {
        "mesotherapy_face": ["dermatologist", "physician", "nurse"],
        "mesotherapy_scalp": ["dermatologist", "physician", "nurse"],
        "injection_lipolysis": ["dermatologist", "physician"],
    }


def default_recording_qualifications() -> dict:
    """Who may record each step of the pathway (`clinics.credentials.Step`), always also
    credentialed and working at the clinic (mesoclinic default, clinic to confirm; see
    PATCH_TEST_SOURCE)."""
    return {
        "consultation": ["dermatologist", "physician"],
        "plan": ["dermatologist", "physician"],
        "override": ["dermatologist"],
        "patch_test": ["dermatologist", "physician", "nurse"],
        "session": ["dermatologist", "physician", "nurse"],
    }


class CareSettings(models.Model):
    """A clinic's own values for the screening pathway, with where they came from.

    The literature gives no firm patch-test window or validity, so they are clinic data, read
    by the services and copied onto each patch test when it is applied (a later change of
    setting does not move an existing test's window). A clinic without a row uses the
    defaults (`care.selectors.care_settings`). `adult_age` left empty follows the chain's
    "minor" screening rule; set, it replaces that rule's age for this clinic's screenings,
    sessions and consents.
    """

    clinic = models.OneToOneField(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="care_settings"
    )
    patch_read_opens_hours = models.PositiveSmallIntegerField(
        _("patch test: read from (hours after application)"),
        default=24,
        validators=[MaxValueValidator(24 * 14)],
    )
    patch_read_closes_hours = models.PositiveSmallIntegerField(
        _("patch test: read until (hours after application)"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )
    patch_backdate_minutes = models.PositiveSmallIntegerField(
        _("patch test: application may be stated up to (minutes) before it is entered"),
        default=120,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("Further back needs a credentialed dermatologist's attestation with a reason."),
    )
    patch_valid_days = models.PositiveSmallIntegerField(
        _("patch test: a negative result stands for (days)"),
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    screening_valid_days = models.PositiveSmallIntegerField(
        _("a screening stands for (days) before a session asks it again"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    adult_age = models.PositiveSmallIntegerField(
        _("adult from (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(130)],
        help_text=_(
            "Below this age a screening needs a credentialed dermatologist's review and a parent "
            "or guardian signs the consent. Empty: the chain's screening rule (18 as shipped: "
            "mesoclinic default, clinic to confirm). Give your source below."
        ),
    )
    allowed_qualifications = models.JSONField(
        _("who may inject, per procedure"),
        default=default_allowed_qualifications,
        help_text=_(
            'Qualification codes per procedure, e.g. {"injection_lipolysis": ["dermatologist"]}.'
        ),
    )
    recording_qualifications = models.JSONField(
        _("who may record each step"),
        default=default_recording_qualifications,
        help_text=_(
            "Qualification codes per step (consultation, plan, override, patch_test, session), "
            'e.g. {"plan": ["dermatologist"]}. A step missing or malformed: nobody records it.'
        ),
    )
    source = models.TextField(_("source of these values"), default=CARE_SETTINGS_SOURCE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "care settings"
        constraints = [
            models.CheckConstraint(
                name="caresettings_window_ordered",
                condition=Q(patch_read_opens_hours__lt=models.F("patch_read_closes_hours"))
                & Q(patch_read_closes_hours__lte=24 * 14),
            ),
            models.CheckConstraint(
                name="caresettings_validity_bounded",
                condition=Q(patch_valid_days__gte=1, patch_valid_days__lte=3650),
            ),
            models.CheckConstraint(
                name="caresettings_adult_age_range",
                condition=Q(adult_age__isnull=True) | Q(adult_age__gte=1, adult_age__lte=130),
            ),
            models.CheckConstraint(
                name="caresettings_backdate_bounded",
                condition=Q(patch_backdate_minutes__lte=24 * 60),
            ),
        ]

    def __str__(self):
        return f"care settings of {self.clinic_id}"

    def clean(self):
        steps = {"consultation", "plan", "override", "patch_test", "session"}
        known = {"dermatologist", "physician", "dentist", "nurse", "midwife", "other"}
        value = self.recording_qualifications
        if not isinstance(value, dict) or any(
            step not in steps
            or not isinstance(codes, list)
            or not all(isinstance(c, str) and c in known for c in codes)
            for step, codes in value.items()
        ):
            raise ValidationError(
                {
                    "recording_qualifications": _(
                        "Give a list of qualification codes for each step, e.g. "
                        '{"plan": ["dermatologist", "physician"]}.'
                    )
                }
            )
        if (
            self.patch_read_opens_hours is not None
            and self.patch_read_closes_hours is not None
            and self.patch_read_opens_hours >= self.patch_read_closes_hours
        ):
            raise ValidationError(
                {"patch_read_closes_hours": _("The window must close after it opens.")}
            )
