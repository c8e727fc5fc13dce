"""One Urdu spelling per ingredient: the formulary's names follow the glossary, and no text the
project ships (guide, screening rules, aftercare, formulary, catalog, templates) uses a spelling
the glossary replaced."""

from pathlib import Path

import pytest

from mesoclinic.formulary import glossary
from mesoclinic.formulary.models import Ingredient, Protocol

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [
    ROOT / "guide/seed/content_v1.json",
    ROOT / "care/seed/rules_v1.json",
    ROOT / "care/seed/aftercare_v1.json",
    ROOT / "care/seed/consent_texts_v2.json",
    ROOT / "care/seed/aftercare_v2.json",
    ROOT / "formulary/seed/formulary_v1.json",
    ROOT / "locale/ur/LC_MESSAGES/django.po",
    *sorted(ROOT.glob("*/templates/**/*.html")),
    *sorted(ROOT.glob("templates/**/*.html")),
]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_shipped_text_uses_a_replaced_spelling(path):
    assert glossary.variants_in(path.read_text(encoding="utf-8")) == []


@pytest.mark.django_db
def test_the_formularys_urdu_names_follow_the_glossary():
    names = dict(Ingredient.objects.values_list("code", "name_ur"))
    for code, urdu in glossary.URDU.items():
        assert names[code].startswith(urdu), code
    for protocol in Protocol.objects.all():
        assert glossary.variants_in(protocol.name_ur) == [], protocol.code


def test_spelled_replaces_every_variant_with_the_glossarys_word():
    text = "ٹرینیکسیمک ایسڈ، بایوٹن اور منوکسیڈل"
    assert glossary.spelled(text) == "ٹرانیکسامک ایسڈ، بائیوٹن اور مائناکسیڈل"
    assert glossary.variants_in(glossary.spelled(text)) == []
