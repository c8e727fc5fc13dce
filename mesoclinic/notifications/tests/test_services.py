"""The outbox: one row per key, messages that exist only with their cause, sends that happen
once, retries on the schedule, leases a dead worker gives back, quiet hours."""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction

from mesoclinic.audit.models import AuditEvent
from mesoclinic.notifications import rules, services
from mesoclinic.notifications.models import Message, MessageTemplate
from mesoclinic.notifications.tests.helpers import (
    KARACHI,
    MORNING,
    VALUES,
    FailingChannel,
    RecordingChannel,
    run_at_once,
)

pytestmark = pytest.mark.django_db


def enqueue(key="enquiry-42-notice", **overrides):
    fields = {
        "key": key,
        "channel": "sms",
        "address": "+923001234567",
        "language": "en",
        "template": "enquiry-notice",
        "values": VALUES,
        "due_at": MORNING,
        "subject": "patients.enquiry:42",
    }
    fields.update(overrides)
    return services.enqueue(**fields)


def drain(channel, now=MORNING):
    return services.drain(now=now, channel_for=lambda name: channel)


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


def test_it_gives_back_the_lease_of_a_killed_worker_and_sends_once():
    channel = RecordingChannel()
    enqueue()
    # A worker claims the message and dies before sending.
    claimed = services.claim_due(now=MORNING, limit=10, lease_for=timedelta(minutes=5))
    assert [m.status for m in claimed] == [Message.Status.SENDING]

    # While the lease is live, nobody else claims it and the reaper leaves it.
    assert services.reap_expired_leases(now=MORNING + timedelta(minutes=4)) == 0
    assert drain(channel, now=MORNING + timedelta(minutes=4)).sent == 0

    later = MORNING + timedelta(minutes=5)
    assert services.reap_expired_leases(now=later) == 1
    assert Message.objects.get().attempts == 0
    assert drain(channel, now=later).sent == 1
    assert drain(channel, now=later + timedelta(hours=1)).sent == 0
    assert len(channel.calls) == 1


def test_it_records_nothing_for_a_worker_whose_lease_was_taken_over():
    slow, fast = RecordingChannel(), RecordingChannel()
    enqueue()
    [stale] = services.claim_due(now=MORNING, limit=10, lease_for=timedelta(minutes=5))
    later = MORNING + timedelta(minutes=10)
    services.reap_expired_leases(now=later)
    [fresh] = services.claim_due(now=later, limit=10, lease_for=timedelta(minutes=5))

    assert services.send_claimed(stale, channel_impl=slow, now=later) == services.LOST
    assert services.send_claimed(fresh, channel_impl=fast, now=later) == services.SENT
    # The stale worker found its lease gone before calling the provider: one send in all.
    assert slow.calls == []
    assert [call["key"] for call in fast.calls] == ["enquiry-42-notice"]
    assert Message.objects.get().provider_message_id == "prov-enquiry-42-notice"


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


@pytest.mark.django_db(transaction=True)
def test_it_never_gives_one_message_to_two_workers_claiming_at_once():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL; SQLite serializes writers")
    for number in range(40):
        enqueue(key=f"bulk-{number}")
    claimed, errors = run_at_once(lambda: [m.pk for m in services.claim_due(now=MORNING, limit=30)])

    assert errors == []
    first, second = (set(ids) for ids in claimed)
    assert not first & second
    assert len(first | second) == 40


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


class SlowChannel(RecordingChannel):
    """A provider that takes three minutes a message: a batch outlives its first lease."""

    def __init__(self, clock):
        super().__init__()
        self.clock = clock

    def send(self, outgoing):
        self.clock[0] += timedelta(minutes=3)
        return super().send(outgoing)


def test_it_never_sends_a_row_the_reaper_gave_away_while_its_batch_ran_long():
    for n in range(3):
        enqueue(key=f"k{n}")
    clock = [MORNING]
    provider = SlowChannel(clock)
    worker_a = services.claim_due(now=MORNING, limit=10, lease_for=timedelta(minutes=5))

    # Worker A sends k0 (three minutes), then k1 (its lease renewed at the send: live).
    for message in worker_a[:2]:
        services.send_claimed(message, channel_impl=provider, now=clock[0])
    # Six minutes in, worker B reaps k2's lapsed lease and sends it itself.
    clock[0] = MORNING + timedelta(minutes=6)
    assert services.reap_expired_leases(now=clock[0]) == 1
    assert services.drain(now=clock[0], channel_for=lambda name: provider).sent == 1
    # Worker A comes to k2 at last: the lease is no longer its own, and it does not send.
    assert services.send_claimed(worker_a[2], channel_impl=provider, now=clock[0]) == "lost"

    assert sorted(call["key"] for call in provider.calls) == ["k0", "k1", "k2"]


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


class DyingChannel:
    """A provider call the worker never comes back from (killed, as SystemExit stands for here:
    no `except Exception` catches it), leaving the message in the provider's hands."""

    def send(self, outgoing):
        raise SystemExit("killed")


def test_a_message_that_outlives_its_lease_again_and_again_fails_visibly(settings):
    settings.NOTIFICATIONS_MAX_REAPS = 3
    enqueue(key="k-poison")
    now = MORNING
    for _ in range(3):
        with pytest.raises(SystemExit):
            services.drain(now=now, channel_for=lambda name: DyingChannel())
        now += timedelta(minutes=10)
        services.reap_expired_leases(now=now)
    message = Message.objects.get()
    assert message.status == Message.Status.FAILED
    assert message.reaps == 3
    assert message.last_error.startswith("lease_expired")


def test_a_lease_that_lapsed_while_the_message_waited_in_a_slow_batch_is_not_held_against_it(
    settings,
):
    # One lapse in the provider's hands would fail a message; waiting in a batch is no lapse.
    settings.NOTIFICATIONS_MAX_REAPS = 1
    for n in range(3):
        enqueue(key=f"k{n}")
    now = MORNING
    for _ in range(3):
        # A worker claims the batch and is stuck on something else until the leases run out.
        assert len(services.claim_due(now=now, limit=10, lease_for=timedelta(minutes=5))) == 3
        now += timedelta(minutes=10)
        assert services.reap_expired_leases(now=now) == 3

    assert set(Message.objects.values_list("status", "reaps")) == {(Message.Status.QUEUED, 0)}
    provider = RecordingChannel()
    assert services.drain(now=now, channel_for=lambda name: provider).sent == 3


class ExplodingChannels:
    """A configured channel that cannot be built (a setting wrong since start-up)."""

    def __call__(self, name):
        if name == "whatsapp":
            raise ImproperlyConfigured("NOTIFICATIONS_WHATSAPP['TIMEOUT'] is too long")
        return self.sms

    def __init__(self):
        self.sms = RecordingChannel()


def test_a_fault_before_the_provider_costs_that_message_one_attempt_and_the_batch_goes_on():
    enqueue(key="k-whatsapp", channel="whatsapp")
    enqueue(key="k-sms")
    channels = ExplodingChannels()

    result = services.drain(now=MORNING, channel_for=channels)

    assert (result.retried, result.sent) == (1, 1)
    broken = Message.objects.get(idempotency_key="k-whatsapp")
    assert (broken.status, broken.attempts) == (Message.Status.QUEUED, 1)
    assert broken.last_error == "unexpected: ImproperlyConfigured"
    assert not Message.objects.filter(status=Message.Status.SENDING).exists()


def test_a_reaped_message_waits_behind_what_was_already_due():
    enqueue(key="k-reaped")
    services.claim_due(now=MORNING, limit=1, lease_for=timedelta(minutes=5))
    enqueue(key="k-waiting", due_at=MORNING + timedelta(minutes=1))
    later = MORNING + timedelta(minutes=10)
    services.reap_expired_leases(now=later)
    [first] = services.claim_due(now=later, limit=1, lease_for=timedelta(minutes=5))
    assert first.idempotency_key == "k-waiting"


def test_it_refuses_a_key_too_long_before_touching_the_database():
    with pytest.raises(ValueError, match="1 to 120 characters"):
        enqueue(key="k" * 121)
    with pytest.raises(ValueError):
        enqueue(key="")
    assert not Message.objects.exists()
