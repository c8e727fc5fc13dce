"""The FHIR bulk export journey of `make bench` (issue 21): a system-level `$export` of the whole
bench database as an administrator, run by the worker's own task, and the resources it wrote
per second and the worker process's peak memory.

    python -m bench.export   # on DATABASE_URL (bench.size runs it)

The job is queued through `fhir.exports.start_export`, as the kick-off does, and run in this
process by the task's function (`run_export.call`), what `db_worker` does with it: read each
registered type through its scoped queryset in chunks, map, and stream NDJSON into encrypted
files. Its own process, so the peak RSS (VmHWM) is the export's alone; with the start RSS
beside it, "flat" reads as the same peak at 10k and at 1M patients. The files are deleted at
the end (the job row stays, as any export's).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_ADMIN = "bench-export-admin"


def run(*, env: dict | None = None) -> dict:
    """The export in its own process on the bench database; the journey's results."""
    output = subprocess.run(
        [sys.executable, "-m", "bench.export"],
        cwd=ROOT,
        env=env or os.environ.copy(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(argv=None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesoclinic.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    # Django and every app imported, before any row: what the export adds is peak − this.
    start_rss_mib = _status_mib("VmRSS")
    result = _export()
    result["start_rss_mib"] = start_rss_mib
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec.
    result["peak_rss_mib"] = _status_mib("VmHWM")
    print(json.dumps(result))
    return 0


def _status_mib(field: str) -> float:
    status = Path("/proc/self/status").read_text(encoding="ascii")
    line = next(line for line in status.splitlines() if line.startswith(f"{field}:"))
    return int(line.split()[1]) / 1024


def _administrator():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from mesoclinic.accounts.roles import Role

    user, _created = get_user_model().objects.get_or_create(username=BENCH_ADMIN)
    user.groups.add(Group.objects.get_or_create(name=Role.ADMINISTRATOR)[0])
    return user


def _export() -> dict:
    from django.db import transaction

    from mesoclinic.fhir import exports
    from mesoclinic.fhir.models import ExportJob

    user = _administrator()
    with transaction.atomic():
        job = exports.start_export(
            acting_user=user,
            kind=ExportJob.Kind.SYSTEM,
            types=exports.available_types(ExportJob.Kind.SYSTEM),
            since=None,
            request="bench",
        )
    samples: list[float] = []
    done = threading.Event()

    def sample() -> None:  # RSS every 50 ms while the export runs: flat within a run, too
        while not done.wait(0.05):
            samples.append(_status_mib("VmRSS"))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    outcome = exports.run_export.call(str(job.pk))
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    half = len(samples) // 2
    job.refresh_from_db()
    exports.remove_files(job)
    # The kick-off's ring, never answered: the task ran here.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(task_path=exports.run_export.module_path, status="READY").delete()
    return {
        "outcome": outcome,
        "seconds": seconds,
        "resources": job.written,
        "per_s": job.written / seconds if seconds else 0.0,
        "counts": job.counts,
        "files": len(job.files),
        # The highest RSS in the first and in the second half of the run: equal when flat.
        "rss_first_half_mib": max(samples[:half], default=0.0),
        "rss_second_half_mib": max(samples[half:], default=0.0),
    }


if __name__ == "__main__":
    sys.exit(main())
