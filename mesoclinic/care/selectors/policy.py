"""Reads of the screening policy and a clinic's care settings: what the pure engine and the
pages need to apply the chain's rules as one clinic applies them."""

from mesoclinic.care import rules
from mesoclinic.care.models import CareSettings, ContraindicationRule
from mesoclinic.formulary.models import Ingredient


def current_policy(*, settings: CareSettings | None = None) -> rules.Policy:
    """The active rules as the pure engine's Policy (one query), as a clinic applies them
    when its `settings` are given (its own adult age in the age rules), else the chain's.

    The ingredients the policy knows are the engine's vocabulary, the codes its rules can
    name. A clinic's own formulary ingredient is accepted as input (`accepted_ingredients`)
    but no rule can speak for it, so the engine screens it as "needs review", never eligible.
    """
    active = ContraindicationRule.objects.filter(is_active=True)
    policy = rules.Policy(rules=tuple(rule.as_rule() for rule in active))
    return policy.with_adult_age(settings.adult_age if settings is not None else None)


def clinic_policy(clinic_id: int) -> rules.Policy:
    """The policy as the clinic applies it (two queries: its settings, the rules)."""
    return current_policy(settings=care_settings(clinic_id))


#: The adult age used only when neither the clinic nor any screening rule gives one (the
#: chain deleted its minor rule): a parent or guardian still signs below it. Data decides in
#: every other case (the "minor" rule's adult_age, or the clinic's own).
FALLBACK_ADULT_AGE = 18


def adult_age(clinic_id: int) -> int:
    """The age from which the clinic treats a patient as an adult: its own setting, else the
    chain's age rule (the highest, active or not: switching review off does not let a child
    sign), else FALLBACK_ADULT_AGE. Two queries at most."""
    own = care_settings(clinic_id).adult_age
    if own is not None:
        return own
    ages = ContraindicationRule.objects.filter(adult_age__isnull=False).values_list(
        "adult_age", flat=True
    )
    return max(ages, default=FALLBACK_ADULT_AGE)


def accepted_ingredients() -> frozenset[str]:
    """Ingredient codes a caller may name: the vocabulary and the formulary's active ones."""
    formulary = Ingredient.objects.filter(is_active=True).values_list("code", flat=True)
    return frozenset(rules.INGREDIENTS) | frozenset(formulary)


def care_settings(clinic_id: int) -> CareSettings:
    """The clinic's settings, or the defaults (unsaved) when it has not set its own."""
    return CareSettings.objects.filter(clinic_id=clinic_id).first() or CareSettings(
        clinic_id=clinic_id
    )
