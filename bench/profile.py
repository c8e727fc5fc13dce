"""Where a journey's time goes on the server: each request of a journey run one at a time
in-process (Django's test client, production settings, the bench database), timed whole and
for its database queries. Under 8 clients on 2 cores, p95 is mostly queueing behind this
service time; the profile says whether to cut Python (rendering, the ORM) or the database.

    python -m bench.profile --files DIR   # bench.size runs it on the journeys' files

Prints one JSON object {journey: {"server_ms": median, "db_ms": median, "queries": n,
"cpu_ms": mean}}. Wall times swing with whatever else the machine runs; `cpu_ms` is the CPU
one request costs, this process's and its PostgreSQL backend's together (each read from the
kernel's per-task run time, /proc/<pid>/schedstat, in nanoseconds): the repeatable cost a lever
must lower. `BENCH_CPROFILE=<journey>` also writes that journey's cProfile, sorted by own time,
to var/bench/cprofile-<journey>.txt.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 40
WARMUP = 5
#: Who sends each journey (as in bench/journeys.py); None: nobody signed in.
SENDER = {
    "floor": None,
    "search_name": "doctor",
    "search_cnic": "doctor",
    "search_mobile": "doctor",
    "chart": "doctor",
    "lot_recall": "admin",
    "guide_page": None,
    "guide_search": None,
    "api_patients": "token",
    "screening_evaluate": "token",
    "slot_search": "token",
    "day_view": "doctor",
    "check_in_form": None,
    "adverse_event_register": "doctor",
    "progress": "doctor",
    # FHIR: the same API token (sent as `Token`, which the FHIR views take as they take Bearer).
    "fhir_patient_search": "token",
    "fhir_patient_read": "token",
    "fhir_clinical_search": "token",
    # The portal: a seeded patient signed in (bench/portal.py); the code request is public.
    "portal_treatment": "patient",
    "portal_code_request": None,
    # A charting POST through the gate: each start token charts one session, and wrk used the
    # list's first ones; the profile sends the last (`--writes` must leave WARMUP + ROUNDS).
    "session_write": "doctor",
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", required=True, help="the folder of the journeys' files")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesoclinic.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

    from bench import portal
    from bench.journeys import ADMIN, CLINIC, DOCTOR
    from bench.report import JOURNEYS
    from mesoclinic.accounts.models import ApiToken

    users = get_user_model().objects
    clients = {None: Client(HTTP_X_FORWARDED_PROTO="https")}
    for role, username in (("doctor", DOCTOR), ("admin", ADMIN)):
        clients[role] = Client(HTTP_X_FORWARDED_PROTO="https")
        user = users.get(username=username)
        clients[role].force_login(user)
        # The session has proved the person's second factor, as the bench's own sign-in did
        # through the code page: otherwise a role that needs one is profiled redirecting.
        session = clients[role].session
        session[DEVICE_ID_SESSION_KEY] = next(devices_for_user(user)).persistent_id
        session.save()
    expected = {j.name: (j.expected_status, *j.also_expected) for j in JOURNEYS}
    writes = {j.name for j in JOURNEYS if j.kind == "write" and j.one_use}
    clients["patient"] = Client(HTTP_X_FORWARDED_PROTO="https")
    clients["patient"].force_login(portal.signed_in_patient(CLINIC))
    _row, key = ApiToken.issue(user=users.get(username=DOCTOR), name="bench profile")
    clients["token"] = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_AUTHORIZATION=f"Token {key}")

    wanted_profile = os.environ.get("BENCH_CPROFILE", "")
    profile = {}
    for name, sender in SENDER.items():
        path = Path(args.files) / f"{name}.txt"
        if not path.exists():
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        htmx = {"HTTP_HX_REQUEST": "true"} if "H\tHX-Request: true" in lines else {}
        # A form's POST (the portal's code request) is sent as a form; the API's as JSON.
        form = "H\tContent-Type: application/x-www-form-urlencoded" in lines
        content_type = "application/x-www-form-urlencoded" if form else "application/json"
        requests = [line.split("\t")[1:] for line in lines if line.startswith("R\t")]
        if name in writes:
            if len(requests) < WARMUP + ROUNDS:
                continue  # fewer writes prepared than the profile needs: not timed
            requests = requests[-(WARMUP + ROUNDS) :]
        client, totals, database, counts = clients[sender], [], [], []
        cpu_ns, backend = 0, _backend_pid(connection)
        profiler = cProfile.Profile() if name == wanted_profile else None
        for round_ in range(WARMUP + ROUNDS):
            measured = round_ >= WARMUP
            if measured:
                cpu_before = _cpu_ns("self") + _cpu_ns(backend)
                if profiler:
                    profiler.enable()
            method, target, *body = requests[round_ % len(requests)]
            timings: list[float] = []
            with connection.execute_wrapper(_timed(timings)):
                started = time.perf_counter()
                if method == "POST":
                    answer = client.post(target, (body or [""])[0], content_type=content_type)
                else:
                    answer = client.get(target, **htmx)
                elapsed = time.perf_counter() - started
            if answer.status_code not in expected[name]:
                raise SystemExit(
                    f"profile of {name}: {method} {target} answered {answer.status_code}, "
                    f"not {expected[name]}: the profile would time the wrong page"
                )
            if measured:
                if profiler:
                    profiler.disable()
                cpu_ns += _cpu_ns("self") + _cpu_ns(backend) - cpu_before
                totals.append(elapsed * 1000)
                database.append(sum(timings) * 1000)
                counts.append(len(timings))
        profile[name] = {
            "server_ms": round(statistics.median(totals), 2),
            "db_ms": round(statistics.median(database), 2),
            "queries": max(counts),
            "cpu_ms": round(cpu_ns / ROUNDS / 1e6, 2),
        }
        if profiler:
            _write_profile(profiler, name)
    print(json.dumps(profile))
    return 0


def _backend_pid(connection) -> int | None:
    """The PostgreSQL backend serving this process (None on SQLite: its work is in-process)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _cpu_ns(pid: int | str | None) -> int:
    """CPU time a task has run, in nanoseconds (the first field of its schedstat)."""
    if pid is None:
        return 0
    with open(f"/proc/{pid}/schedstat", encoding="ascii") as stat:
        return int(stat.read().split()[0])


def _write_profile(profiler: cProfile.Profile, name: str) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(60)
    stats.sort_stats("cumulative").print_stats(80)
    target = ROOT / "var" / "bench" / f"cprofile-{name}.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(out.getvalue(), encoding="utf-8")


def _timed(timings: list[float]):
    """A query wrapper adding each query's wall time (round trip included) to `timings`."""

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(time.perf_counter() - started)

    return wrapper


if __name__ == "__main__":
    sys.exit(main())
