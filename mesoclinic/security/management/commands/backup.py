"""`manage.py backup FILE`: the database and the private files, encrypted with
MESOCLINIC_BACKUP_KEY (README "Backup and restore"). `--new-key` prints a fresh key."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mesoclinic.security import backup, crypto_stream


class Command(BaseCommand):
    help = "Back up the database and the private files into one encrypted file."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="where to write the backup (a new file)")
        parser.add_argument(
            "--new-key",
            action="store_true",
            help="print a new MESOCLINIC_BACKUP_KEY and stop (keep it apart from the backups)",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, new_key, database, **options):
        if new_key:
            self.stdout.write(crypto_stream.new_key())
            return
        if not file:
            raise CommandError("Name the file to write, e.g. backup var/backups/2026-12-07.mcb")
        started = time.monotonic()
        try:
            manifest = backup.make_backup(Path(file), key=backup.backup_key(), alias=database)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        size = Path(file).stat().st_size
        self.stdout.write(
            f"Backed up {rows:,} rows in {len(manifest['tables'])} tables and "
            f"{len(manifest['files']):,} files to {file} ({size / 1024 / 1024:.1f} MiB, "
            f"{time.monotonic() - started:.1f} s)."
        )
