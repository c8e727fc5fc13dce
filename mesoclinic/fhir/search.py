"""Reading a FHIR search request: which parameters apply, which are ignored, the page asked for,
and the values of each parameter type (http://hl7.org/fhir/R4/search.html). Pure: no Django.

The server is lenient (the default `handling=lenient`): a parameter it does not know is
ignored and named in the Bundle's OperationOutcome rather than refused, as the issue asks."""

import calendar
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from mesoclinic.fhir.outcome import invalid

#: Parameters every search understands (beside each type's own). `_format` is answered by
#: always serving FHIR JSON; `_pretty` changes nothing a client relies on.
CONTROL = frozenset({"_count", "_cursor", "_total", "_include", "_format", "_pretty"})
TOTALS = frozenset({"none", "estimate", "accurate"})
DEFAULT_COUNT = 50
MAX_COUNT = 200


@dataclass
class Query:
    """A search request, read: `params` holds the parameters this type knows, each with every
    value it was given (repeats AND together; commas inside one value OR together)."""

    params: dict[str, list[str]] = field(default_factory=dict)
    count: int = DEFAULT_COUNT
    cursor: tuple[int, int] | None = None
    total: str = "none"
    includes: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def parse_query(items, *, known: set[str], includes: set[str]) -> Query:
    """`items` are the (name, value) pairs of the query string, in order."""
    query = Query()
    for name, value in items:
        if name == "_count":
            query.count = _count(value)
        elif name == "_cursor":
            query.cursor = parse_cursor(value)
        elif name == "_total":
            if value not in TOTALS:
                raise invalid(f"_total must be one of none, estimate, accurate: not {value!r}.")
            query.total = value
        elif name == "_include":
            if value in includes:
                query.includes.append(value)
            else:
                query.ignored.append(f"_include={value}")
        elif name in CONTROL:
            continue
        elif name in known:
            query.params.setdefault(name, []).append(value)
        else:
            query.ignored.append(name)
    return query


def _count(value: str) -> int:
    # At most 6 digits: Python refuses to read thousands of digits as a number (a 500).
    if not (value.isascii() and value.isdigit()) or len(value) > 6:
        raise invalid(f"_count must be a whole number from 0 to {MAX_COUNT}: not {value[:20]!r}.")
    return min(int(value), MAX_COUNT)


def parse_cursor(value: str) -> tuple[int, int]:
    """The opaque position of the next page: `<source>.<last id>` (keyset: rows inserted while
    a client pages are never shown twice and never shift a page)."""
    match = re.fullmatch(r"(\d{1,3})\.(\d{1,18})", value)
    if not match:
        raise invalid("The _cursor is not one this server gave: follow the Bundle's next link.")
    return int(match.group(1)), int(match.group(2))


def format_cursor(source: int, last_id: int) -> str:
    return f"{source}.{last_id}"


def split_or(value: str) -> list[str]:
    """`a,b` means a OR b; `\\,` is a literal comma."""
    parts = re.split(r"(?<!\\),", value)
    return [part.replace("\\,", ",") for part in parts]


def parse_token(value: str) -> tuple[str | None, str]:
    """`system|code`, `|code` (no system), `code` (any system) → (system or None, code).
    An empty system (`|code`) comes back as ""."""
    if "|" in value:
        system, _sep, code = value.partition("|")
        return system, code
    return None, value


def parse_reference(value: str, resource_type: str) -> str:
    """`Patient/12`, `12` or an absolute URL ending in `Patient/12` → "12". Another type → a
    400 naming it."""
    parts = value.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] != resource_type:
        raise invalid(f"The reference {value!r} is not a {resource_type}.")
    ident = parts[-1]
    if not _ID.fullmatch(ident):
        raise invalid(f"The reference {value!r} does not end in a FHIR id.")
    return ident


#: http://hl7.org/fhir/R4/datatypes.html#id (ASCII: "²" is no digit of an id).
_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}", re.ASCII)


DATE_PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")
_DATE = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:\d{2})?)?)?)?",
    re.ASCII,
)


@dataclass(frozen=True)
class DateRange:
    """A search date: the prefix and the half-open range [start, end) its precision covers.
    Times without a zone are read in `default_tz` (the clinic's, Asia/Karachi)."""

    prefix: str
    start: datetime
    end: datetime


def parse_date(value: str, default_tz) -> DateRange:
    prefix = value[:2] if value[:2] in DATE_PREFIXES else "eq"
    text = value[2:] if value[:2] in DATE_PREFIXES else value
    match = _DATE.fullmatch(text)
    if not match:
        raise invalid(f"{value!r} is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime).")
    parts = match.groupdict()
    try:
        year = int(parts["y"])
        if not 1 < year < 9999:  # a range, moved to UTC, must stay within Python's dates
            raise ValueError(year)
        if parts["m"] is None:
            start = datetime(year, 1, 1)
            end = datetime(year + 1, 1, 1)
        elif parts["d"] is None:
            month = int(parts["m"])
            start = datetime(year, month, 1)
            end = start + timedelta(days=calendar.monthrange(year, month)[1])
        elif parts["H"] is None:
            start = datetime.combine(
                date(year, int(parts["m"]), int(parts["d"])), datetime.min.time()
            )
            end = start + timedelta(days=1)
        else:
            seconds = parts["S"]
            start = datetime(
                year,
                int(parts["m"]),
                int(parts["d"]),
                int(parts["H"]),
                int(parts["M"]),
                int(seconds or 0),
            )
            end = start + (timedelta(seconds=1) if seconds else timedelta(minutes=1))
        tz = default_tz
        if parts.get("tz"):
            tz = UTC if parts["tz"] == "Z" else datetime.strptime(parts["tz"], "%z").tzinfo
    except (ValueError, OverflowError):
        raise invalid(f"{value!r} is not a date that exists (years 0002 to 9998).") from None
    return DateRange(prefix, start.replace(tzinfo=tz), end.replace(tzinfo=tz))
