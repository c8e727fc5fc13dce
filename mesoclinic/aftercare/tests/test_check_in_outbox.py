"""Check-ins are sent once each through the outbox: each message waits until its check-in is
due, goes once when the worker drains, and a second drain sends nothing again; the link it
carries opens the form."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from mesoclinic.aftercare.models import CheckIn
from mesoclinic.notifications import contacts, services
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.tests.helpers import RecordingChannel, next_morning

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_opt_in")]


@pytest.fixture
def sms_opt_in(charted, patient_a, clinic_a, receptionist):
    """patient_a agreed at the desk to messages by SMS (without it the outbox sends nothing)."""
    contacts.opt_in(
        patient_id=patient_a.pk,
        clinic_id=clinic_a.pk,
        channel="sms",
        method="in_person",
        acting_user=receptionist,
        via="web",
    )


def _keys(session):
    return {
        f"checkin-{pk}": hours
        for pk, hours in CheckIn.objects.filter(session=session).values_list("pk", "hours_after")
    }


def test_each_check_in_goes_once_when_due_however_often_the_outbox_is_drained(charted):
    keys = _keys(charted)
    provider = RecordingChannel()
    drain = lambda now: services.drain(now=now, channel_for=lambda name: provider)  # noqa: E731

    # Two mornings after the session: the 24-hour check-in is due, the others wait.
    first_morning = next_morning(charted.ended_at + timedelta(days=1))
    drain(first_morning)
    drain(first_morning + timedelta(minutes=5))
    sent = [call["key"] for call in provider.calls if call["key"] in keys]
    assert [keys[key] for key in sent] == [24]

    # Three weeks and a day later every check-in is due: each goes once, whatever the drains.
    late = next_morning(charted.ended_at + timedelta(days=22))
    drain(late)
    drain(late)
    drain(late + timedelta(hours=1))

    sent = [call["key"] for call in provider.calls if call["key"] in keys]
    assert sorted(keys[key] for key in sent) == [24, 72, 504]
    assert len(sent) == len(set(sent))
    for key in keys:
        message = Message.objects.get(idempotency_key=key)
        assert message.status == Message.Status.SENT


def test_the_worker_task_sends_each_due_check_in_once_when_run_twice(charted, settings):
    settings.NOTIFICATIONS_CHANNELS = {"sms": "console", "email": "console"}
    settings.NOTIFICATIONS_QUIET_START = settings.NOTIFICATIONS_QUIET_END = "00:00"  # none
    keys = _keys(charted)
    # Their times have come: due an hour ago.
    past = timezone.now() - timedelta(hours=1)
    Message.objects.filter(idempotency_key__in=keys).update(due_at=past, next_attempt_at=past)

    first = services.send_due_messages.call()
    second = services.send_due_messages.call()

    assert first["sent"] >= 3 and second["sent"] == 0
    for key in keys:
        message = Message.objects.get(idempotency_key=key)
        assert message.status == Message.Status.SENT


def test_the_sent_message_carries_a_link_that_opens_the_form_and_no_clinical_word(
    charted, client, patient_a
):
    provider = RecordingChannel()
    services.drain(
        now=next_morning(charted.ended_at + timedelta(days=22)), channel_for=lambda n: provider
    )
    keys = _keys(charted)
    bodies = [call["body"] for call in provider.calls if call["key"] in keys]
    assert len(bodies) == 3
    for body in bodies:
        link = next(word for word in body.split() if "/check-in/" in word)
        assert client.get(urlsplit(link).path).status_code == 200
        for private in (patient_a.first_name, patient_a.last_name, "TXA", "melasma"):
            assert private.lower() not in body.lower()
