"""The scheduler's tick: what `manage.py run_scheduler` does every few seconds.

django.tasks has no periodic tasks, and its worker must not be trusted with time: so one small
process wakes up, returns expired leases, rings the doorbell when messages are due (retries and
messages that waited out quiet hours, which nothing else rings for), and runs the periodic jobs
named in the SCHEDULED_JOBS setting:

    SCHEDULED_JOBS = {
        "prune-task-results": {
            "callable": "mesoclinic.notifications.jobs.prune_task_results",
            "every": 24 * 3600,  # seconds
        },
    }

Jobs are dotted paths, so this floor imports no domain app. A job is called with the keyword
arguments it names among `now` (an aware datetime) and `today` (the date in TIME_ZONE,
Karachi); what it returns is logged when it is a number or a short dict. Each run is claimed
in the database (`ScheduledRun`), so two schedulers, or one restarted, never run a job twice
inside its interval. A job that raises is logged by the kind of error only and tried again at
the next tick; it never stops the loop or the other jobs.
"""

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from mesoclinic.notifications import services
from mesoclinic.notifications.models import Message, ScheduledRun

logger = logging.getLogger("mesoclinic.notifications.scheduler")


@dataclass(frozen=True)
class Job:
    name: str
    function: Callable
    every: timedelta


@dataclass
class Tick:
    reaped: int = 0
    due: bool = False
    rang: bool = False
    ran: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def __str__(self):
        if not self.due:
            due = "nothing due"
        else:
            due = "rang the doorbell" if self.rang else "messages due, a ring is waiting"
        parts = [f"reaped {self.reaped}", due]
        parts += [f"ran {name}" for name in self.ran]
        parts += [f"{name} failed" for name in self.failed]
        return ", ".join(parts)


def configured_jobs() -> list[Job]:
    """SCHEDULED_JOBS read and checked: every callable imported now, so a typo stops the
    scheduler at start with its name instead of failing at each tick."""
    jobs = []
    for name, spec in (getattr(settings, "SCHEDULED_JOBS", {}) or {}).items():
        if not isinstance(spec, dict) or set(spec) != {"callable", "every"}:
            raise ImproperlyConfigured(
                f"SCHEDULED_JOBS[{name!r}] must be {{'callable': 'dotted.path', 'every': seconds}}."
            )
        every = spec["every"]
        if not isinstance(every, int | float) or every <= 0:
            raise ImproperlyConfigured(f"SCHEDULED_JOBS[{name!r}]['every'] must be seconds > 0.")
        if not name or len(name) > ScheduledRun._meta.get_field("job").max_length:
            raise ImproperlyConfigured(f"SCHEDULED_JOBS: {name!r} is not a usable job name.")
        try:
            function = import_string(spec["callable"])
        except ImportError as error:
            raise ImproperlyConfigured(f"SCHEDULED_JOBS[{name!r}]: {error}") from error
        jobs.append(Job(name=name, function=function, every=timedelta(seconds=every)))
    return jobs


def tick(*, jobs: list[Job], now: datetime | None = None) -> Tick:
    """One pass: reap, ring if anything is due, run the jobs whose interval has passed."""
    now = now or timezone.now()
    result = Tick(reaped=services.reap_expired_leases(now=now))
    # message_due_idx: status = 'queued' AND next_attempt_at <= now.
    due = Message.objects.filter(status=Message.Status.QUEUED, next_attempt_at__lte=now)
    if due.exists():
        result.due, result.rang = True, services.ring_doorbell()
    for job in jobs:
        claimed, last = _claim(job, now=now)
        if not claimed:
            continue
        try:
            outcome = _call(job.function, now=now)
        except Exception as error:  # a failing job must not stop the others or the loop
            kind = type(error).__name__
            logger.warning("scheduled job %s failed: %s", job.name, kind)
            _give_back(job, now=now, last=last, error=kind)
            result.failed.append(job.name)
        else:
            ScheduledRun.objects.filter(job=job.name, started_at=now).update(
                finished_at=timezone.now(), last_error="", failures=0
            )
            if isinstance(outcome, int | dict) and len(str(outcome)) <= 200:
                logger.info("scheduled job %s: %s", job.name, outcome)
            result.ran.append(job.name)
    return result


def _claim(job: Job, *, now: datetime) -> tuple[bool, datetime | None]:
    """Take this run of `job` if its interval has passed since its last run: a compare-and-set
    on the row's start time, which one scheduler wins when two try at once. Whether it was
    taken, and the start time it replaced."""
    row, _created = ScheduledRun.objects.get_or_create(job=job.name)
    last = row.started_at
    if last is not None and last > now - job.every:
        return False, last
    taken = ScheduledRun.objects.filter(job=job.name, started_at=last).update(started_at=now)
    return bool(taken), last


def _give_back(job: Job, *, now: datetime, last: datetime | None, error: str) -> None:
    """A failed run does not count: the start time it replaced is put back, so the next tick
    tries again (only while the claim is still ours)."""
    ScheduledRun.objects.filter(job=job.name, started_at=now).update(
        started_at=last,
        finished_at=timezone.now(),
        last_error=error[:200],
        failures=F("failures") + 1,
    )


def _call(function: Callable, *, now: datetime):
    accepted = inspect.signature(function).parameters
    offered = {"now": now, "today": timezone.localdate(now)}
    return function(**{name: value for name, value in offered.items() if name in accepted})
