"""Fill the database with a synthetic national chain for `make bench`: clinics across Pakistan
and their patients, written in bulk (PostgreSQL COPY, or batched inserts on SQLite).

    python manage.py seed_scale --patients 1000000 --clinics 50 --seed 1

Deterministic: the same seed on the same starting database writes the same rows (see
`mesoclinic.seed.scale`). It adds to what is there, so run it on a bench database, never on a
clinic's: it refuses production settings unless told `--synthetic-ok`. Each patient gets a
screening and most a melasma course with its charted sessions, lots and ledger lines
(`mesoclinic.seed.scale_history`).
"""

import argparse
import sys
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from mesoclinic.accounts.roles import Role
from mesoclinic.clinics.models import Clinic
from mesoclinic.patients.identifiers import make_mrn
from mesoclinic.patients.models import Patient
from mesoclinic.seed import scale, scale_aftercare
from mesoclinic.seed.scale_aftercare import MODELS as AFTERCARE_MODELS
from mesoclinic.seed.scale_book import ChainBook
from mesoclinic.seed.scale_history import ChainHistory, write_rows


class Command(BaseCommand):
    help = "Add a synthetic chain of clinics and patients for benchmarks (bulk, deterministic)."

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, required=True)
        parser.add_argument("--clinics", type=int, default=50)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--sessions-per-patient",
            type=int,
            default=5,
            help="Mean sessions charted per treated patient, 0 to 6 (0: patients only).",
        )
        parser.add_argument(
            "--appointments",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="Book every patient without an appointment three visits (scale_book).",
        )
        parser.add_argument("--batch", type=int, default=10_000)
        parser.add_argument(
            "--synthetic-ok",
            action="store_true",
            help="Run with production settings (a bench database served with DEBUG off).",
        )

    def handle(
        self,
        *args,
        patients,
        clinics,
        seed,
        batch,
        synthetic_ok,
        sessions_per_patient,
        appointments,
        **options,
    ):
        if not settings.DEBUG and not synthetic_ok:
            raise CommandError(
                "seed_scale adds synthetic patients; with production settings pass "
                "--synthetic-ok, and only on a bench database."
            )
        if patients < 0 or not 1 <= clinics <= 999 or batch < 1:
            raise CommandError("--patients ≥ 0, --clinics from 1 to 999, --batch ≥ 1.")
        if not 0 <= sessions_per_patient <= 6:
            raise CommandError("--sessions-per-patient from 0 to 6.")
        chain = self._clinics(clinics)
        history = None
        if sessions_per_patient and patients:
            history = ChainHistory(
                clinic_ids=chain,
                admin=self._admin(),
                patients=patients,
                sessions_per_patient=sessions_per_patient,
                seed=seed,
            )
        first = (Patient.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        started = time.monotonic()
        today = timezone.localdate()
        written = 0
        for start in range(first, first + patients, batch):
            ids = range(start, min(start + batch, first + patients))
            rows = [scale.patient_row(seed, i, clinics=clinics, today=today) for i in ids]
            with transaction.atomic():
                self._write_patients(rows, chain)
                if history is not None:
                    history.write(rows)
            written += len(rows)
            self._progress("patients", written, patients, started)
        if patients:
            self._reset_sequence()
        if history is not None:
            history.finish()
        if history is None and not patients and sessions_per_patient:
            # A chain seeded before aftercare: its sessions get their check-ins and scores.
            filling = time.monotonic()
            filled = scale_aftercare.fill(
                clinic_ids=chain,
                seed=seed,
                progress=lambda done, total: self._progress("aftercare", done, total, filling),
            )
            if filled:
                self.stdout.write(f"\nseed_scale: {filled:,} aftercare rows for earlier courses")
        booked = 0
        if appointments:
            book = ChainBook(clinic_ids=chain, admin=self._admin())
            filling = time.monotonic()
            booked = book.fill(
                progress=lambda done, total: self._progress("appointments", done, total, filling)
            )
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would gather later: without them the planner
            # takes the bulk-filled tables for nearly empty and picks plans that read every row.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        counts = (
            ", ".join(f"{n:,} {m._meta.verbose_name_plural}" for m, n in history.counts.items())
            if history
            else "no history"
        )
        if history is not None:
            rows = sum(n for m, n in history.counts.items() if m in AFTERCARE_MODELS)
            seconds = max(history.aftercare_seconds, 1e-9)
            counts += f" (aftercare: {rows:,} rows in {seconds:.1f} s, {rows / seconds:,.0f}/s)"
        self.stdout.write(
            f"\nseed_scale: {len(chain)} clinics, {written:,} patients "
            f"(ids {first:,}–{first + written - 1:,}); {counts}; "
            f"{booked:,} appointments; in {time.monotonic() - started:.1f} s"
        )

    def _clinics(self, count: int) -> list[int]:
        """The chain's clinics `scale-001` … (created once; their ids, in order)."""
        ids = []
        for index in range(count):
            city, _area = scale.clinic_city(index)
            clinic, _created = Clinic.objects.get_or_create(
                slug=f"scale-{index + 1:03d}",
                defaults={
                    "name": f"mesoclinic {city} {index + 1:03d} (synthetic)",
                    "city": city,
                    "address": f"Synthetic address {index + 1}, {city}",
                    "phone": f"+9251{5550000 + index:07d}",
                },
            )
            ids.append(clinic.pk)
        return ids

    def _admin(self):
        """The administrator the setup acts as (credentials verified, lots received)."""
        user, created = get_user_model().objects.get_or_create(
            username="scale.admin", defaults={"first_name": "Synthetic", "last_name": "Admin"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(Group.objects.get_or_create(name=Role.ADMINISTRATOR)[0])
        return user

    def _write_patients(self, rows, chain) -> None:
        # A CNIC an existing patient (the demo's, say) already holds is left empty, not clashed.
        taken = set(
            Patient.objects.filter(cnic__in=[row.cnic for row in rows]).values_list(
                "cnic", flat=True
            )
        )
        # Every column of the model, as `save()` would prepare it (the same writer as the
        # history's); contact and emergency fields stay empty, and no one registered them.
        write_rows(
            Patient,
            [
                Patient(
                    id=row.id,
                    mrn=make_mrn(row.id),
                    first_name=row.first_name,
                    last_name=row.last_name,
                    name_ur=row.name_ur,
                    date_of_birth=row.date_of_birth,
                    sex=row.sex,
                    cnic=None if row.cnic in taken else row.cnic,
                    mobile=row.mobile,
                    preferred_language=row.preferred_language,
                    fitzpatrick_type=row.fitzpatrick_type,
                    registered_clinic_id=chain[row.clinic_index],
                )
                for row in rows
            ],
        )

    def _reset_sequence(self) -> None:
        """Explicit ids leave PostgreSQL's sequence behind: move it past them."""
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [Patient]):
                cursor.execute(statement)

    def _progress(self, label: str, done: int, total: int, started: float) -> None:
        elapsed = max(time.monotonic() - started, 1e-9)
        bar = "#" * int(30 * done / total) if total else ""
        sys.stderr.write(f"\r{label} [{bar:<30}] {done:,}/{total:,} ({done / elapsed:,.0f}/s)")
        sys.stderr.flush()
