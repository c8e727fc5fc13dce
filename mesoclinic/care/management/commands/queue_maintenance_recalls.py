"""Queue today's maintenance recalls (and any of the last fortnight the scan missed): what the
scheduler runs once a day, and what an operator runs by hand to catch up."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mesoclinic.care.services.recall import enqueue_due_maintenance_recalls


class Command(BaseCommand):
    help = "Queue the maintenance recall of every course due today or in the last 14 days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="The day to scan as, YYYY-MM-DD (default: today in Pakistan)."
        )

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError("--today is a date, YYYY-MM-DD.") from None
        queued = enqueue_due_maintenance_recalls(today=day)
        self.stdout.write(f"queued {queued} maintenance recall(s) for {day.isoformat()}")
