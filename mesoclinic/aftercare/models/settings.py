"""A clinic's follow-up and escalation values, with their source."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mesoclinic.aftercare import escalation, vocabulary
from mesoclinic.clinics.models import Membership, Practitioner

AFTERCARE_SOURCE = (
    "mesoclinic defaults, clinic to confirm: side effects expected to resolve within 24–72 h "
    "(seed guide; NCTF trials resolved within 48 h); CTCAE v5.0 grades; late nodules, abscesses "
    "or discharge suggest nontuberculous mycobacteria, incubation 1–12 weeks, mean 3 weeks "
    "(Zeng et al., Infect Drug Resist 2025). Cluster of 3 events in 6 weeks: mesoclinic default."
)


def default_check_in_hours():
    return [24, 72, 504]


def default_expected():
    return list(vocabulary.DEFAULT_EXPECTED)


def default_late_infection():
    return list(vocabulary.DEFAULT_LATE_INFECTION)


def default_allergic():
    return list(vocabulary.DEFAULT_ALLERGIC)


class AftercareSettings(models.Model):
    """When a clinic asks its patients how they are, and when a report becomes an adverse
    event. A clinic without a row uses these defaults (`aftercare.selectors.settings_for`);
    a change applies to sessions charted after it (a session's check-ins are laid out once)."""

    clinic = models.OneToOneField(
        "clinics.Clinic", on_delete=models.CASCADE, related_name="aftercare_settings"
    )
    check_in_hours = models.JSONField(
        _("check-ins (hours after the session)"),
        default=default_check_in_hours,
        help_text=_("e.g. [24, 72, 504]: a day, three days and three weeks after."),
    )
    link_valid_days = models.PositiveSmallIntegerField(
        _("a check-in link works for (days after it is due)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    overdue_after_hours = models.PositiveSmallIntegerField(
        _("a check-in is overdue (hours after it is due, unanswered)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )
    escalate_grade = models.PositiveSmallIntegerField(
        _("escalate from CTCAE grade"),
        default=2,
        # Never above 3: a severe effect always reaches the dermatologist.
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    expected_hours = models.PositiveSmallIntegerField(
        _("expected effects resolve within (hours)"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )
    late_infection_days = models.PositiveSmallIntegerField(
        _("a nodule, abscess or discharge is late after (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(84)],
    )
    expected_effects = models.JSONField(_("expected effects"), default=default_expected)
    late_infection_effects = models.JSONField(
        _("late-infection effects"), default=default_late_infection
    )
    allergic_effects = models.JSONField(_("allergic signs"), default=default_allergic)
    cluster_events = models.PositiveSmallIntegerField(
        _("cluster alert at (events)"),
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
    )
    cluster_days = models.PositiveSmallIntegerField(
        _("cluster window (days)"),
        default=42,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    supervising_dermatologist = models.ForeignKey(
        "clinics.Practitioner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Told at once of every adverse event. Empty: every credentialed dermatologist of "
            "the clinic."
        ),
    )
    source = models.TextField(_("source of these values"), default=AFTERCARE_SOURCE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "aftercare settings"
        constraints = [
            models.CheckConstraint(
                name="aftercaresettings_bounded",
                condition=Q(escalate_grade__gte=1, escalate_grade__lte=3)
                & Q(cluster_events__gte=2)
                & Q(cluster_days__gte=1)
                & Q(link_valid_days__gte=1),
            ),
        ]

    def __str__(self):
        return f"aftercare settings of {self.clinic_id}"

    def clean(self):
        super().clean()
        errors = {}
        if problems := escalation.check_in_offsets(self.check_in_hours):
            errors["check_in_hours"] = problems
        for name in ("expected_effects", "late_infection_effects", "allergic_effects"):
            value = getattr(self, name)
            if not isinstance(value, list) or not all(code in vocabulary.EFFECTS for code in value):
                errors[name] = [
                    _("A list of effect codes from: %(codes)s.")
                    % {"codes": ", ".join(vocabulary.EFFECTS)}
                ]
        if self.supervising_dermatologist_id is not None and not self._supervisor_works_here():
            errors["supervising_dermatologist"] = [
                _("Choose a credentialed dermatologist who works at this clinic.")
            ]
        if errors:
            raise ValidationError(errors)

    def _supervisor_works_here(self) -> bool:
        chosen = (
            Practitioner.objects.credentialed()
            .filter(
                pk=self.supervising_dermatologist_id,
                qualification=Practitioner.Qualification.DERMATOLOGIST,
            )
            .values("user_id")
        )
        return Membership.objects.filter(user_id__in=chosen, clinic_id=self.clinic_id).exists()

    def rules(self) -> escalation.Rules:
        return escalation.Rules(
            escalate_grade=self.escalate_grade,
            expected_hours=self.expected_hours,
            late_infection_days=self.late_infection_days,
            expected=frozenset(self.expected_effects or ()),
            late_infection=frozenset(self.late_infection_effects or ()),
            allergic=frozenset(self.allergic_effects or ()),
        )
