from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def plain(value):
    """A stored decimal as people write it: 0.050 -> 0.05, 5.00 -> 5, -2.00 -> 2 (amounts out
    of stock are shown without their ledger sign); None -> an en dash."""
    if value is None or value == "":
        return "–"
    number = abs(Decimal(value)).normalize()
    return f"{number:f}"


@register.simple_tag
def span(low, high):
    """A range whose ends may be missing: "0.02–0.05", "≤ 3", "≥ 1" or "–"."""
    if low is not None and high is not None:
        return f"{plain(low)}–{plain(high)}"
    if high is not None:
        return f"≤ {plain(high)}"
    if low is not None:
        return f"≥ {plain(low)}"
    return "–"


@register.filter
def depth(value):
    """An injection depth in the page's language when it is one the glossary knows
    (`formulary.depths`), else as typed."""
    from mesoclinic.formulary.depths import depth_label

    return depth_label(value)
