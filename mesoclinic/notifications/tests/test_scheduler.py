"""The scheduler (`run_scheduler`): each job once per interval, across restarts and two
schedulers; a failing job logged by its kind and tried again; expired leases reaped; old task
results pruned."""

import logging
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mesoclinic.notifications import jobs, scheduler, services
from mesoclinic.notifications.models import Message, ScheduledRun
from mesoclinic.notifications.tests.helpers import VALUES, run_at_once

pytestmark = pytest.mark.django_db

HERE = "mesoclinic.notifications.tests.test_scheduler"
RUNS: list[dict] = []


def count_run(*, today):
    RUNS.append({"today": today})
    return len(RUNS)


def fail_with_patient_text():
    raise ValueError("Ayesha Khan +923001234567")


def slow_count():
    threading.Event().wait(0.3)  # long enough for the other scheduler to try
    RUNS.append({})


@pytest.fixture(autouse=True)
def runs():
    RUNS.clear()
    yield RUNS
    RUNS.clear()


def _once() -> str:
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    return out.getvalue()


def test_it_runs_a_due_job_once_and_not_again_inside_its_interval(settings, runs):
    settings.SCHEDULED_JOBS = {"count": {"callable": f"{HERE}.count_run", "every": 3600}}

    assert "ran count" in _once()
    assert "ran count" not in _once()  # a restarted scheduler: the row remembers

    assert runs == [{"today": timezone.localdate()}]
    row = ScheduledRun.objects.get(job="count")
    assert row.finished_at >= row.started_at and row.failures == 0
    # An hour later it is due again.
    ScheduledRun.objects.update(started_at=row.started_at - timedelta(hours=1))
    assert "ran count" in _once()
    assert len(runs) == 2


def test_a_failing_job_is_logged_by_its_kind_and_tried_again_next_tick(settings, runs, caplog):
    settings.SCHEDULED_JOBS = {
        "broken": {"callable": f"{HERE}.fail_with_patient_text", "every": 3600},
        "count": {"callable": f"{HERE}.count_run", "every": 3600},
    }
    with caplog.at_level(logging.INFO, logger="mesoclinic.notifications.scheduler"):
        first = _once()
        second = _once()

    assert "broken failed" in first and "ran count" in first
    assert "broken failed" in second and "count" not in second
    assert len(runs) == 1  # the other job ran, once
    assert "scheduled job broken failed: ValueError" in caplog.text
    assert "Ayesha" not in caplog.text and "4567" not in caplog.text
    broken = ScheduledRun.objects.get(job="broken")
    assert (broken.started_at, broken.last_error, broken.failures) == (None, "ValueError", 2)


def test_it_reaps_an_expired_lease_and_rings_for_it(settings):
    settings.SCHEDULED_JOBS = {}
    services.enqueue(
        key="enquiry-7-notice",
        channel="sms",
        address="+923001234567",
        language="en",
        template="enquiry-notice",
        values=VALUES,
    )
    DBTaskResult.objects.all().delete()  # the enqueue's own ring was answered long ago
    services.claim_due(now=timezone.now(), limit=1, lease_for=timedelta(hours=-1))

    assert "reaped 1, rang the doorbell" in _once()

    assert Message.objects.get().status == Message.Status.QUEUED
    ring = DBTaskResult.objects.get()
    assert (ring.status, ring.task_path) == (
        TaskResultStatus.READY,
        services.send_due_messages.module_path,
    )
    assert "reaped 0, messages due, a ring is waiting" in _once()
    assert DBTaskResult.objects.count() == 1


def test_it_prunes_task_results_finished_before_the_kept_days(settings):
    settings.TASK_RESULTS_KEEP_DAYS = 14
    now = timezone.now()

    def result(status, finished_days_ago):
        finished = None if finished_days_ago is None else now - timedelta(finished_days_ago)
        return DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path=services.send_due_messages.module_path,
            backend_name="default",
            run_after=now - timedelta(days=30),
            status=status,
            finished_at=finished,
        )

    old_success = result(TaskResultStatus.SUCCESSFUL, 15)
    old_failure = result(TaskResultStatus.FAILED, 20)
    recent = result(TaskResultStatus.SUCCESSFUL, 2)
    waiting = result(TaskResultStatus.READY, None)
    stuck = result(TaskResultStatus.RUNNING, None)

    assert jobs.prune_task_results(now=now) == 2

    left = set(DBTaskResult.objects.values_list("id", flat=True))
    assert left == {recent.id, waiting.id, stuck.id}
    assert not {old_success.id, old_failure.id} & left


def test_the_shipped_prune_job_runs_from_the_settings():
    assert "ran prune-task-results" in _once()


@pytest.mark.parametrize(
    ("jobs_setting", "message"),
    [
        ({"x": {"callable": f"{HERE}.count_run"}}, "must be {'callable'"),
        ({"x": {"callable": f"{HERE}.count_run", "every": 0}}, "must be seconds > 0"),
        ({"x": {"callable": f"{HERE}.no_such_job", "every": 60}}, "no_such_job"),
    ],
)
def test_a_misconfigured_job_stops_the_scheduler_at_start_with_its_name(
    settings, jobs_setting, message
):
    settings.SCHEDULED_JOBS = jobs_setting
    with pytest.raises(CommandError, match=message):
        _once()


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_run_a_job_once(settings, runs):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL")
    settings.SCHEDULED_JOBS = {"slow": {"callable": f"{HERE}.slow_count", "every": 3600}}
    configured = scheduler.configured_jobs()
    ticks, errors = run_at_once(lambda: scheduler.tick(jobs=configured))

    assert errors == []
    assert len(runs) == 1
    assert sorted(len(tick.ran) for tick in ticks) == [0, 1]
