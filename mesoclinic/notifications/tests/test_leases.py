"""Leases and the reaper: a dead worker's lease given back and the message sent once, a worker
whose lease was taken over records nothing, two workers never claim one message, a slow batch,
a message that kills its worker every time, a fault before the provider."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from mesoclinic.notifications import services
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.tests.helpers import (
    MORNING,
    RecordingChannel,
    drain,
    enqueue,
    run_at_once,
)

pytestmark = pytest.mark.django_db


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
