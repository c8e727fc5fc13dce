"""The aftercare message end to end, as far as this side of the outbox reaches: a session is
charted, the worker sends the patient's message in Urdu, the patient follows its link to the
aftercare page, and the clinic's manager sees it sent in the delivery log."""

import pytest
from django.urls import reverse

from mesoclinic.care.tests.conftest import chart_session
from mesoclinic.notifications import services
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.tests.helpers import RecordingChannel, next_morning
from mesoclinic.patients.tests.message_fixtures import agrees_to_sms

pytestmark = pytest.mark.django_db


def test_a_charted_session_reaches_the_patient_and_shows_in_the_log(
    client, settings, make_ready, patient_a, dermatologist, lot_a, manager, clinic_a
):
    agrees_to_sms(patient_a)
    settings.PUBLIC_BASE_URL = "http://testserver"
    session = chart_session(dermatologist.user, make_ready(patient_a), lot_a)

    phone = RecordingChannel()
    # The aftercare message; charted late in the evening (Pakistan), the first check-in's
    # message is due by the next morning too.
    assert services.drain(now=next_morning(), channel_for=lambda name: phone).sent >= 1
    [received] = [
        call for call in phone.calls if "تشریف لانے کا شکریہ" in call["body"].split("\n", 1)[0]
    ]
    assert received["to"] == patient_a.mobile and received["language"] == "ur"
    assert received["body"].startswith("Clinic A Islamabad: تشریف لانے کا شکریہ")
    link = received["body"].split("ہدایات: ", 1)[1].split(" ", 1)[0]

    page = client.get(link)
    assert page.status_code == 200
    assert session.aftercare.title_ur in page.text and "(051) 2650100" in page.text

    client.force_login(manager)
    log = client.get(reverse("clinics:messages", args=[clinic_a.slug]), {"status": "sent"})
    message = Message.objects.get(template="aftercare")
    row = log.text.split(f'id="message-{message.pk}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-status="sent"' in row and "Aftercare" in row and "Urdu" in row
    assert patient_a.mobile[-4:] in row and patient_a.mobile not in row
