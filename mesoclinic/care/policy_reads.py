"""Reads of the screening policy that lower apps show: the formulary lists, beside each
ingredient, the rules that name it. The formulary may not import care, so care hands this
reader to it at start-up (`care.apps`, `formulary.ingredient_rules.provide`)."""

from mesoclinic.care.models import ContraindicationRule


def rules_by_ingredient() -> dict[str, list]:
    """Ingredient code -> the active contraindication rules limited to cocktails containing it
    (one query; the rules are tens of rows)."""
    attached: dict[str, list] = {}
    for rule in ContraindicationRule.objects.filter(is_active=True).order_by("code"):
        for code in rule.ingredients or []:
            attached.setdefault(code, []).append(rule)
    return attached
