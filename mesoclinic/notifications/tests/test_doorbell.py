"""The doorbell: a message due now is sent by the real worker (`db_worker`) seconds after its
cause commits; a thousand messages ring once; a ring that fails never reaches the caller."""

import logging
from datetime import timedelta

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mesoclinic.notifications import services
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.tests.helpers import VALUES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def console(settings):
    settings.NOTIFICATIONS_CHANNELS = {"sms": "console"}


def _enqueue(key="enquiry-7-notice", **overrides):
    # Urgent, so the tests pass at any hour of the Karachi night (quiet hours).
    fields = {
        "key": key,
        "channel": "sms",
        "address": "+923001234567",
        "language": "ur",
        "template": "enquiry-notice",
        "values": VALUES,
        "urgent": True,
        **overrides,
    }
    return services.enqueue(**fields)


def _rings(status=TaskResultStatus.READY):
    return DBTaskResult.objects.filter(
        task_path=services.send_due_messages.module_path, status=status
    )


# The worker closes its connection between tasks, as it must in production, which would end
# a test's surrounding transaction: the tests that run it commit for real.
@pytest.mark.django_db(transaction=True)
def test_it_sends_a_due_message_through_the_worker(run_task_worker, caplog):
    with transaction.atomic():
        message = _enqueue()
        # Nothing rings before the commit: a rolled-back cause must not wake the worker.
        assert not _rings().exists()
    assert _rings().count() == 1

    with caplog.at_level(logging.INFO, logger="mesoclinic.notifications"):
        run_task_worker()

    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.body.startswith("ایک صارف نے ویب سائٹ پر Blue Area سے ملاقات کا وقت مانگا ہے۔")
    assert "*********4567 [enquiry-notice, ur]" in caplog.text
    ring = _rings(TaskResultStatus.SUCCESSFUL).get()
    assert ring.return_value == {
        "reaped": 0,
        "sent": 1,
        "retried": 0,
        "failed": 0,
        "deferred": 0,
        "lost": 0,
        "cancelled": 0,
    }


def test_it_does_not_ring_for_a_message_due_later(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _enqueue(due_at=timezone.now() + timedelta(days=90))
    assert callbacks == []
    assert not _rings().exists()


def test_it_rings_once_for_a_thousand_messages_in_one_transaction(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for number in range(1000):
            _enqueue(key=f"recall-{number}")
    assert len(callbacks) == 1
    assert _rings().count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_rings_again_only_after_the_waiting_ring_was_answered(run_task_worker):
    _enqueue(key="first")
    _enqueue(key="second")  # finds the first ring still waiting
    assert _rings().count() == 1
    run_task_worker()
    assert services.ring_doorbell() is True
    assert _rings().count() == 1 and _rings(TaskResultStatus.SUCCESSFUL).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_long_backlog_is_sent_by_a_chain_of_short_rings(settings, run_task_worker):
    settings.NOTIFICATIONS_DOORBELL_MESSAGES = 3
    with transaction.atomic():
        for number in range(7):
            _enqueue(key=f"backlog-{number}")

    run_task_worker()

    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}
    sent = sorted(r.return_value["sent"] for r in _rings(TaskResultStatus.SUCCESSFUL))
    assert sent == [1, 3, 3]


@pytest.mark.django_db(transaction=True)
def test_it_reaps_a_lease_whose_worker_died_before_sending(run_task_worker):
    _enqueue()
    DBTaskResult.objects.all().delete()  # that ring was answered by the worker that died
    # The worker that leased it died an hour ago.
    services.claim_due(now=timezone.now(), limit=1, lease_for=timedelta(hours=-1))
    services.ring_doorbell()  # the scheduler's next tick

    run_task_worker()

    assert Message.objects.get().status == Message.Status.SENT
    assert _rings(TaskResultStatus.SUCCESSFUL).get().return_value["reaped"] == 1


def test_a_ring_that_fails_never_reaches_the_caller(
    settings, caplog, django_capture_on_commit_callbacks
):
    # A queue the doorbell's task is not allowed on: the backend refuses to enqueue it.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["elsewhere"]}
    }
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()

    assert Message.objects.get() == message
    assert not DBTaskResult.objects.exists()
    assert "Error calling ring_doorbell in on_commit()" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_thousand_messages_enqueued_one_by_one_leave_one_ring_waiting():
    # Each enqueue commits on its own (no surrounding transaction), so each rings at once.
    for number in range(1000):
        _enqueue(key=f"one-by-one-{number}")
    assert Message.objects.count() == 1000
    assert _rings().count() == 1
