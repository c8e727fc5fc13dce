"""Clinical care data. For now the contraindication rules that `care.rules` evaluates; the
consultation, patch test, consent and session records join them in later issues."""

from django.core.exceptions import ValidationError
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
    "patch_test:planned"); `ingredients` limits a rule to cocktails containing one of them.
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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="contraindicationrule_severity_known",
                condition=Q(severity__in=[s.value for s in rules.Severity]),
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
