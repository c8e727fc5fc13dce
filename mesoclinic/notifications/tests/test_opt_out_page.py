"""The opt-out page a message links to: no login; the link alone (a GET, as a link preview
fetches it) stops nothing; the button does, audited as the patient's own act; a forged link
is a clear "this link does not work" page with a 404, never an error."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mesoclinic.audit.models import AuditEvent
from mesoclinic.notifications import contacts, services
from mesoclinic.notifications.models import ContactConsent, Message
from mesoclinic.notifications.tests.helpers import MORNING, RecordingChannel

pytestmark = pytest.mark.django_db

PATIENT = 41


@pytest.fixture
def opted_in(clinic_a):
    return contacts.opt_in(
        patient_id=PATIENT,
        clinic_id=clinic_a.pk,
        channel="sms",
        method="in_person",
        acting_user=None,
        via="web",
    )


def link(language="en", channel="sms", clinic_id=None):
    token = contacts.opt_out_token(patient_id=PATIENT, channel=channel, clinic_id=clinic_id)
    with translation.override(language):
        return reverse("messages_public:opt_out", args=[token])


def test_opening_the_link_shows_what_stops_and_stops_nothing(client, opted_in):
    response = client.get(link())

    assert response.status_code == 200
    assert "Stop messages by SMS" in response.text
    assert 'method="post"' in response.text
    assert contacts.current_consent(patient_id=PATIENT, channel="sms").opted_in is True


def test_the_button_stops_messages_on_that_channel_without_a_login(client, opted_in, clinic_a):
    response = client.post(link(clinic_id=clinic_a.pk))

    assert response.status_code == 200
    assert "You will get no more messages" in response.text
    assert "call the clinic" in response.text
    consent = contacts.current_consent(patient_id=PATIENT, channel="sms")
    assert (consent.opted_in, consent.method, consent.recorded_by) == (
        False,
        "opt_out_link",
        None,
    )
    event = AuditEvent.objects.get(object_id=str(consent.pk))
    assert (event.actor, event.interface, event.clinic_id) == (None, "public", clinic_a.pk)


def test_a_message_due_after_the_opt_out_is_not_sent(client, opted_in, clinic_a):
    client.post(link())
    services.enqueue(
        key="recall-1",
        channel="sms",
        address="+923001234567",
        language="en",
        template="maintenance-recall",
        values={"clinic": "Blue Area", "phone": "051-1234567"},
        due_at=MORNING,
        clinic_id=clinic_a.pk,
        patient_id=PATIENT,
    )
    provider = RecordingChannel()

    services.drain(now=MORNING, channel_for=lambda name: provider)

    assert Message.objects.get().status == Message.Status.CANCELLED
    assert provider.calls == []


def test_the_button_works_without_a_csrf_cookie(opted_in):
    response = Client(enforce_csrf_checks=True).post(link())
    assert response.status_code == 200
    assert contacts.current_consent(patient_id=PATIENT, channel="sms").opted_in is False


def test_a_second_press_adds_nothing_to_the_history(client, opted_in):
    client.post(link())
    client.post(link())
    assert ContactConsent.objects.filter(patient_id=PATIENT, opted_in=False).count() == 1


def test_the_page_speaks_urdu_under_ur(client, opted_in):
    response = client.get(link("ur"))
    assert response.status_code == 200
    assert 'lang="ur"' in response.text and 'dir="rtl"' in response.text
    assert "ایس ایم ایس پر پیغامات بند کریں" in response.text  # "Stop messages by SMS"


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "eyJwIjo0MX0:1tXyZ:forgedsignature",
        "%00",
        "x" * 600,
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_or_broken_link_is_a_clear_not_found_page(client, token, method):
    response = getattr(client, method)(f"/en/messages/stop/{token}/")

    assert response.status_code in (400, 404)
    if response.status_code == 404:
        assert "This link does not work" in response.text
    assert not ContactConsent.objects.exists()


def test_a_tampered_link_stops_nothing(client, opted_in):
    good = link()
    head, _, signature = good.rstrip("/").rpartition(":")
    tampered = f"{head}:{signature[::-1]}/"

    response = client.post(tampered)

    assert response.status_code == 404
    assert "This link does not work" in response.text
    assert contacts.current_consent(patient_id=PATIENT, channel="sms").opted_in is True
