"""A provider down, slow, answering garbage or gone: the message retries on the schedule, then
fails where the clinic sees it, with a reason free of personal data; nothing is sent twice."""

import time
from datetime import timedelta

import pytest

from mesoclinic.notifications import rules, services
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.testing import enqueue_patient_message
from mesoclinic.notifications.testing.providers import (
    DOWN,
    GARBAGE,
    REJECT,
    SLOW,
    THROTTLED,
    UNDELIVERABLE,
    UP,
)
from mesoclinic.notifications.tests.helpers import MORNING

pytestmark = pytest.mark.django_db


def enqueue(channel="sms", key="appointment-42-reminder-24h"):
    return enqueue_patient_message(key, channel, due_at=MORNING)


@pytest.mark.parametrize(
    ("mode", "channel", "reason"),
    [
        (DOWN, "sms", "http_503: the provider answered 503 (error 2)"),
        (GARBAGE, "sms", "bad_answer: the provider's answer is not JSON"),
        (DOWN, "whatsapp", "http_503: the provider answered 503 (error 2)"),
        (GARBAGE, "whatsapp", "bad_answer: the provider's answer is not JSON"),
    ],
)
def test_it_retries_a_failing_provider_with_backoff_then_fails_with_the_reason(
    fake_providers, mode, channel, reason
):
    fake_providers.mode = mode
    enqueue(channel)
    now = MORNING

    for attempt, delay in enumerate(rules.DEFAULT_RETRY_SCHEDULE, start=1):
        assert services.drain(now=now).retried == 1
        message = Message.objects.get()
        assert (message.status, message.attempts) == (Message.Status.QUEUED, attempt)
        assert message.next_attempt_at == now + delay
        assert message.last_error == reason
        # Not sooner than the schedule says.
        assert services.drain(now=now + delay - timedelta(seconds=1)).retried == 0
        now += delay

    assert services.drain(now=now).failed == 1
    message = Message.objects.get()
    assert message.status == Message.Status.FAILED
    assert message.last_error == reason
    assert "923001234567" not in message.last_error
    assert fake_providers.deliveries == []


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
def test_a_request_the_provider_refuses_fails_at_once_without_retrying(fake_providers, channel):
    fake_providers.mode = REJECT
    enqueue(channel)

    # Waiting hours would not make an undeliverable number deliverable: failed on the spot,
    # where the clinic sees it, with the provider's code.
    assert services.drain(now=MORNING).failed == 1
    message = Message.objects.get()
    assert (message.status, message.attempts) == (Message.Status.FAILED, 1)
    assert message.last_error == "http_400: the provider answered 400 (error 131026)"


@pytest.mark.parametrize("code", [THROTTLED, 131048, 131056, 80007, 4, 131000, 1, 2, 133004])
def test_whatsapp_throttling_answered_with_a_400_is_retried_not_failed(fake_providers, code):
    fake_providers.mode = REJECT
    fake_providers.reject_code = code
    enqueue("whatsapp")

    # Meta throttles with a 400 too: waiting is exactly what cures it.
    assert services.drain(now=MORNING).retried == 1
    message = Message.objects.get()
    assert (message.status, message.attempts) == (Message.Status.QUEUED, 1)
    assert message.last_error == f"http_400: the provider answered 400 (error {code})"

    fake_providers.mode = UP
    assert services.drain(now=message.next_attempt_at).sent == 1
    assert fake_providers.delivered_keys() == {"appointment-42-reminder-24h": 1}


@pytest.mark.parametrize("code", [UNDELIVERABLE, 131047, 132000, 132001, 100])
def test_a_whatsapp_400_with_any_other_code_fails_at_once(fake_providers, code):
    fake_providers.mode = REJECT
    fake_providers.reject_code = code
    enqueue("whatsapp")

    assert services.drain(now=MORNING).failed == 1
    assert Message.objects.get().last_error == f"http_400: the provider answered 400 (error {code})"


def test_the_sms_gateway_is_judged_by_its_http_status_not_by_whatsapps_codes(fake_providers):
    fake_providers.mode = REJECT
    fake_providers.reject_code = THROTTLED
    enqueue("sms")

    assert services.drain(now=MORNING).failed == 1


def test_a_providers_error_code_that_is_not_a_short_code_is_not_kept(fake_providers):
    fake_providers.mode = REJECT
    fake_providers.reject_code = 923001234567  # the number, echoed as a "code"
    enqueue("sms")

    assert services.drain(now=MORNING).failed == 1
    assert Message.objects.get().last_error == "http_400: the provider answered 400 (error unknown)"


def test_a_provider_back_up_gets_the_message_once(fake_providers):
    fake_providers.mode = DOWN
    enqueue()
    assert services.drain(now=MORNING).retried == 1

    fake_providers.mode = UP
    assert services.drain(now=MORNING + timedelta(minutes=1)).sent == 1

    message = Message.objects.get()
    assert message.status == Message.Status.SENT
    assert message.attempts == 1
    assert fake_providers.delivered_keys() == {"appointment-42-reminder-24h": 1}


def test_a_slow_provider_times_out_and_the_retry_is_not_delivered_twice(fake_providers, settings):
    settings.NOTIFICATIONS_SMS = {**settings.NOTIFICATIONS_SMS, "TIMEOUT": 0.3}
    fake_providers.slow_seconds = 2
    fake_providers.mode = SLOW
    enqueue()

    started = time.monotonic()
    assert services.drain(now=MORNING).retried == 1
    assert time.monotonic() - started < 1.8  # we stopped waiting at the timeout
    assert Message.objects.get().last_error == "timeout: no answer within 0.3 s"

    # The slow provider still accepts the first request after we gave up on it; the retry
    # carries the same key, so the patient gets one message whichever lands first.
    fake_providers.mode = UP
    assert services.drain(now=MORNING + timedelta(minutes=1)).sent == 1
    deadline = time.monotonic() + 10
    while len(fake_providers.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)

    assert len(fake_providers.requests) == 2
    assert fake_providers.delivered_keys() == {"appointment-42-reminder-24h": 1}
    message = Message.objects.get()
    assert message.provider_message_id == fake_providers.deliveries[0].id


def test_a_provider_that_refuses_connections_is_a_failed_attempt(fake_providers):
    enqueue()
    fake_providers.stop()

    assert services.drain(now=MORNING).retried == 1

    assert Message.objects.get().last_error == "refused: the provider refused the connection"
