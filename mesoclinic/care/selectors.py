"""Reads for care: the screening policy the rules engine evaluates."""

from mesoclinic.care import rules
from mesoclinic.care.models import ContraindicationRule
from mesoclinic.formulary.models import Ingredient


def current_policy() -> rules.Policy:
    """The active rules as the pure engine's Policy (two queries).

    The ingredients the policy knows are the engine's vocabulary plus the formulary's active
    ingredients, so a clinic's own ingredient is screened (as "needs review" until a rule names
    it) rather than reported as unknown.
    """
    active = ContraindicationRule.objects.filter(is_active=True)
    formulary = Ingredient.objects.filter(is_active=True).values_list("code", flat=True)
    return rules.Policy(
        rules=tuple(rule.as_rule() for rule in active),
        known_ingredients=frozenset(rules.INGREDIENTS) | frozenset(formulary),
    )
