"""A patient's Urdu name: on Urdu pages it is the name shown, and English pages load the Urdu
font so it is drawn in Nastaliq there too."""

import pytest
from django.utils import translation

from mesoclinic.patients.templatetags.patients import local_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def sana(make_patient, clinic_a):
    return make_patient(clinic_a, first_name="Sana", last_name="Malik", name_ur="ثنا ملک")


def test_it_names_the_patient_in_urdu_on_urdu_pages(sana, make_patient, clinic_a):
    with translation.override("ur"):
        assert local_name(sana) == "ثنا ملک"
        latin_only = make_patient(clinic_a, first_name="Ali", last_name="Khan", name_ur="")
        assert local_name(latin_only) == "Ali Khan"
    with translation.override("en"):
        assert local_name(sana) == "Sana Malik"


def test_the_urdu_patient_page_leads_with_the_urdu_name(client, practitioner_user, sana):
    client.force_login(practitioner_user)
    client.cookies["django_language"] = "ur"
    html = client.get(f"/patients/{sana.pk}/", HTTP_ACCEPT_LANGUAGE="ur").text
    assert '<h1><span lang="ur">ثنا ملک</span> (<bdi>Sana Malik</bdi>)</h1>' in html


def test_english_pages_load_the_urdu_font_for_urdu_names(client, practitioner_user, sana):
    client.force_login(practitioner_user)
    html = client.get(f"/patients/{sana.pk}/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "guide/fonts" in html and 'lang="ur"' in html


def test_the_skin_type_is_asked_at_the_consultation_not_at_registration(
    client, receptionist, clinic_a
):
    client.force_login(receptionist)
    html = client.get("/patients/new/").text
    assert 'name="fitzpatrick_type"' not in html
