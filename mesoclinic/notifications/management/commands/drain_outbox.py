"""Send what is due: reap expired leases, then drain the outbox once, from the shell (or for
ever, with --loop). The Procfile's worker is `db_worker`, which the doorbell wakes; this
command is safe beside it (each message is leased by one sender)."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from mesoclinic.notifications import services


class Command(BaseCommand):
    help = "Return expired leases to the queue, then send the messages that are due."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100, help="Messages per pass.")
        parser.add_argument("--loop", action="store_true", help="Run until stopped.")
        parser.add_argument("--every", type=float, default=5, help="Seconds between passes.")

    def handle(self, *args, limit, loop, every, **options):
        while True:
            reaped = services.reap_expired_leases(now=timezone.now())
            result = services.drain(limit=limit)
            self.stdout.write(
                f"reaped {reaped}, sent {result.sent}, retried {result.retried}, "
                f"failed {result.failed}, deferred {result.deferred}, lost {result.lost}"
            )
            if not loop:
                return
            time.sleep(every)
            close_old_connections()  # a loop that runs for days outlives its connection
