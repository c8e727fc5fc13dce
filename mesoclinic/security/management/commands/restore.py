"""`manage.py restore FILE`: check a backup whole, then replace the database and the private
files with it and compare them with its manifest (README "Backup and restore"). Stop the site,
worker and scheduler first; run it with the owner's DATABASE_URL on PostgreSQL."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mesoclinic.security import backup


class Command(BaseCommand):
    help = "Replace the database and the private files with a checked backup."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, interactive, database, **options):
        key = self._key()
        if interactive:
            answer = input(
                f"This replaces the whole database and the private files with {file}. "
                "Type 'restore' to go on: "
            )
            if answer.strip() != "restore":
                raise CommandError("Restore cancelled; nothing was changed.")
        started = time.monotonic()
        try:
            report = backup.restore_backup(Path(file), key=key, alias=database)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        for note in report.notes:
            self.stdout.write(note)
        took = time.monotonic() - started
        if report.mismatches:
            for line in report.mismatches:
                self.stderr.write(line)
            raise CommandError(
                f"Restored, but {len(report.mismatches)} differences from the backup's manifest."
            )
        self.stdout.write(
            f"Restored {report.rows:,} rows in {report.tables} tables and {report.files:,} "
            f"files; every count and file hash matches the backup ({took:.1f} s). Run "
            "`manage.py migrate` if this code is newer than the backup."
        )

    def _key(self) -> bytes:
        try:
            return backup.backup_key()
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
