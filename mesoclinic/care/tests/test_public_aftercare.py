"""The aftercare page a patient opens from their message: no login, a signed link, the
instructions in the link's language with the clinic's name and number and nothing else about
them; an expired or altered link gets a clear page that names no clinic, never a 500."""

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import translation

from mesoclinic.audit.models import AuditEvent
from mesoclinic.care import aftercare_link
from mesoclinic.care.tests.conftest import chart_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(make_ready, patient_a, dermatologist, lot_a):
    return chart_session(dermatologist.user, make_ready(patient_a), lot_a)


def url(token, language="en"):
    with translation.override(language):
        return reverse("care_public:aftercare", kwargs={"token": token})


def test_it_shows_the_instructions_in_the_links_language_with_the_clinics_number(
    client, session, clinic_a
):
    token = aftercare_link.token_for(session.pk)

    english = client.get(url(token, "en"))
    urdu = client.get(url(token, "ur"))

    assert english.status_code == urdu.status_code == 200
    assert session.aftercare.title_en in english.text
    assert session.aftercare.body_en.splitlines()[0] in english.text
    assert session.aftercare.title_ur not in english.text
    assert session.aftercare.title_ur in urdu.text and 'lang="ur"' in urdu.text
    for page in (english, urdu):
        assert "Clinic A Islamabad" in page.text
        assert f'href="tel:{clinic_a.phone}"' in page.text and "(051) 2650100" in page.text


def test_it_shows_nothing_else_about_the_patient_or_the_session(client, session, patient_a):
    page = client.get(url(aftercare_link.token_for(session.pk))).text
    for private in (
        patient_a.first_name,
        patient_a.last_name,
        patient_a.mrn,
        patient_a.mobile[-7:],
        session.needle,
        "TXA",
    ):
        assert private not in page


def test_it_is_private_to_whoever_holds_the_link(client, session):
    response = client.get(url(aftercare_link.token_for(session.pk)))
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


def test_it_audits_the_read_as_a_public_one(client, session):
    client.get(url(aftercare_link.token_for(session.pk)))
    event = AuditEvent.objects.get(
        object_type="care.treatmentsession", object_id=str(session.pk), action="view"
    )
    assert (event.actor, event.interface, event.clinic_id) == (None, "public", session.clinic_id)


def test_an_expired_link_answers_410_with_a_page_that_names_no_clinic(
    client, session, settings, monkeypatch
):
    settings.AFTERCARE_LINK_DAYS = 90
    made_at = time.time() - timedelta(days=91).total_seconds()
    with monkeypatch.context() as clock:
        clock.setattr(time, "time", lambda: made_at)
        token = aftercare_link.token_for(session.pk)

    response = client.get(url(token, "ur"))

    assert response.status_code == 410
    assert "Clinic A" not in response.text and session.aftercare.title_ur not in response.text
    assert "call the number in your message" in client.get(url(token)).text
    assert not AuditEvent.objects.filter(interface="public", action="view").exists()


def test_a_link_still_opens_on_its_last_day(client, session, settings, monkeypatch):
    settings.AFTERCARE_LINK_DAYS = 90
    made_at = time.time() - timedelta(days=89, hours=23).total_seconds()
    with monkeypatch.context() as clock:
        clock.setattr(time, "time", lambda: made_at)
        token = aftercare_link.token_for(session.pk)
    assert client.get(url(token)).status_code == 200


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature altered
        lambda token: "9" + token,  # another session's id, same signature
        lambda token: token.split(".", 1)[0],  # cut short
        lambda token: "garbage",
        lambda token: "x" * 3000,
        lambda token: signing.dumps(token.split(".", 1)[0]),  # signed, for another purpose
    ],
)
def test_an_altered_link_answers_404_with_a_clear_page(client, session, forge):
    token = forge(aftercare_link.token_for(session.pk))
    response = client.get(url(token))
    assert response.status_code == 404
    assert "This link does not open a page" in response.text
    assert "Clinic A" not in response.text


def test_a_link_to_a_session_that_is_gone_answers_404(client, session):
    response = client.get(url(aftercare_link.token_for(session.pk + 1000)))
    assert response.status_code == 404
    assert "This link does not open a page" in response.text


def test_the_pages_of_an_altered_link_read_in_urdu(client, session):
    response = client.get(url("garbage", "ur"))
    assert response.status_code == 404
    assert 'lang="ur"' in response.text
    assert "This link does not open a page" not in response.text
