"""Test doubles at the provider edge and a few shared values (no mocks of our own code)."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection

from mesoclinic.notifications import services
from mesoclinic.notifications.channels import ChannelError

KARACHI = ZoneInfo("Asia/Karachi")
# A Monday morning in Islamabad: outside quiet hours.
MORNING = datetime(2026, 3, 2, 11, 0, tzinfo=KARACHI)

# The values of the clinic's "new appointment request" notice (catalogue.py).
VALUES = {"clinic": "Blue Area", "inbox_url": "https://clinic.example.pk/patients/enquiries/"}


class RecordingChannel:
    """A provider that accepts everything and remembers each send; like a real provider, it
    drops a repeat of an idempotency key it has already accepted."""

    def __init__(self):
        self.calls = []
        self.delivered = {}

    def send(self, outgoing):
        self.calls.append(
            {
                "to": outgoing.to,
                "body": outgoing.body,
                "key": outgoing.idempotency_key,
                "language": outgoing.language,
                "title": outgoing.title,
                "provider_template": outgoing.provider_template,
                "parameters": outgoing.parameters,
                "free_text_allowed": outgoing.free_text_allowed,
            }
        )
        self.delivered.setdefault(outgoing.idempotency_key, outgoing.body)
        return f"prov-{outgoing.idempotency_key}"


class FailingChannel:
    """A provider that is down."""

    def __init__(self):
        self.calls = 0

    def send(self, outgoing):
        self.calls += 1
        raise ChannelError("http_503", "service unavailable")


def next_morning(now=None):
    """11:00 in Pakistan on the day after `now` (the real clock by default): every message
    queued now is due by then, and it is outside quiet hours."""
    from django.utils import timezone

    local = (now or timezone.now()).astimezone(KARACHI)
    return (local + timedelta(days=1)).replace(hour=11, minute=0, second=0, microsecond=0)


def run_at_once(function, times: int = 2) -> tuple[list, list]:
    """Call `function` in `times` threads released together by a barrier, each on its own
    database connection (closed after): the race a test needs two workers, schedulers or
    requests to run. Returns what the calls returned and the errors they raised."""
    barrier = threading.Barrier(times)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(function())
        except Exception as exc:  # the caller asserts on it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def enqueue(key="enquiry-42-notice", **overrides):
    """The clinic's appointment-request notice (catalogue wording, by SMS, due MORNING): a
    message that needs no patient's consent, for the outbox's own tests."""
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
    """What a worker does at `now`, every channel sent through `channel`."""
    return services.drain(now=now, channel_for=lambda name: channel)
