"""The scheduler process (the Procfile's `scheduler`): every few seconds, return expired
leases, ring the doorbell when messages are due, and run the periodic jobs of SCHEDULED_JOBS
(see `notifications/scheduler.py`). `--once` runs one tick, for tests and cron."""

import signal
import time

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from mesoclinic.notifications import scheduler


class Command(BaseCommand):
    help = "Reap expired leases, ring for due messages and run the scheduled jobs, in a loop."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one tick and stop.")
        parser.add_argument(
            "--every", type=float, default=15, help="Seconds between ticks (default 15)."
        )

    def handle(self, *args, once, every, verbosity, **options):
        if every <= 0:
            raise CommandError("--every must be a number of seconds above 0.")
        try:
            jobs = scheduler.configured_jobs()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if not once:
            names = ", ".join(f"{j.name} every {j.every.total_seconds():g} s" for j in jobs)
            self.stdout.write(f"scheduler: a tick every {every:g} s; jobs: {names or 'none'}")
        self._busy = self._stopping = False
        if not once:
            for stop in (signal.SIGINT, signal.SIGTERM):
                signal.signal(stop, self._stop)
        while True:
            self._busy = True
            try:
                result = scheduler.tick(jobs=jobs)
            except Exception as error:  # the database away for a moment: try at the next tick
                self.stderr.write(f"scheduler: tick failed: {type(error).__name__}")
            else:
                if once or verbosity > 1 or result.reaped or result.ran or result.failed:
                    self.stdout.write(f"scheduler: {result}")
            finally:
                self._busy = False
            if once or self._stopping:
                return
            time.sleep(every)
            close_old_connections()  # a loop that runs for days outlives its connection

    def _stop(self, signum, frame):
        """Stop at once when asleep; in the middle of a tick, finish it first (a job killed
        half-way would not run again until its interval has passed)."""
        if not self._busy:
            raise SystemExit(0)
        self._stopping = True
