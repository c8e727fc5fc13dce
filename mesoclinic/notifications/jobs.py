"""Periodic jobs this floor ships for the scheduler (SCHEDULED_JOBS, see `scheduler.py`)."""

from datetime import datetime, timedelta

from django.conf import settings
from django_tasks_db.models import DBTaskResult

#: Finished task results are kept this long (for the admin's "Task results" page), then pruned.
DEFAULT_TASK_RESULTS_DAYS = 14


def prune_task_results(*, now: datetime) -> int:
    """Delete the task results (django-tasks-db) that finished, successfully or not, more than
    TASK_RESULTS_KEEP_DAYS ago; how many. Every ring of the doorbell and every consent print
    leaves one. Tasks ready or running are never touched (a worker may still take them)."""
    days = getattr(settings, "TASK_RESULTS_KEEP_DAYS", DEFAULT_TASK_RESULTS_DAYS)
    finished = DBTaskResult.objects.finished().filter(finished_at__lte=now - timedelta(days=days))
    deleted, _by_model = finished.delete()
    return deleted
