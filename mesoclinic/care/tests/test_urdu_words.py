"""Clinical words on Urdu pages: the injection depth is said in Urdu, not left in English."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from mesoclinic.formulary.depths import DEPTHS, depth_label

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "formulary" / "seed" / "formulary_v1.json"


def test_every_shipped_protocols_depth_has_its_urdu_words():
    protocols = json.loads(SEED.read_text(encoding="utf-8"))["protocols"]
    with translation.override("ur"):
        for protocol in protocols:
            depth = protocol["version"]["depth"]
            assert depth in DEPTHS
            assert depth_label(depth) != depth, depth


def test_a_depth_the_glossary_does_not_know_is_shown_as_typed():
    with translation.override("ur"):
        assert depth_label("1.5–2 mm, mid-dermis") == "1.5–2 mm, mid-dermis"


def test_the_plan_says_intradermal_in_urdu_on_urdu_pages(
    client, dermatologist, make_ready, patient_a
):
    plan = make_ready(patient_a)
    client.force_login(dermatologist.user)
    url = reverse("care:course", args=[plan.pk])
    assert "<dd>Intradermal</dd>" in client.get(url).text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    urdu = client.get(url).text
    assert "<dd>جلد کے اندر (انٹرا ڈرمل)</dd>" in urdu
    assert "Intradermal" not in urdu


def test_the_charting_page_offers_the_depth_in_urdu_and_stores_the_protocols_words(
    client, dermatologist, make_ready, patient_a, lot_a
):
    from mesoclinic.care.models import TreatmentSession
    from mesoclinic.care.tests.test_session_pages import session_post, start_session_page

    plan = make_ready(patient_a)
    client.force_login(dermatologist.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    start = start_session_page(client, plan)
    new = reverse("care:session_new", args=[plan.pk])
    form = client.get(new, {"start": start}).text
    assert 'value="جلد کے اندر (انٹرا ڈرمل)"' in form
    client.post(new, session_post(lot_a, start, depth="جلد کے اندر (انٹرا ڈرمل)"))
    session = TreatmentSession.objects.get()
    assert session.depth == "Intradermal"  # shown in each page's language from here on
    page = client.get(reverse("care:session", args=[session.pk])).text
    assert "جلد کے اندر (انٹرا ڈرمل)" in page and "Intradermal" not in page
