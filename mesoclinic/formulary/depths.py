"""Words for the injection depths the shipped protocols name (formulary seed v1), so an Urdu
page says them in Urdu. A depth is free text on a protocol version and a charted session; one
this glossary does not know is shown as it was typed."""

from django.utils.translation import gettext_lazy as _

DEPTHS = {
    "Intradermal": _("Intradermal"),
    "Superficial to mid-dermis": _("Superficial to mid-dermis"),
    "Scalp dermis, 3–4 mm": _("Scalp dermis, 3–4 mm"),
    "Deep dermis": _("Deep dermis"),
    "Subcutaneous fat, mid-layer": _("Subcutaneous fat, mid-layer"),
}


def depth_label(depth: str) -> str:
    return str(DEPTHS.get((depth or "").strip(), depth))


def depth_from_label(text: str) -> str:
    """The protocol's words for a depth given in the page's language (as `depth_label` shows
    it); any other text as typed."""
    text = (text or "").strip()
    for depth, label in DEPTHS.items():
        if text == str(label):
            return depth
    return text
