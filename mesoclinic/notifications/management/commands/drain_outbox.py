"""Send what is due: reap expired leases, then drain the outbox once, from the shell (or for
ever, with --loop). The Procfile's worker is `db_worker`, which the doorbell wakes; this
command is safe beside it (each message is leased by one sender)."""

import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from mesoclinic.notifications import rules, services
from mesoclinic.notifications.channels import channel_for


class Command(BaseCommand):
    help = "Return expired leases to the queue, then send the messages that are due."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=100, help="Messages per pass.")
        parser.add_argument("--loop", action="store_true", help="Run until stopped.")
        parser.add_argument("--every", type=float, default=5, help="Seconds between passes.")
        parser.add_argument(
            "--lease-seconds",
            type=float,
            default=services.DEFAULT_LEASE.total_seconds(),
            help="How long a claimed message is this worker's before the reaper may return it; "
            "longer than every channel's network timeout.",
        )

    def handle(self, *args, limit, loop, every, lease_seconds, **options):
        if lease_seconds <= 0:
            raise CommandError("--lease-seconds must be above 0.")
        lease_for = timedelta(seconds=lease_seconds)
        # Every channel built now: a misconfigured provider stops the worker at start-up, and
        # a timeout as long as the lease (a slow send reaped while in flight) is refused.
        lookup = channel_for(settings)
        for name in rules.Channel:
            timeout = getattr(lookup(name), "timeout", 0)
            if timeout >= lease_seconds:
                raise CommandError(
                    f"--lease-seconds ({lease_seconds:g}) must be longer than the {name} "
                    f"channel's timeout ({timeout:g} s)."
                )
        while True:
            reaped = services.reap_expired_leases(now=timezone.now())
            result = services.drain(limit=limit, channel_for=lookup, lease_for=lease_for)
            self.stdout.write(
                f"reaped {reaped}, sent {result.sent}, retried {result.retried}, "
                f"failed {result.failed}, deferred {result.deferred}, lost {result.lost}, "
                f"cancelled {result.cancelled}"
            )
            if not loop:
                return
            time.sleep(every)
            close_old_connections()  # a loop that runs for days outlives its connection
