"""Reads of the screening policy shown beside the formulary: the rules that name each
ingredient, on the products page (`desk`) and the ingredient admin (`care.admin`). The
formulary itself never reads them: it sits a floor below care."""

from mesoclinic.care.models import ContraindicationRule


def rules_by_ingredient() -> dict[str, list]:
    """Ingredient code -> the active contraindication rules limited to cocktails containing it
    (one query; the rules are tens of rows)."""
    attached: dict[str, list] = {}
    for rule in ContraindicationRule.objects.filter(is_active=True).order_by("code"):
        for code in rule.ingredients or []:
            attached.setdefault(code, []).append(rule)
    return attached
