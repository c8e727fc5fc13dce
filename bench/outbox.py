"""The outbox journey of `make bench`: enqueue N messages, then drain them with the worker's
machinery, and report messages per second for each and the draining process's peak memory.

    python -m bench.outbox --messages 100000   # on DATABASE_URL (bench.size runs it)

- **Enqueue**: `notifications.services.enqueue`, as a clinical service calls it (one row, its
  audit row and the doorbell's ring after the commit), in transactions of 500 messages, as a
  scan that finds many due reminders at once would. Messages go to the bench database's
  patients (their mobiles and languages) in turn, as SMS.
- **Drain**: `services.drain` in batches of 100, what the worker's `send_due_messages` task
  does: claim with a lease (one short transaction), render the template, renew the lease, send,
  and mark the row sent under a lock, until nothing is due. It sends through `NullChannel`,
  which accepts every message and does no network, so the numbers are the outbox's own and not
  a provider's. Messages are urgent, so the hour of the run (Karachi's quiet hours) defers none.

Each phase runs in a process of its own, so the drain's peak RSS is the drain's alone. Rows
from an earlier run (keys `bench-outbox-…`) are deleted first; their audit rows stay (the trail
is append-only).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY_PREFIX = "bench-outbox-"
# The catalogue's maintenance recall, in the patient's language, with its signed opt-out link:
# what the scheduler's recall scan sends.
TEMPLATE = "maintenance-recall"
VALUES = {"clinic": "Scale Clinic 001", "phone": "051-1234567"}
TRANSACTION = 500
BATCH = 100


class NullChannel:
    """A provider that accepts every message at once and sends nothing anywhere: what is left
    is the outbox's own cost (claim, lease, render, mark)."""

    def send(self, outgoing) -> str:
        return f"null-{outgoing.idempotency_key}"


def run(*, messages: int, env: dict | None = None) -> dict:
    """Both phases, each in its own process on the same database; the journey's results."""
    phases = {}
    for phase in ("enqueue", "drain"):
        output = subprocess.run(
            [sys.executable, "-m", "bench.outbox", phase, "--messages", str(messages)],
            cwd=ROOT,
            env=env or os.environ.copy(),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        phases[phase] = json.loads(output.strip().splitlines()[-1])
    enqueue, drain = phases["enqueue"], phases["drain"]
    return {
        "messages": messages,
        "enqueue_seconds": enqueue["seconds"],
        "enqueue_per_s": messages / enqueue["seconds"] if enqueue["seconds"] else 0.0,
        "enqueue_peak_rss_mib": enqueue["peak_rss_mib"],
        "enqueue_start_rss_mib": enqueue["start_rss_mib"],
        "drain_seconds": drain["seconds"],
        "drain_per_s": drain["sent"] / drain["seconds"] if drain["seconds"] else 0.0,
        "drain_peak_rss_mib": drain["peak_rss_mib"],
        "drain_start_rss_mib": drain["start_rss_mib"],
        "sent": drain["sent"],
        "not_sent": drain["not_sent"],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=["enqueue", "drain"])
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesoclinic.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    channels = getattr(settings, "NOTIFICATIONS_CHANNELS", {}) or {}
    settings.NOTIFICATIONS_CHANNELS = {**channels, "sms": "bench.outbox.NullChannel"}
    phase = _enqueue if args.phase == "enqueue" else _drain
    # Django and every app imported, before any message: what the phase adds is peak − this.
    start_rss_mib = _status_mib("VmRSS")
    result = phase(args.messages)
    result["start_rss_mib"] = start_rss_mib
    # VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent across
    # fork and exec, so it would report bench.size's own peak (seeding) instead of this phase's.
    result["peak_rss_mib"] = _status_mib("VmHWM")
    print(json.dumps(result))
    return 0


def _status_mib(field: str) -> float:
    """This process's resident memory now (VmRSS) or at its peak (VmHWM), from Linux."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    line = next(line for line in status.splitlines() if line.startswith(f"{field}:"))
    return int(line.split()[1]) / 1024


def _enqueue(messages: int) -> dict:
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from mesoclinic.notifications import services
    from mesoclinic.notifications.models import Message
    from mesoclinic.patients.models import Patient

    Message.objects.filter(idempotency_key__startswith=KEY_PREFIX).delete()
    DBTaskResult.objects.filter(task_path=services.send_due_messages.module_path).delete()
    patients = list(
        Patient.objects.order_by("id").values_list(
            "id", "registered_clinic_id", "mobile", "preferred_language"
        )[:messages]
    )
    if not patients:
        raise SystemExit("the outbox journey needs patients in the bench database")
    _record_sms_opt_ins(patients)
    rows = islice(cycle(patients), messages)
    started = time.perf_counter()
    for first in range(0, messages, TRANSACTION):
        with transaction.atomic():
            for number, (patient, clinic, mobile, language) in enumerate(
                islice(rows, TRANSACTION), start=first
            ):
                services.enqueue(
                    key=f"{KEY_PREFIX}{number}",
                    channel="sms",
                    address=mobile,
                    language=language if language in ("en", "ur") else "en",
                    template=TEMPLATE,
                    values=VALUES,
                    urgent=True,
                    clinic_id=clinic,
                    patient_id=patient,
                    subject="bench",
                )
    return {"seconds": time.perf_counter() - started}


def _record_sms_opt_ins(patients) -> None:
    """The send-time check sends a patient only what they agreed to: record an SMS opt-in for
    each bench patient that has none (in bulk, outside the timing; rows are append-only, so a
    second run adds none)."""
    from mesoclinic.notifications.models import ContactConsent

    ids = [patient for patient, *_ in patients]
    asked = set(
        ContactConsent.objects.filter(patient_id__in=ids, channel="sms").values_list(
            "patient_id", flat=True
        )
    )
    ContactConsent.objects.bulk_create(
        [
            ContactConsent(
                patient_id=patient,
                clinic_id=clinic,
                channel="sms",
                opted_in=True,
                method=ContactConsent.Method.IN_PERSON,
                note="bench",
            )
            for patient, clinic, *_ in patients
            if patient not in asked
        ],
        batch_size=5000,
    )


def _drain(messages: int) -> dict:
    from django_tasks_db.models import DBTaskResult

    from mesoclinic.notifications import services
    from mesoclinic.notifications.models import Message

    started = time.perf_counter()
    sent = 0
    while True:
        result = services.drain(limit=BATCH)
        sent += result.sent
        if not sum(vars(result).values()):
            break
    seconds = time.perf_counter() - started
    ours = Message.objects.filter(idempotency_key__startswith=KEY_PREFIX)
    # The enqueue's ring, never answered: no worker runs during the bench.
    DBTaskResult.objects.filter(task_path=services.send_due_messages.module_path).delete()
    return {
        "seconds": seconds,
        "sent": sent,
        "not_sent": ours.exclude(status=Message.Status.SENT).count(),
    }


if __name__ == "__main__":
    sys.exit(main())
