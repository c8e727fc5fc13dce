"""One Urdu spelling per ingredient. Pure data, no Django.

Transliterated drug names drift: the first texts spelled tranexamic acid three ways
(ٹرانیکسامک، ٹرینیکسیمک، ٹرینیکسامک), and a patient reading their consent, aftercare and the
guide should meet one name. `URDU` is the spelling every shipped text uses (the formulary's
`Ingredient.name_ur` starts with it); `VARIANTS` are spellings seen and replaced, which a test
keeps out of every text the project ships.
"""

URDU = {
    "tranexamic_acid": "ٹرانیکسامک ایسڈ",
    "kojic_acid": "کوجک ایسڈ",
    "glutathione": "گلوٹاتھائیون",
    "ascorbic_acid": "ایسکوربک ایسڈ",
    "hyaluronic_acid": "ہائیلورونک ایسڈ",
    "biotin": "بائیوٹن",
    "dutasteride": "ڈوٹاسٹرائیڈ",
    "minoxidil": "مائناکسیڈل",
    "deoxycholic_acid": "ڈی آکسی کولک ایسڈ",
    "phosphatidylcholine": "فاسفیٹیڈائل کولین",
    "lidocaine": "لیڈوکین",
    "triamcinolone": "ٹرائی ایمسینولون",
}

#: Spellings replaced by the glossary's, by ingredient.
VARIANTS = {
    "tranexamic_acid": ("ٹرینیکسیمک", "ٹرینیکسامک"),
    "biotin": ("بایوٹن",),
    "minoxidil": ("منوکسیڈل", "مینوکسیڈل", "مائنوکسیڈل"),
    "hyaluronic_acid": ("ہائلورونک", "ہیالورونک"),
    "glutathione": ("گلوٹاتھیون",),
    "lidocaine": ("لڈوکین",),
}


def spelled(text: str) -> str:
    """`text` with every known variant replaced by the glossary's spelling (the first word of
    each name, which is where the variants differ)."""
    for code, variants in VARIANTS.items():
        canonical = URDU[code].split()[0]
        for variant in variants:
            text = text.replace(variant, canonical)
    return text


def variants_in(text: str) -> list[str]:
    """The variant spellings `text` still uses."""
    return [v for variants in VARIANTS.values() for v in variants if v in text]
