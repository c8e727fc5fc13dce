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
