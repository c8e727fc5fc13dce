"""The outbox: one row per key, messages that exist only with their cause, sends that happen
once, retries on the schedule, quiet hours (leases and the reaper: test_leases.py)."""

import time
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from mesoclinic.audit.models import AuditEvent
from mesoclinic.notifications import rules
from mesoclinic.notifications.models import Message, MessageTemplate
from mesoclinic.notifications.tests.helpers import (
    KARACHI,
    MORNING,
    VALUES,
    FailingChannel,
    RecordingChannel,
    drain,
    enqueue,
    run_at_once,
)

pytestmark = pytest.mark.django_db


def test_it_keeps_one_message_per_key():
    first = enqueue()
    second = enqueue(address="+923009999999")

    assert second.pk == first.pk
    assert Message.objects.count() == 1
    assert Message.objects.get().address == "+923001234567"


def test_it_audits_the_enqueue_without_address_or_values():
    message = enqueue()

    event = AuditEvent.objects.get(object_type="notifications.message")
    assert event.object_id == str(message.pk)
    assert event.detail == {"channel": "sms", "template": "enquiry-notice"}
    assert "923001234567" not in str(event.detail)


def test_it_enqueues_nothing_when_the_cause_rolls_back():
    class CauseFailed(Exception):
        pass

    with pytest.raises(CauseFailed), transaction.atomic():
        enqueue()
        raise CauseFailed

    assert not Message.objects.exists()


def test_it_sends_a_due_message_once():
    channel = RecordingChannel()
    enqueue()

    assert drain(channel).sent == 1
    assert drain(channel).sent == 0

    message = Message.objects.get()
    assert message.status == Message.Status.SENT
    assert message.sent_at == MORNING
    assert message.provider_message_id == "prov-enquiry-42-notice"
    assert message.body.startswith("A visitor asked Blue Area for an appointment")
    assert message.template_version.code == "enquiry-notice"
    assert message.lease_until is None
    assert [call["key"] for call in channel.calls] == ["enquiry-42-notice"]


def test_it_renders_the_body_in_the_messages_language():
    channel = RecordingChannel()
    enqueue(language="ur")

    drain(channel)

    assert channel.calls[0]["body"].startswith("ایک صارف نے ویب سائٹ پر Blue Area سے")
    assert channel.calls[0]["language"] == "ur"


def test_it_does_not_send_a_message_before_it_is_due():
    channel = RecordingChannel()
    enqueue(due_at=MORNING + timedelta(hours=1))

    assert drain(channel).sent == 0
    assert channel.calls == []
    assert drain(channel, now=MORNING + timedelta(hours=1)).sent == 1


def test_it_retries_on_the_schedule_and_then_fails_with_the_reason():
    channel = FailingChannel()
    enqueue()
    now = MORNING

    for attempt, delay in enumerate(rules.DEFAULT_RETRY_SCHEDULE, start=1):
        assert drain(channel, now=now).retried == 1
        message = Message.objects.get()
        assert message.status == Message.Status.QUEUED
        assert message.attempts == attempt
        assert message.next_attempt_at == rules.retry_at(
            now, attempts=attempt, schedule=rules.DEFAULT_RETRY_SCHEDULE
        )
        assert message.next_attempt_at == now + delay
        # Not sooner than the schedule says.
        assert drain(channel, now=message.next_attempt_at - timedelta(seconds=1)).retried == 0
        now = message.next_attempt_at

    assert drain(channel, now=now).failed == 1
    message = Message.objects.get()
    assert message.status == Message.Status.FAILED
    assert message.attempts == len(rules.DEFAULT_RETRY_SCHEDULE) + 1
    assert message.last_error == "http_503: service unavailable"
    assert channel.calls == len(rules.DEFAULT_RETRY_SCHEDULE) + 1
    assert drain(channel, now=now + timedelta(days=1)).failed == 0


def test_it_cancels_a_message_whose_values_are_missing_without_calling_the_provider():
    channel = RecordingChannel()
    enqueue(values={"clinic": "Blue Area"})

    assert drain(channel).cancelled == 1

    message = Message.objects.get()
    assert message.status == Message.Status.CANCELLED
    assert message.last_error == "values_missing: inbox_url"
    # Not retried: waiting does not mend a missing value.
    assert drain(channel, now=MORNING + timedelta(days=1)).cancelled == 0
    assert channel.calls == []


def test_it_holds_a_message_due_in_quiet_hours_until_nine():
    channel = RecordingChannel()
    eleven_pm = MORNING.replace(hour=23)
    enqueue(due_at=eleven_pm)

    assert drain(channel, now=eleven_pm).deferred == 1

    message = Message.objects.get()
    assert message.status == Message.Status.QUEUED
    assert message.attempts == 0
    nine_am = (MORNING + timedelta(days=1)).replace(hour=9)
    assert message.next_attempt_at.astimezone(KARACHI) == nine_am
    assert channel.calls == []
    assert drain(channel, now=nine_am).sent == 1


def test_it_sends_an_urgent_message_in_quiet_hours():
    channel = RecordingChannel()
    eleven_pm = MORNING.replace(hour=23)
    enqueue(due_at=eleven_pm, urgent=True)

    assert drain(channel, now=eleven_pm).sent == 1


def test_it_refuses_a_sending_row_without_a_lease():
    message = enqueue()
    message.status = Message.Status.SENDING
    with pytest.raises(IntegrityError), transaction.atomic():
        message.save(update_fields=["status"])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_it_keeps_one_message_under_concurrent_enqueues(round_):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL")

    def enqueue_in_a_transaction():
        with transaction.atomic():
            pk = enqueue(key=f"race-{round_}").pk
            # Hold the transaction open: the other INSERT waits on the unique index.
            time.sleep(0.2)
        return pk

    ids, errors = run_at_once(enqueue_in_a_transaction)

    assert errors == []
    assert len(ids) == 2 and ids[0] == ids[1]
    assert Message.objects.filter(idempotency_key=f"race-{round_}").count() == 1


@pytest.mark.parametrize(
    ("template", "values", "reason"),
    [
        ("no-such-template", VALUES, "template_invalid: no template 'no-such-template'"),
        ("stray-brace", VALUES, "template_invalid: {0}"),
        ("blank", VALUES, "empty_body"),
    ],
)
def test_it_cancels_a_message_it_cannot_write_with_the_reason(template, values, reason):
    # Rows the admin would refuse (it checks every brace), as a bad import could leave them.
    MessageTemplate.objects.create(code="stray-brace", language="en", version=1, text="Hi {0}")
    MessageTemplate.objects.create(code="blank", language="en", version=1, text=" ")
    channel = RecordingChannel()
    enqueue(template=template, values=values)

    assert drain(channel).cancelled == 1
    assert Message.objects.get().last_error == reason
    assert channel.calls == []


def test_it_refuses_a_language_it_does_not_know():
    with pytest.raises(ValueError):
        enqueue(language="fr")
    assert not Message.objects.exists()


def test_it_sends_one_message_in_a_fixed_number_of_queries(django_assert_num_queries):
    enqueue()
    channel = RecordingChannel()
    # Claim: SAVEPOINT, SELECT ids FOR UPDATE (message_due_idx), UPDATE to sending, RELEASE,
    # SELECT the leased rows. Send: UPDATE renewing the lease as its turn starts, SELECT the
    # wording (template_pick_idx); then SAVEPOINT, SELECT the row FOR UPDATE, UPDATE, RELEASE.
    # (A message to the clinic: no consent to read.)
    with django_assert_num_queries(11):
        assert drain(channel).sent == 1


class BrokenChannel:
    """A provider whose client raises something other than ChannelError."""

    def send(self, outgoing):
        raise ConnectionRefusedError("connect to sms.example.pk:443 for +923001234567 refused")


def test_an_unexpected_provider_fault_is_a_failed_attempt_named_without_personal_data():
    enqueue(key="k-broken")
    enqueue(key="k-next", due_at=MORNING)
    result = drain(BrokenChannel())

    assert result.retried == 2  # the batch went on past the first fault
    first = Message.objects.get(idempotency_key="k-broken")
    assert first.status == Message.Status.QUEUED and first.attempts == 1
    assert first.last_error == "unexpected: ConnectionRefusedError"
    assert "+92" not in first.last_error


def test_it_refuses_a_key_too_long_before_touching_the_database():
    with pytest.raises(ValueError, match="1 to 120 characters"):
        enqueue(key="k" * 121)
    with pytest.raises(ValueError):
        enqueue(key="")
    assert not Message.objects.exists()
