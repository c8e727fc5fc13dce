"""Messages in a clinic's outbox for the delivery-log tests (the desk's pages, the API), made
through the outbox's services: queued, sent by a recording provider, failed at one that is
down."""

from itertools import count

import pytest

from mesoclinic.notifications import services
from mesoclinic.notifications.testing import agrees_to
from mesoclinic.notifications.tests.helpers import MORNING, FailingChannel, RecordingChannel

_keys = count(1)


def agrees_to_sms(patient):
    """The patient's recorded SMS opt-in: the send-time check sends nothing without one."""
    agrees_to(patient.pk, "sms", clinic_id=patient.registered_clinic_id)


def queue(clinic, patient=None, *, key=None, **fields):
    """One aftercare message from `clinic` (to `patient`, if given), due this morning."""
    n = next(_keys)
    if patient is not None:
        agrees_to_sms(patient)
    values = {"clinic": clinic.name, "link": f"https://x/SECRET-LINK-{n}", "phone": clinic.phone}
    return services.enqueue(
        key=key or f"test-{n}-aftercare",
        channel="sms",
        address=patient.mobile if patient else "+923009876543",
        language="en",
        template="aftercare",
        values=values,
        due_at=MORNING,
        clinic_id=clinic.pk,
        patient_id=patient.pk if patient else None,
        subject=f"test:{n}",
        **fields,
    )


def deliver(channel):
    return services.drain(now=MORNING, channel_for=lambda name: channel)


@pytest.fixture
def outbox(settings, clinic_a, clinic_b, patient_a, patient_b):
    """At clinic A: a message to patient A sent, one failed (its provider down, no retries
    left), one queued; at clinic B: one to patient B, sent. Returns them by name."""
    settings.NOTIFICATIONS_RETRY_SCHEDULE = []
    sent = queue(clinic_a, patient_a)
    other = queue(clinic_b, patient_b)
    deliver(RecordingChannel())
    failed = queue(clinic_a, patient_a)
    deliver(FailingChannel())
    waiting = queue(clinic_a, patient_a)
    for message in (sent, other, failed, waiting):
        message.refresh_from_db()
    return {"sent": sent, "failed": failed, "queued": waiting, "other_clinic": other}
