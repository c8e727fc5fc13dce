"""The benchmark's verdicts and tables: pure, no Django, so the targets are tested like rules.

Targets come from issue 8 and are reported, never tuned: at 1,000,000 patients every read
journey's p95 is at most 50 ms; single-record reads and searches stay within 3 × the framework
floor's p95 and composite pages within 6 ×; p95 grows at most 1.5 × from 10,000 to 1,000,000
patients; no journey issues more queries as data grows; no errors.
"""

from __future__ import annotations

from dataclasses import dataclass

READ_P95_MS = 50.0
FLOOR_RATIO = {"single": 3.0, "composite": 6.0}
GROWTH_MAX = 1.5
#: The charted session when issue 23 was filed (bench/results/patients-1000000.md at 8ffbae6):
#: its target is at least twice the throughput with at most half the queries.
WRITE_BEFORE = {"throughput_rps": 27.0, "queries": 40}


@dataclass(frozen=True)
class Journey:
    name: str
    label: str
    #: "floor", "single" (3 × floor), "composite" (6 × floor), "read" (50 ms only) or "write".
    kind: str
    expected_status: int = 200
    one_use: bool = False
    #: Other statuses that are a right answer, counted apart (a booking's 409: the slot is taken).
    also_expected: tuple[int, ...] = ()

    @property
    def statuses(self) -> str:
        return ",".join(str(code) for code in (self.expected_status, *self.also_expected))


JOURNEYS = (
    Journey("floor", "Framework floor: /health/, one indexed query", "floor"),
    Journey("search_name", "Patient search by name, as typed (English and Urdu)", "single"),
    Journey("search_cnic", "Patient search by CNIC, as typed", "single"),
    Journey("search_mobile", "Patient search by mobile, as typed", "single"),
    Journey("api_patients", "API patient list (keyset pages)", "single"),
    Journey("screening_evaluate", "Screening evaluate (API)", "single"),
    Journey("lot_recall", "Lot recall list", "single"),
    Journey("chart", "Patient chart", "composite"),
    Journey("guide_page", "Guide page (English and Urdu)", "composite"),
    Journey("guide_search", "Guide search", "read"),
    Journey("session_write", "Session charting (write, through the gate)", "write", 302, True),
    Journey(
        "slot_search", "Slot search: a clinic's free sessions over 1–7 days (API)", "composite"
    ),
    Journey("day_view", "Appointment book: a clinic's day (staff page)", "composite"),
    # One record: the check-in behind the signed link (its session's clinic, for the number to
    # call), rendered as a short form; no login, no list.
    Journey("check_in_form", "Check-in form from a patient's link (public)", "single"),
    # Pages of many rows: the register lists a clinic's events with their patients, sessions
    # and lots; progress reads a course, its sessions and scores, and draws the chart.
    Journey(
        "adverse_event_register", "Adverse-event register: a clinic's events (staff)", "composite"
    ),
    Journey("progress", "Course progress: scores over sessions, chart (staff)", "composite"),
    # FHIR (issue 21): held to the JSON API list's ratio, 3 × the floor.
    Journey("fhir_patient_search", "FHIR Patient search: name, CNIC, mobile (Bearer)", "single"),
    Journey("fhir_patient_read", "FHIR Patient read (Bearer)", "single"),
    Journey(
        "fhir_clinical_search",
        "FHIR clinical search by patient (Procedure, else Observation; Bearer)",
        "single",
    ),
    # The portal (issue 22): the patient's own records at each clinic, signed in; and the
    # sign-in's code request (its POST, answered by a redirect to the code page: one use per
    # number, a few rows written, bench/portal.py).
    Journey(
        "portal_treatment", "Portal: my treatment, signed-in patient (Urdu, English)", "composite"
    ),
    Journey(
        "portal_code_request",
        "Portal: sign-in code request (public)",
        "single",
        302,
        one_use=True,
    ),
    Journey(
        "booking",
        "Booking a free slot, many clients racing (API; 201, or 409 when taken)",
        "write",
        201,
        also_expected=(409,),
    ),
)
BY_NAME = {journey.name: journey for journey in JOURNEYS}

#: What would bring each journey within its targets, from its profile (see README, "Capacity").
PLANS = {
    # Issue 23: what was done (the levers kept) and what the next lever would be, per journey.
    "search_name": (
        "who is asking now comes from the shared auth cache (four queries fewer). The tail is "
        "two-word Urdu names, which match each word anywhere in the Urdu name: PostgreSQL tests "
        "them row by row over the clinic's slice. A covering index (clinic, id DESC) INCLUDE "
        "(the names), read by an index-only scan, was built and measured in issue 23: a rare "
        "name then reads 13 index pages instead of the heap, but the planner walks that index "
        "for every two-word name and tests each entry, twice the query time on a "
        "20,000-patient clinic, so it was not kept (branch p23-search-api-covering-index). "
        "Next: a trigram index per word of the Urdu name (a words table), so each word is an "
        "index lookup"
    ),
    "search_cnic": (
        "who is asking comes from the shared auth cache: the search and the audit row are the "
        "only queries left. The rest is Django's fixed cost (middleware, the template, the "
        "audit row's INSERT, about 1 ms of CPU with PostgreSQL's share, kept: no read may go "
        "unaudited and an asynchronous audit could lose rows). Next: a lighter results partial"
    ),
    "search_mobile": "as the CNIC search: the same page, the same fixed cost",
    "api_patients": (
        "the page is read with values() and shown without a serializer per row (about 1.7 ms "
        "of Python for 50 patients, from 6-7), and the throttles count in Redis; what is left "
        "is DRF's fixed cost per request (authentication, the token row, content negotiation, "
        "JSON rendering of 50 rows) and the audit row"
    ),
    "screening_evaluate": "pure rules; the fixed cost of an API request is the rest",
    "lot_recall": (
        "no eight-table join any more (PostgreSQL took 4-29 ms to plan it): a narrow query for "
        "the page's uses, then its lots and patients by key, and links built once per page. "
        "What is left is rendering 50 rows of six columns; next, a leaner row template"
    ),
    "chart": (
        "each kind of record is read with only the columns the chart shows (its SQL "
        "compilation halved). Every record query still repeats the scoping sub-select; a cached "
        "per-patient fragment was not built: its invalidation would have to cover every "
        "clinical write, product, protocol and consent-text rename, per language and scope"
    ),
    "guide_page": "public and cacheable; next, cache rendered guide pages per language",
    "guide_search": (
        "results are cached per language and terms and dropped by the index rebuild every "
        "edit makes; the rest is rendering the page"
    ),
    "session_write": "no latency target; the gate's facts and the ledger",
    "slot_search": (
        "the book of the clinic over the range is read in about ten queries whatever its size; "
        "the rest is the pure search over every practitioner and room: next, search one "
        "practitioner or stop at the first page of slots"
    ),
    "day_view": "one query for the day's rows; the rest is rendering",
    "booking": "no latency target; what it must show is no double booking under the load",
    "fhir_patient_search": (
        "the token, the page and the audit row; the throttles now count in Redis. The rest is "
        "the fixed cost of DRF and of building each resource as a dict"
    ),
    "fhir_patient_read": "the same fixed cost per request as the search, for one row",
    "fhir_clinical_search": "the same fixed cost; the page is one query on the patient's index",
    "portal_treatment": (
        "the patient's records through the scoping rule (a sub-select on Patient.portal_user) "
        "and one audit row per record kind shown"
    ),
    "portal_code_request": (
        "the rate limit's counters, the code and its outbox message: a few rows a request"
    ),
    "floor": "",
}


def summarize(raw: dict) -> dict:
    """wrk's BENCH_JSON line → milliseconds, throughput, errors and queries per request."""
    seconds = raw["duration_us"] / 1e6 if raw["duration_us"] else 0.0
    responses = raw["responses"]
    errors = raw["unexpected"] + raw["socket_errors"] + raw["timeouts"]
    return {
        "requests": raw["requests"],
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "throughput_rps": raw["requests"] / seconds if seconds else 0.0,
        "errors": errors,
        "unexpected_statuses": raw.get("unexpected_statuses", "").strip(),
        "queries_per_request": raw["queries"] / responses if responses else 0.0,
        "queries_min": raw["queries_min"],
        "queries_max": raw["queries_max"],
        "statuses": _statuses(raw.get("expected_counts", "")),
    }


def _statuses(text: str) -> dict[str, int]:
    """wrk.lua's "201:n 409:m" as {"201": n, "409": m}."""
    return {code: int(n) for code, _sep, n in (part.partition(":") for part in text.split())}


def verdicts(results: dict[str, dict], *, baseline: dict[str, dict] | None = None) -> dict:
    """Each journey's checks against the targets: {name: {check: (ok, detail)}}.

    `results` maps journey names to `summarize` output for one data size; `baseline` is the
    same at 10,000 patients, for the growth checks. The floor's p95 comes from `results`."""
    floor = results.get("floor", {}).get("p95_ms") or 0.0
    checks: dict[str, dict] = {}
    for name, result in results.items():
        journey = BY_NAME[name]
        mine: dict[str, tuple[bool, str]] = {}
        mine["errors"] = (result["errors"] == 0, f"{result['errors']} errors")
        if "double_bookings" in result:
            doubles = result["double_bookings"]
            mine["no_double_booking"] = (doubles == 0, f"{doubles} double bookings")
        if journey.kind in ("single", "composite", "read", "floor"):
            mine["p95"] = (
                result["p95_ms"] <= READ_P95_MS,
                f"p95 {result['p95_ms']:.1f} ms (≤ {READ_P95_MS:.0f})",
            )
        if name == "session_write":
            rps, queries = result["throughput_rps"], result["queries_max"]
            mine["write_throughput"] = (
                rps >= 2 * WRITE_BEFORE["throughput_rps"],
                f"{rps:.0f}/s (≥ 2 × {WRITE_BEFORE['throughput_rps']:.0f})",
            )
            mine["write_queries"] = (
                queries <= WRITE_BEFORE["queries"] / 2,
                f"{queries} queries (≤ {WRITE_BEFORE['queries'] // 2})",
            )
        if journey.kind in FLOOR_RATIO and floor:
            ratio = result["p95_ms"] / floor
            limit = FLOOR_RATIO[journey.kind]
            mine["floor_ratio"] = (ratio <= limit, f"{ratio:.1f} × floor (≤ {limit:.0f})")
        if baseline and name in baseline and baseline[name]["p95_ms"]:
            growth = result["p95_ms"] / baseline[name]["p95_ms"]
            mine["growth"] = (growth <= GROWTH_MAX, f"growth {growth:.2f} (≤ {GROWTH_MAX})")
            before, now = baseline[name]["queries_max"], result["queries_max"]
            mine["queries_flat"] = (now <= before, f"queries {before} → {now}")
        checks[name] = mine
    return checks


def growth_ratios(small: dict[str, dict], large: dict[str, dict]) -> dict[str, float]:
    """p95 at the large size / p95 at the small size, per journey measured at both."""
    return {
        name: large[name]["p95_ms"] / small[name]["p95_ms"]
        for name in large
        if name in small and small[name]["p95_ms"]
    }


def markdown(run: dict, *, baseline: dict | None = None) -> str:
    """The results table for `bench/results/*.md`: what ran where, then one row per journey
    with every target it meets or misses."""
    results = run["journeys"]
    base = baseline["journeys"] if baseline else None
    checks = verdicts(results, baseline=base)
    machine = run["machine"]
    lines = [
        f"# mesoclinic benchmark: {run['patients']:,} patients",
        "",
        f"- Commit `{run['commit']}`, {run['started_at']}",
        f"- Machine: {machine['cpus']} CPUs ({machine['cpu_model']}), "
        f"{machine['memory_gib']:.0f} GiB, {machine['os']}; PostgreSQL {machine['postgresql']}",
        f"- Server: {run['server']}",
        f"- Load: wrk, {run['clients']} concurrent clients, {run['seconds']} s per journey "
        f"after a {run['warmup_seconds']} s warm-up",
        f"- Data: {', '.join(f'{n:,} {what}' for what, n in run['data'].items())}",
    ]
    if baseline:
        lines.append(
            f"- Growth is measured against {baseline['patients']:,} patients "
            f"(commit `{baseline['commit']}`, {baseline['started_at']})"
        )
    profile = run.get("profile", {})
    lines += [
        "",
        "| Journey | p50 ms | p95 ms | p99 ms | req/s | errors | queries/req | server ms "
        "| CPU ms | p95 / floor | growth | verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for journey in JOURNEYS:
        if journey.name not in results:
            continue
        result, mine = results[journey.name], checks[journey.name]
        queries = (
            f"{result['queries_per_request']:.1f}"
            if result["queries_min"] == result["queries_max"]
            else f"{result['queries_per_request']:.1f} ({result['queries_min']}–"
            f"{result['queries_max']})"
        )
        failed = [detail for ok, detail in mine.values() if not ok]
        lines.append(
            f"| {journey.label} | {result['p50_ms']:.1f} | {result['p95_ms']:.1f} "
            f"| {result['p99_ms']:.1f} | {result['throughput_rps']:.0f} | {result['errors']} "
            f"| {queries} | {_server(profile.get(journey.name))} "
            f"| {_cpu(profile.get(journey.name))} | {_cell(mine.get('floor_ratio'))} "
            f"| {_cell(mine.get('growth'))} "
            f"| {'met' if not failed else 'NOT MET: ' + '; '.join(failed)} |"
        )
    missed = sorted(
        name for name, mine in checks.items() if any(not ok for ok, _d in mine.values())
    )
    lines += [
        "",
        "Every target met."
        if not missed
        else f"Targets not met: {', '.join(missed)} (see the notes below the table).",
        "",
        "Server ms: the median time of one request served alone, in-process, with the part "
        "spent in PostgreSQL in brackets (`bench/profile.py`); with 8 clients on 2 cores, the "
        "p95 is mostly queueing behind it. CPU ms: the CPU one request costs, the server "
        "process's and its PostgreSQL backend's together, read from the kernel's run time per "
        "task over the same requests: unlike the p95 it hardly moves with the machine's other "
        "load, so it is the cost each lever is judged by.",
        "",
    ]
    for journey in JOURNEYS:
        if results.get(journey.name, {}).get("ran_out"):
            lines += [
                f"{journey.label}: its one-use requests ran out before the time was up, so its "
                "throughput reads low (raise `--writes`).",
                "",
            ]
    if "booking" in results:
        lines += booking_lines(results["booking"])
    if run.get("outbox"):
        lines += outbox_section(run["outbox"])
    if run.get("export"):
        lines += export_section(run["export"])
    if missed:
        lines += ["## Notes on the targets not met", ""]
        for journey in JOURNEYS:
            if journey.name not in missed:
                continue
            failed = "; ".join(d for ok, d in checks[journey.name].values() if not ok)
            lines.append(
                f"- **{journey.label}** ({failed}). {_profile_note(profile.get(journey.name))}"
                f"Plan: {PLANS.get(journey.name) or 'none yet'}."
            )
        lines.append("")
    return "\n".join(lines)


def _server(profile: dict | None) -> str:
    if not profile:
        return "–"
    return f"{profile['server_ms']:.1f} ({profile['db_ms']:.1f})"


def _cpu(profile: dict | None) -> str:
    if not profile or "cpu_ms" not in profile:
        return "–"
    return f"{profile['cpu_ms']:.1f}"


def _profile_note(profile: dict | None) -> str:
    if not profile:
        return ""
    return (
        f"One request alone takes {profile['server_ms']:.1f} ms on the server, "
        f"{profile['db_ms']:.1f} ms of it in PostgreSQL over {profile['queries']} queries"
        + (f"; it costs {profile['cpu_ms']:.1f} ms of CPU" if "cpu_ms" in profile else "")
        + ". "
    )


def _cell(check: tuple[bool, str] | None) -> str:
    if check is None:
        return "–"
    ok, detail = check
    return detail if ok else f"**{detail}**"


def outbox_section(outbox: dict) -> list[str]:
    """The outbox journey's lines (bench/outbox.py): no target yet, the numbers as measured."""
    return [
        "## Outbox: enqueue and drain",
        "",
        f"{outbox['messages']:,} SMS messages enqueued through `notifications.services.enqueue` "
        "(500 a transaction, each with its audit row), then drained in batches of 100 by the "
        "worker's machinery (claim with a lease, render, send, mark sent) through a channel "
        "that does no network (`bench.outbox.NullChannel`). Each phase runs in its own process; "
        "RSS at start is the process with Django and every app loaded, before any message.",
        "",
        "| Phase | messages/s | seconds | peak RSS MiB | RSS at start MiB |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| Enqueue | {outbox['enqueue_per_s']:.0f} | {outbox['enqueue_seconds']:.1f} "
        f"| {outbox['enqueue_peak_rss_mib']:.0f} | {outbox['enqueue_start_rss_mib']:.0f} |",
        f"| Drain | {outbox['drain_per_s']:.0f} | {outbox['drain_seconds']:.1f} "
        f"| {outbox['drain_peak_rss_mib']:.0f} | {outbox['drain_start_rss_mib']:.0f} |",
        "",
        f"Sent {outbox['sent']:,}; not sent {outbox['not_sent']:,}."
        + ("" if not outbox["not_sent"] else " **Some messages were not sent.**"),
        "",
    ]


def export_section(export: dict) -> list[str]:
    """The FHIR bulk export's lines (bench/export.py): resources per second and the worker's
    peak memory, which should stay flat from the smallest size to the largest."""
    counts = ", ".join(f"{name} {count:,}" for name, count in sorted(export["counts"].items()))
    return [
        "## FHIR bulk export",
        "",
        "A system `$export` of everything, as an administrator, run by the worker's task in a "
        "process of its own: scoped querysets read in chunks of 1,000, mapped, streamed as "
        "NDJSON into encrypted files. RSS at start is the process with Django loaded.",
        "",
        "| resources | resources/s | seconds | files | peak RSS MiB | RSS at start MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {export['resources']:,} | {export['per_s']:.0f} | {export['seconds']:.1f} "
        f"| {export['files']} | {export['peak_rss_mib']:.0f} | {export['start_rss_mib']:.0f} |",
        "",
        f"By type: {counts}." + ("" if export["outcome"] == "completed" else " **Not completed.**"),
        f"Highest RSS in the run's first half {export.get('rss_first_half_mib', 0):.0f} MiB, "
        f"second half {export.get('rss_second_half_mib', 0):.0f} MiB (flat: the same).",
        "",
    ]


def booking_lines(result: dict) -> list[str]:
    """What the booking journey's clients were told, and what the database held afterwards."""
    statuses = result.get("statuses", {})
    doubles = result.get("double_bookings")
    return [
        f"Booking: {statuses.get('201', 0):,} booked (201) and {statuses.get('409', 0):,} refused "
        "as taken (409) while the clients raced for the same and partly overlapping slots; "
        + (
            "not checked afterwards."
            if doubles is None
            else f"{doubles} active appointments overlapping another on a practitioner, room or "
            "patient afterwards"
            + (" (none: no double booking under the load)." if not doubles else ".")
        ),
        "",
    ]
