"""A worker killed by SIGKILL at each step of a send (claimed, right before the provider call,
after the provider answered but before the row is marked): a second worker, once the dead
one's lease has run out, finishes the job. Every due message reaches the fake provider exactly
once and none is lost. Real processes (`manage.py drain_outbox`), a real database both can
see (the test's own, committed: `transactional_db`), real HTTP to the fake providers."""

import signal
import time

import pytest
from django.utils import timezone

from mesoclinic.notifications import services
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.testing import enqueue_patient_message

pytestmark = pytest.mark.django_db(transaction=True)

SMS_KEY, WHATSAPP_KEY = "appointment-41-reminder-24h", "appointment-42-reminder-24h"
# Short, so the test waits little for the dead worker's lease; longer than the channels'
# timeout (2 s: a loaded test machine still answers in time), as the command insists.
LEASE = "3"
FAST = {"SMS_GATEWAY_TIMEOUT": "2", "WHATSAPP_TIMEOUT": "2"}


def enqueue_due_messages():
    for key, channel in ((SMS_KEY, "sms"), (WHATSAPP_KEY, "whatsapp")):
        # Urgent: due now, at whatever hour of the Karachi night the test runs.
        enqueue_patient_message(key, channel, language="ur", urgent=True)


def wait_for_leases_to_run_out():
    latest = max(Message.objects.values_list("lease_until", flat=True))
    while timezone.now() <= latest:
        time.sleep(0.1)


@pytest.mark.parametrize("step", services.CRASH_STEPS)
def test_a_worker_killed_at_any_step_loses_nothing_and_sends_nothing_twice(
    step, run_worker, fake_providers
):
    enqueue_due_messages()

    killed = run_worker("--lease-seconds", LEASE, env={**FAST, "MESOCLINIC_CRASH_AT": step})

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # The dead worker held both messages (one claim) and marked neither.
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENDING}
    reached = {"after_provider": {SMS_KEY: 1}}.get(step, {})
    assert fake_providers.delivered_keys() == reached

    wait_for_leases_to_run_out()
    finished = run_worker("--lease-seconds", LEASE, env=FAST)

    assert finished.returncode == 0, finished.stderr
    assert "reaped 2, sent 2, retried 0, failed 0" in finished.stdout
    assert fake_providers.delivered_keys() == {SMS_KEY: 1, WHATSAPP_KEY: 1}
    for message in Message.objects.all():
        assert message.status == Message.Status.SENT
        assert message.provider_message_id == fake_providers.delivery(message.idempotency_key).id
    if step == "after_provider":
        # The provider saw the SMS twice and delivered it once (the key), and its first id
        # is the one recorded, so its delivery report will find the message.
        assert fake_providers.requests.count(("sms", SMS_KEY)) == 2


def test_the_worker_refuses_a_lease_no_longer_than_a_channels_timeout(run_worker):
    refused = run_worker("--lease-seconds", "2", env=FAST)

    assert refused.returncode != 0
    assert "--lease-seconds (2) must be longer than the" in refused.stderr
