"""Reads for care: the screening policy the rules engine evaluates."""

from mesoclinic.care import rules
from mesoclinic.care.models import ContraindicationRule


def current_policy() -> rules.Policy:
    """The active rules as the pure engine's Policy (one query).

    Until the formulary issue lands, the ingredients the policy knows are the engine's
    vocabulary; the formulary's ingredient table takes over then.
    """
    active = ContraindicationRule.objects.filter(is_active=True)
    return rules.Policy(
        rules=tuple(rule.as_rule() for rule in active),
        known_ingredients=frozenset(rules.INGREDIENTS),
    )
