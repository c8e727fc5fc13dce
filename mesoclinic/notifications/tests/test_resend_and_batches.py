"""The staff's side of the outbox: a failed message sent again by a manager (audited), many
messages queued at once by a daily scan (once each, in constant queries), and a cause that never
waits on its message."""

import pytest
from django.db import transaction

from mesoclinic.audit.models import AuditEvent
from mesoclinic.notifications import services
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.tests.helpers import (
    MORNING,
    VALUES,
    FailingChannel,
    RecordingChannel,
)

pytestmark = pytest.mark.django_db


def fields(key="course-1-maintenance-recall", **overrides):
    return {
        "key": key,
        "channel": "sms",
        "address": "+923001234567",
        "language": "ur",
        "template": "maintenance-recall",
        "values": {"clinic": "Blue Area", "phone": "(051) 1234567", "opt_out": "https://x/o"},
        "due_at": MORNING,
        "clinic_id": None,
        "patient_id": 9,
        "subject": "care.course:1",
        **overrides,
    }


def drain(channel, now=MORNING):
    return services.drain(now=now, channel_for=lambda name: channel)


def failed_message(settings, user=None):
    settings.NOTIFICATIONS_RETRY_SCHEDULE = []  # the first failure is the last
    message = services.enqueue(
        key="enquiry-42-notice",
        channel="email",
        address="frontdesk@clinic.example",
        language="en",
        template="enquiry-notice",
        values=VALUES,
        due_at=MORNING,
        clinic_id=None,
    )
    assert drain(FailingChannel()).failed == 1
    message.refresh_from_db()
    return message


def test_it_queues_many_messages_once_each(django_assert_num_queries):
    batch = [fields(key=f"course-{n}-maintenance-recall", patient_id=n) for n in range(1, 6)]

    # the keys already queued; the savepoint, one INSERT, the rows read back, one INSERT of
    # their audit rows, the release
    with django_assert_num_queries(6):
        created = services.enqueue_many(messages=batch)
    # the keys already queued, and nothing else: they all are
    with django_assert_num_queries(1):
        again = services.enqueue_many(messages=batch)

    assert len(created) == 5 and again == []
    assert Message.objects.count() == 5
    audit = AuditEvent.objects.filter(object_type="notifications.message", action="create")
    assert sorted(int(e.object_id) for e in audit) == sorted(m.pk for m in created)
    assert {e.detail["template"] for e in audit} == {"maintenance-recall"}
    assert all("923001234567" not in str(e.detail) for e in audit)


def test_it_queues_only_the_new_ones_of_a_batch_and_one_row_per_key():
    services.enqueue(**fields(key="course-1-maintenance-recall"))
    batch = [fields(key=f"course-{n}-maintenance-recall") for n in (1, 2, 2, 3)]

    created = services.enqueue_many(messages=batch)

    assert [m.idempotency_key for m in created] == [
        "course-2-maintenance-recall",
        "course-3-maintenance-recall",
    ]
    assert Message.objects.count() == 3


def test_it_refuses_a_bad_key_in_a_batch_before_any_sql(django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(ValueError, match="1 to 120"):
        services.enqueue_many(messages=[fields(), fields(key="x" * 121)])


def test_it_goes_on_with_the_cause_when_its_message_cannot_be_queued(caplog):
    with transaction.atomic():
        services.enqueue(**fields(key="first"))
        with services.never_blocking("patients.enquiry:5"):
            # The same key through a raw INSERT: the database refuses it (an IntegrityError
            # that would abort a PostgreSQL transaction without the savepoint).
            Message.objects.create(idempotency_key="first", due_at=MORNING, next_attempt_at=MORNING)
        services.enqueue(**fields(key="second"))

    assert set(Message.objects.values_list("idempotency_key", flat=True)) == {"first", "second"}
    assert "message for patients.enquiry:5 not queued: IntegrityError" in caplog.text
    assert "923001234567" not in caplog.text


def test_it_puts_a_failed_message_back_in_the_queue_and_audits_who_asked(settings, manager):
    message = failed_message(settings)
    assert message.last_error.startswith("http_503")

    services.resend(acting_user=manager, message=message, now=MORNING)

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("queued", 0, "")
    assert message.next_attempt_at == MORNING
    event = AuditEvent.objects.get(object_type="notifications.message", action="update")
    assert event.actor == manager
    assert event.detail == {"resent": True, "failed_for": "http_503"}
    assert event.changed_fields == sorted(
        ["status", "attempts", "reaps", "next_attempt_at", "last_error", "resends"]
    )
    channel = RecordingChannel()
    assert drain(channel).sent == 1
    assert channel.calls[0]["to"] == "frontdesk@clinic.example"


def test_a_resent_message_reaches_the_provider_under_a_key_of_its_own(settings, manager):
    # The provider took the first send (and later reported it undelivered): it would drop a
    # repeat of that key as a duplicate, and the log would say "sent" for nothing.
    provider = RecordingChannel()
    services.enqueue(
        **fields(
            key="enquiry-42-notice",
            values=VALUES,
            template="enquiry-notice",
            language="en",
            patient_id=None,
        )
    )
    assert drain(provider).sent == 1
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(status=Message.Status.FAILED)

    services.resend(acting_user=manager, message=message, now=MORNING)
    assert drain(provider).sent == 1

    assert list(provider.delivered) == ["enquiry-42-notice", "enquiry-42-notice~r1"]
    assert Message.objects.get().resends == 1


def test_a_resend_after_an_unknown_outcome_keeps_the_key_so_a_provider_drops_a_repeat(manager):
    # The worker hung in the provider call until its lease ran out, three times: the provider
    # may well have taken the message. Under the same key, one that did drops the resend.
    provider = RecordingChannel()
    provider.delivered["enquiry-42-notice"] = "taken before the worker hung"
    message = services.enqueue(**fields(key="enquiry-42-notice", patient_id=None))
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.FAILED,
        last_error="lease_expired: the worker died or hung on it each time",
    )

    services.resend(acting_user=manager, message=message, now=MORNING)
    assert drain(provider).sent == 1

    assert [call["key"] for call in provider.calls] == ["enquiry-42-notice"]
    assert list(provider.delivered) == ["enquiry-42-notice"]  # the patient got it once
    assert Message.objects.get().resends == 0


@pytest.mark.parametrize("status", ["queued", "sent", "cancelled"])
def test_it_sends_again_only_a_failed_message(settings, manager, status):
    message = failed_message(settings)
    Message.objects.filter(pk=message.pk).update(status=status)

    with pytest.raises(services.NotResendable, match="Only a failed message"):
        services.resend(acting_user=manager, message=message)

    message.refresh_from_db()
    assert message.status == status
    assert not AuditEvent.objects.filter(action="update").exists()
