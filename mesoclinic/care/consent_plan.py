"""What a consent says of the treatment plan, and its fingerprint. Pure: no Django.

A consent is given on a planned course: its text names the planned products, the number of
sessions and the days between them, in English and Urdu, from placeholders in the published
text (`PLACEHOLDERS`) filled with the plan as it stood at signing. The plan's fingerprint
(`digest`) covers exactly what the consent names: the course, each component of its cocktail
(ingredient or product, and strength), the number of sessions and the interval. A change to
any of them ends the consent; a change to anything else (volumes, maintenance, the first date)
does not, since the consent does not state it.

A plan is a dict, as stored on the consent:
    {"course": 7, "sessions": 4, "interval_days": 21,
     "components": [{"id": 3, "ingredient": "tranexamic_acid", "product": None,
                     "strength": "4 mg/mL", "en": "Tranexamic acid 4 mg/mL", "ur": "…"}]}
"""

import hashlib
import json

#: Placeholders a consent text must carry in each language to be signed on a plan.
PLACEHOLDERS = ("{products}", "{sessions}", "{interval_days}")

_URDU_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_SEPARATOR = {"en": ", ", "ur": "، "}


def identity(plan: dict) -> dict:
    """The part of a plan the consent names: what the fingerprint covers (never the labels,
    so renaming an ingredient in the formulary does not end anyone's consent)."""
    return {
        "course": plan["course"],
        "sessions": plan["sessions"],
        "interval_days": plan["interval_days"],
        "components": sorted(
            [c["id"], c.get("ingredient") or "", c.get("product") or 0, c.get("strength") or ""]
            for c in plan["components"]
        ),
    }


def digest(plan: dict) -> str:
    """The plan's fingerprint (SHA-256 of its identity as canonical JSON)."""
    canonical = json.dumps(identity(plan), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def missing_placeholders(body: str) -> list[str]:
    """The placeholders `body` lacks (a text without them cannot name the plan)."""
    return [name for name in PLACEHOLDERS if name not in body]


def fill(body: str, plan: dict, language: str) -> str:
    """`body` with the plan's products, sessions and interval put in its placeholders, in
    `language` ("en" or "ur": Urdu gets Urdu digits and the Urdu comma). A text without
    placeholders, or an empty plan (a consent signed before consents named the plan), is
    returned unchanged."""
    if not plan:
        return body
    language = "ur" if language == "ur" else "en"
    products = _SEPARATOR[language].join(c[language] for c in plan["components"])

    def number(value: int) -> str:
        text = str(value)
        return text.translate(_URDU_DIGITS) if language == "ur" else text

    return (
        body.replace("{products}", products)
        .replace("{sessions}", number(plan["sessions"]))
        .replace("{interval_days}", number(plan["interval_days"]))
    )
