"""Aftercare v2: the late-lump warning in both languages, and the clinic's phone as people
write it."""

import pytest
from django.urls import reverse

from mesoclinic.care import selectors
from mesoclinic.care.models import TreatmentSession
from mesoclinic.care.tests.test_session_pages import session_post, start_session_page
from mesoclinic.care.vocabulary import PROCEDURES

pytestmark = pytest.mark.django_db


def test_every_procedure_hands_over_aftercare_v2_warning_of_lumps_weeks_later(
    shipped_care_data,
):
    for procedure in PROCEDURES:
        text = selectors.current_aftercare(procedure)
        assert text.version == 2
        assert "1 to 12 weeks after the session" in text.body_en
        assert "nontuberculous mycobacteria" in text.body_en
        assert "۱ سے ۱۲ ہفتے" in text.body_ur
        # The warning comes before "call the clinic at once", which stays the last word.
        assert text.body_en.rsplit("\n\n", 1)[1].startswith("Call the clinic at once")


def test_the_aftercare_page_gives_the_clinics_phone_in_local_format(
    client, dermatologist, make_ready, patient_a, lot_a, clinic_a
):
    ready = make_ready(patient_a)
    client.force_login(dermatologist.user)
    start = start_session_page(client, ready)
    client.post(reverse("care:session_new", args=[ready.pk]), session_post(lot_a, start))
    session = TreatmentSession.objects.get()
    assert session.aftercare.version == 2
    page = client.get(reverse("care:aftercare", args=[session.pk])).text
    assert f'<span class="ltr" id="aftercare-phone">{clinic_a.phone_display}</span>' in page
    assert "(051) 2650100" in page  # as Islamabad writes it, not +92512650100
    assert clinic_a.phone not in page
    assert "Lumps weeks later" in page
