"""Encrypt the private files written before encryption at rest, in place; with --rotate, also
re-encrypt every file under the first key of MESOCLINIC_FILES_KEYS (the rotation's second step).

Idempotent: a file already encrypted (under the first key, with --rotate) is left alone, so the
command can be run again after an interruption. The counts are printed, logged and audited
(one `security` row, by the command line); no file name is, since names are random and say
nothing, and the counts are what an auditor asks for.
"""

import logging

from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.core.encrypted_storage import EncryptedFileSystemStorage, UndecryptableFile

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Encrypt plaintext private files in place; --rotate re-encrypts under the first key."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Also re-encrypt files made under an older key with the first key.",
        )

    def handle(self, *args, rotate=False, **options):
        storage = storages["private"]
        if not isinstance(storage, EncryptedFileSystemStorage):
            raise CommandError('STORAGES["private"] is not the encrypting storage.')
        changed = unchanged = failed = 0
        for name in storage.names():
            try:
                if storage.rewrite(name, rotate=rotate):
                    changed += 1
                else:
                    unchanged += 1
            except UndecryptableFile:
                failed += 1
        counts = {"changed": changed, "unchanged": unchanged, "undecryptable": failed}
        with transaction.atomic():
            record_event(
                actor=None,
                action=Action.SECURITY,
                via=Interface.CLI,
                object_type="private_files",
                detail={"code": "rotated" if rotate else "encrypted", **counts},
            )
        logger.info("encrypt_private_files: %s", counts)
        self.stdout.write(
            f"{'Re-encrypted' if rotate else 'Encrypted'} {changed} file(s); "
            f"{unchanged} already done; {failed} could not be decrypted."
        )
        if failed:
            raise CommandError(
                f"{failed} file(s) could not be decrypted with any key in MESOCLINIC_FILES_KEYS."
            )
