"""One data size of `make bench`: seed, serve as production does, drive every journey.

    python -m bench.size --patients 10000

Its own process, because Django is set up once per process on one database
(`mesoclinic_bench_<patients>` on the local PostgreSQL, or BENCH_DATABASE_URL's server). Writes
`bench/results/patients-<N>.json` and `.md`; `bench.run` compares sizes.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import logging
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WORK = ROOT / "var" / "bench"
THREADS = 2  # wrk's threads; the 8 clients are its connections
DEFAULT_SECONDS = 15
OUTBOX_MESSAGES = 100_000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, required=True)
    parser.add_argument("--clinics", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=DEFAULT_SECONDS)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--writes", type=int, default=700)
    parser.add_argument("--baseline", help="results of a smaller size, for growth ratios")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", nargs="*", help="journey names, outbox or export (default: all)")
    parser.add_argument(
        "--messages",
        type=int,
        default=OUTBOX_MESSAGES,
        help="messages the outbox journey enqueues and drains (0: skip it)",
    )
    parser.add_argument(
        "--no-export",
        action="store_true",
        help="skip the system $export journey (a whole-database export: minutes at 1M)",
    )
    args = parser.parse_args(argv)

    started_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    database_url = _database(args.patients)
    os.environ["DATABASE_URL"] = database_url
    # The write journey's consents print their PDF on first download (no worker runs during
    # the bench; printing takes Chromium a second each; the consent stands without it).
    os.environ["MESOCLINIC_CHROMIUM"] = str(WORK / "no-chromium-while-preparing")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesoclinic.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    logging.getLogger("mesoclinic.care.services.consents").setLevel(logging.ERROR)
    from django.core.management import call_command

    from bench import report

    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    print(f"== {args.patients:,} patients: {database_url.rsplit('/', 1)[-1]} ==", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    _seed(args.patients, args.clinics)
    _seed_portal()

    server_env = {
        **os.environ,
        # Served as production is: the application role, which owns nothing (db_roles).
        "DATABASE_URL": _application_role(database_url),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_HOST": "127.0.0.1",  # no mail is sent during the bench
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{args.port}",
        "SECURE_SSL_REDIRECT": "false",
        "MESOCLINIC_QUERY_COUNT_HEADER": "true",
        # As production runs: Redis for the shared cache (throttles), the auth cache and the
        # sessions (settings.AUTH_CACHE). A database of its own, emptied before each size.
        "REDIS_URL": _redis(),
        "DATABASE_CONN_MAX_AGE": "600",
        # A few users send thousands of API requests a second here: the throttles still count
        # every request (their cost is measured), with limits the bench never reaches.
        "API_THROTTLE_TOKEN": "100000000/min",
        "API_THROTTLE_USER": "100000000/min",
        # The portal's code request is capped per address (20 an hour): the bench's one address
        # asks for far more, each for another number (the per-number caps still apply).
        "PORTAL_REQUESTS_PER_ADDRESS_HOUR": "100000000",
        # Production settings need the private files' key (DEBUG off): the bench's own, fixed,
        # so files written by an earlier run still open.
        "MESOCLINIC_FILES_KEYS": os.environ.get("MESOCLINIC_FILES_KEYS")
        or base64.urlsafe_b64encode(hashlib.sha256(b"mesoclinic bench files").digest()).decode(),
    }
    http_wanted = any(not args.only or j.name in args.only for j in report.JOURNEYS)
    results, profile = _http_journeys(args, server_env) if http_wanted else ({}, "{}")
    outbox = None
    if args.messages and (not args.only or "outbox" in args.only):
        print(f"outbox: enqueueing and draining {args.messages:,} messages…", flush=True)
        from bench import outbox as outbox_journey

        # Production settings (DEBUG off: no query log growing in memory).
        outbox = outbox_journey.run(messages=args.messages, env=server_env)
        print(
            f"  {'outbox':<20} enqueue {outbox['enqueue_per_s']:6.0f} msg/s  "
            f"drain {outbox['drain_per_s']:6.0f} msg/s  "
            f"drain peak RSS {outbox['drain_peak_rss_mib']:.0f} MiB  "
            f"not sent {outbox['not_sent']}",
            flush=True,
        )

    export = None
    if (not args.only and not args.no_export) or (args.only and "export" in args.only):
        print("export: a system $export of the whole database…", flush=True)
        from bench import export as export_journey

        export = export_journey.run(env=server_env)
        print(
            f"  {'export':<20} {export['per_s']:6.0f} resources/s  "
            f"{export['resources']:,} resources  peak RSS {export['peak_rss_mib']:.0f} MiB",
            flush=True,
        )

    run = {
        "patients": args.patients,
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "started_at": started_at,
        "machine": _machine(),
        "server": (
            f"gunicorn {_version('gunicorn')}, {args.workers} workers × {args.threads} threads "
            "(gthread), DEBUG off, production settings behind a pretend TLS proxy, "
            "persistent database connections"
        ),
        "clients": args.clients,
        "seconds": args.seconds,
        "warmup_seconds": args.warmup,
        "data": _data_counts(),
        "journeys": results,
        "profile": json.loads(profile.strip().splitlines()[-1]),
    }
    if outbox is not None:
        run["outbox"] = outbox
    if export is not None:
        run["export"] = export
    # Only a whole run is a result; a narrowed one (--only, shorter) stays under var/bench/.
    whole = not args.only and args.seconds >= DEFAULT_SECONDS
    folder = RESULTS if whole else WORK
    out = folder / f"patients-{args.patients}.json"
    out.write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    baseline = _baseline(args.baseline, run["commit"])
    (folder / f"patients-{args.patients}.md").write_text(
        report.markdown(run, baseline=baseline), encoding="utf-8"
    )
    print(f"results: {out.relative_to(ROOT)} and .md", flush=True)
    return 0


def _http_journeys(args, server_env: dict) -> tuple[dict, str]:
    """Serve the bench database with gunicorn as production does and drive each journey asked
    for with wrk; the results, and the profile's JSON line."""
    from bench import journeys, report, schedule

    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env,
        check=True,
    )
    base_url = f"http://127.0.0.1:{args.port}"
    log = WORK / f"gunicorn-{args.patients}.log"
    server = subprocess.Popen(
        [
            str(Path(python).parent / "gunicorn"),
            "mesoclinic.wsgi:application",
            f"--bind=127.0.0.1:{args.port}",
            f"--workers={args.workers}",
            f"--threads={args.threads}",
            "--worker-class=gthread",
            "--log-level=warning",
            f"--error-logfile={log}",
        ],
        cwd=ROOT,
        env=server_env,
    )
    # The journey files carry the run's session cookies and API token: a private folder,
    # removed with the credentials at the end.
    files = Path(tempfile.mkdtemp(prefix="mesoclinic-bench-"))
    try:
        _wait_for(base_url)
        print("preparing journeys (ready courses for the write journey)…", flush=True)
        prepared = journeys.prepare(
            base_url, seed=1, writes=args.writes, secret_key=server_env["SECRET_KEY"]
        )
        results = {}
        for journey in report.JOURNEYS:
            if args.only and journey.name not in args.only:
                continue
            if journey.name not in prepared:
                print(f"  {journey.name:<20} not measured: nothing to send yet", flush=True)
                continue
            path = prepared[journey.name].write(files / f"{journey.name}.txt")
            if not journey.one_use:
                _preflight(base_url, journey, prepared[journey.name])
            # Writes are not warmed up: a warm-up would take the slots the run races for.
            if args.warmup and not journey.one_use and journey.kind != "write":
                _wrk(base_url, path, journey, args.clients, args.warmup)
            raw = _wrk(base_url, path, journey, args.clients, args.seconds)
            results[journey.name] = report.summarize(raw)
            if journey.name == "booking":
                results[journey.name]["double_bookings"] = schedule.double_bookings()
            if journey.one_use:
                # Threads stop before a one-use request could repeat: if they did, the run
                # was shorter than asked and its throughput reads low.
                left = len(prepared[journey.name].requests) - raw["responses"]
                results[journey.name]["ran_out"] = left <= args.clients
            r = results[journey.name]
            print(
                f"  {journey.name:<20} p50 {r['p50_ms']:6.1f}  p95 {r['p95_ms']:6.1f}  "
                f"p99 {r['p99_ms']:6.1f} ms  {r['throughput_rps']:6.0f} req/s  "
                f"errors {r['errors']}  queries {r['queries_per_request']:.1f}",
                flush=True,
            )
        server.terminate()
        server.wait(timeout=30)
        print("profiling each journey's server time, one request at a time…", flush=True)
        profile = subprocess.run(
            [python, "-m", "bench.profile", "--files", str(files)],
            cwd=ROOT,
            env={**server_env, "ALLOWED_HOSTS": "127.0.0.1,testserver"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(files, ignore_errors=True)
        journeys.sign_out()
    return results, profile


def _database(patients: int) -> str:
    """The bench database's URL, created if missing (never a clinic's database)."""
    import psycopg

    base = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    server, _sep, _name = base.rpartition("/")
    # BENCH_DATABASE_NAME: a copy of a seeded bench database (CREATE DATABASE … TEMPLATE …),
    # so that two measurements can run side by side without sharing rows, role or port.
    name = os.environ.get("BENCH_DATABASE_NAME") or f"mesoclinic_bench_{patients}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def _redis() -> str:
    """BENCH_REDIS_URL, or the local Redis's database 3, emptied: no entry of an earlier run or
    another size (whose users share ids with this one's) is read."""
    import redis

    url = os.environ.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379/3"
    redis.Redis.from_url(url).flushdb()
    return url


def _application_role(database_url: str) -> str:
    """Grant the bench's application role its rights (README "Database roles"), with a fresh
    password; the URL the server connects with. Migrating and seeding stay with the owner (the
    URL's own user)."""
    from io import StringIO

    import dj_database_url
    from django.core.management import call_command

    app = os.environ.get("BENCH_APP_ROLE") or "mesoclinic_bench_app"
    password = secrets.token_hex(16)
    owner = dj_database_url.parse(database_url)["USER"] or "postgres"
    os.environ["MESOCLINIC_DB_APP_PASSWORD"] = password
    try:
        call_command("db_roles", "--owner", owner, "--app", app, stdout=StringIO())
    finally:
        del os.environ["MESOCLINIC_DB_APP_PASSWORD"]
    scheme, _sep, rest = database_url.partition("://")
    return f"{scheme}://{app}:{password}@{rest.rpartition('@')[2]}"


def _seed(patients: int, clinics: int) -> None:
    from django.core.management import call_command

    from bench.journeys import WRITER_EMAIL
    from mesoclinic.patients.models import Patient

    have = Patient.objects.exclude(email__endswith=WRITER_EMAIL).count()
    if have < patients:
        print(f"seeding {patients - have:,} patients with their history…", flush=True)
        call_command("seed_scale", patients=patients - have, clinics=clinics, seed=1)
        print(flush=True)
        _vacuum()
    elif have > patients:
        raise SystemExit(f"{have:,} patients already in the bench database, not {patients:,}")
    else:
        from mesoclinic.aftercare.models import OutcomeScore

        if not OutcomeScore.objects.exists():
            print("seeding aftercare for a chain seeded before it…", flush=True)
            call_command("seed_scale", patients=0, clinics=clinics, seed=1)
            print(flush=True)
            _vacuum()


def _vacuum() -> None:
    """VACUUM ANALYZE a freshly seeded database, as autovacuum leaves a table in service:
    planner statistics for the new rows, and the visibility map that lets an index-only scan
    (the name search's, patients migration 0007) skip the table. Otherwise the bench would
    measure whatever autovacuum had reached by then."""
    from django.db import connection

    print("vacuuming and analysing the seeded database…", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _seed_portal() -> None:
    """Portal accounts for a few hundred patients of the bench clinic (bench/portal.py): made
    once, a few seconds at any size."""
    from bench import portal
    from bench.journeys import CLINIC

    added = portal.seed_accounts(CLINIC)
    if added:
        print(f"linked {added:,} portal accounts at {CLINIC}", flush=True)


def _wait_for(base_url: str) -> None:
    from bench import http

    for _ in range(100):
        try:
            if http.request(base_url, "GET", "/health/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server at {base_url} did not answer /health/")


def _preflight(base_url: str, journey, prepared) -> None:
    """Send a journey's first requests once: a wrong status stops the bench with the answer,
    before a load run counts thousands of the same error."""
    from bench import http

    for method, path, body in prepared.requests[:3]:
        answer = http.request(base_url, method, path, headers=prepared.headers, body=body or None)
        if answer.status not in (journey.expected_status, *journey.also_expected):
            raise SystemExit(
                f"{journey.name}: {method} {path} answered {answer.status}, "
                f"not {journey.statuses}:\n{answer.body[:500]}"
            )


def _wrk(base_url, path, journey, clients: int, seconds: int) -> dict:
    per_thread = clients // THREADS
    command = [
        shutil.which("wrk") or "wrk",
        f"-t{THREADS}",
        f"-c{clients}",
        f"-d{seconds}s",
        "--timeout=10s",
        f"--script={ROOT / 'bench' / 'wrk.lua'}",
        base_url,
        "--",
        str(path),
        journey.statuses,
        "1" if journey.one_use else "0",
        str(THREADS),
        str(per_thread),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH_JSON (.*)$", output, re.MULTILINE)
    if match is None:
        raise SystemExit(f"wrk gave no results for {journey.name}:\n{output}")
    return json.loads(match.group(1))


def _data_counts() -> dict[str, int]:
    from mesoclinic.aftercare.models import CheckIn, OutcomeScore
    from mesoclinic.appointments.models import Appointment
    from mesoclinic.care.models import AdverseEvent, Consultation, Course, TreatmentSession
    from mesoclinic.clinics.models import Clinic
    from mesoclinic.formulary.models import StockMovement
    from mesoclinic.patients.models import Patient

    return {
        "clinics": Clinic.objects.count(),
        "patients": Patient.objects.count(),
        "consultations": Consultation.objects.count(),
        "courses": Course.objects.count(),
        "sessions": TreatmentSession.objects.count(),
        "stock movements": StockMovement.objects.count(),
        "appointments": Appointment.objects.count(),
        "check-ins": CheckIn.objects.count(),
        "adverse events": AdverseEvent.objects.count(),
        "outcome scores": OutcomeScore.objects.count(),
    }


def _baseline(path: str | None, commit: str):
    """The smaller size's results of this same run (bench.run passes them), for growth."""
    if not path or not Path(path).exists():
        return None
    baseline = json.loads(Path(path).read_text(encoding="utf-8"))
    return baseline if baseline["commit"] == commit else None


def _machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgresql = cursor.fetchone()[0].split()[0]
    cpu_model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    release = dict(
        line.split("=", 1)
        for line in Path("/etc/os-release").read_text().splitlines()
        if "=" in line
    )
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gib": memory_kib / 1024 / 1024,
        "os": release.get("PRETTY_NAME", platform.platform()).strip('"'),
        "python": platform.python_version(),
        "postgresql": postgresql,
    }


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    sys.exit(main())
