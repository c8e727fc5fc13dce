"""The Bulk Data export's request and manifest (HL7 Bulk Data Access IG v2,
https://hl7.org/fhir/uv/bulkdata/export.html). Pure: no Django.

`kick_off` reads a kick-off request's headers and parameters into an `ExportRequest` or raises
the 400 the IG asks for; `manifest` builds the completed job's JSON."""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from mesoclinic.fhir.mapping.common import EXTENSION, instant
from mesoclinic.fhir.outcome import invalid

#: The one output format: NDJSON, under each of the names the IG lets a client use.
OUTPUT_FORMATS = frozenset({"application/fhir+ndjson", "application/ndjson", "ndjson"})
#: Parameters of the IG this server does not honour: refused (400) unless the client prefers
#: lenient handling, since ignoring them silently would export more than was asked.
UNSUPPORTED = frozenset(
    {"_elements", "_typeFilter", "patient", "includeAssociatedData", "organizeOutputBy"}
)
ACCEPTED_MEDIA = ("application/fhir+json", "application/json", "*/*", "application/*")
EXPIRES_EXTENSION = f"{EXTENSION}/bulk-export-expires"
#: A FHIR instant: seconds and a time zone always present.
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")


@dataclass(frozen=True)
class ExportRequest:
    types: tuple[str, ...]
    since: datetime | None
    ignored: tuple[str, ...] = ()


def kick_off(
    *,
    headers: Mapping[str, str],
    params: Sequence[tuple[str, str]],
    available: Sequence[str],
    known: Iterable[str],
    scope: str,
    now: datetime,
) -> ExportRequest:
    """The request, checked. `available`: the types this kind of export offers; `known`: every
    type the server has (a known type outside `available` is refused with a different reason).
    `scope` names the export in messages ("A Patient export")."""
    prefer = [part.strip().lower() for part in headers.get("Prefer", "").split(",")]
    if "respond-async" not in prefer:
        raise invalid("A bulk export needs the header `Prefer: respond-async`.")
    lenient = "handling=lenient" in prefer
    accept = headers.get("Accept", "")
    if accept and not any(media in accept.lower() for media in ACCEPTED_MEDIA):
        raise invalid("A bulk export answers in application/fhir+json: ask for it in Accept.")
    values: dict[str, list[str]] = {}
    ignored = []
    for name, value in params:
        if name in ("_outputFormat", "_type", "_since"):
            values.setdefault(name, []).append(value)
        elif lenient:
            ignored.append(name)
        elif name in UNSUPPORTED:
            raise invalid(
                f"This server does not support the parameter {name}.", code="not-supported"
            )
        else:
            raise invalid(f"{name} is not a parameter of $export.")
    for name, given in values.items():
        if len(given) > 1 and name != "_type":
            raise invalid(f"{name} may be given once.")
    output_format = values.get("_outputFormat", ["application/fhir+ndjson"])[0]
    if output_format not in OUTPUT_FORMATS:
        raise invalid(
            f"_outputFormat {output_format!r} is not offered: use application/fhir+ndjson.",
            code="not-supported",
        )
    since = None
    if "_since" in values:
        since = parse_instant(values["_since"][0])
        if since is None:
            raise invalid(
                "_since must be an instant with a time zone, such as 2026-01-31T09:00:00Z."
            )
        if since > now:
            raise invalid("_since is in the future.")
    types = _types(values.get("_type", []), available, set(known), scope)
    return ExportRequest(types=types, since=since, ignored=tuple(ignored))


def _types(given: list[str], available: Sequence[str], known: set, scope: str) -> tuple:
    if not given:
        return tuple(available)
    wanted = []
    for value in given:
        for name in value.split(","):
            name = name.strip()
            if not name:
                raise invalid("_type has an empty entry.")
            if name not in known:
                raise invalid(f"_type: this server has no {name} resources.", code="not-supported")
            if name not in available:
                raise invalid(f"_type: {scope} has no {name} resources.", code="not-supported")
            if name not in wanted:
                wanted.append(name)
    return tuple(wanted)


def parse_instant(value: str) -> datetime | None:
    """`value` as an aware datetime, or None when it is not a FHIR instant."""
    if not INSTANT.match(value):
        return None
    whole, _dot, rest = value.partition(".")
    if rest:  # Python reads at most microseconds
        digits = re.match(r"\d+", rest).group()
        value = f"{whole}.{digits[:6].ljust(6, '0')}{rest[len(digits) :]}"
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def progress(written: int, total: int | None) -> str:
    """The X-Progress header: a percentage (capped: rows added during the job may pass it)."""
    if not total:
        return "starting" if total is None else "100%"
    percent = min(99, written * 100 // total)
    return f"{percent}% ({min(written, total)} of {total} resources)"


def manifest(
    *,
    transaction_time: datetime,
    request: str,
    output: Iterable[tuple[str, str, int]],
    errors: Iterable[tuple[str, int]],
    expires: datetime,
) -> dict:
    """The completion manifest: `output` as (type, url, count), `errors` as (url, count)."""
    return {
        "transactionTime": instant(transaction_time),
        "request": request,
        "requiresAccessToken": True,
        "output": [{"type": kind, "url": url, "count": count} for kind, url, count in output],
        "error": [
            {"type": "OperationOutcome", "url": url, "count": count} for url, count in errors
        ],
        "extension": {EXPIRES_EXTENSION: instant(expires)},
    }


def http_date(moment: datetime) -> str:
    """An HTTP-date (the Expires header)."""
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
