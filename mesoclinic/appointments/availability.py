"""When a person or a clinic can be booked: weekly hours, breaks, one-off changes, leave and
closures resolved into aware intervals over a range of local dates. Pure Python.

The clinic enters its own holidays (Eid moves every year), so a closure is plain data here.
Breaks, leave and closures are kept apart from the hours (not subtracted) so that a refused
booking can name the reason; `Availability.free()` gives what is left to book.
"""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open span [start, end) of aware datetimes: touching intervals do not overlap."""

    start: datetime
    end: datetime

    def __post_init__(self):
        if self.end <= self.start:
            raise ValueError(f"An interval must end after it starts: {self.start} – {self.end}")

    def overlaps(self, other: "Interval") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Interval") -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Off:
    interval: Interval
    reason: str  # "break" | "leave" | "closure"
    label: str = ""


def _check_times(starts: time, ends: time) -> None:
    if ends <= starts:
        raise ValueError(f"Hours must end after they start: {starts} – {ends}")


@dataclass(frozen=True)
class Hours:
    """A weekly working interval in local wall-clock time (0 = Monday … 6 = Sunday)."""

    weekday: int
    starts: time
    ends: time

    def __post_init__(self):
        _check_times(self.starts, self.ends)


@dataclass(frozen=True)
class BreakRule:
    """A weekly break in local wall-clock time; weekday None means every day."""

    weekday: int | None
    starts: time
    ends: time
    label: str = ""

    def __post_init__(self):
        _check_times(self.starts, self.ends)


@dataclass(frozen=True)
class Change:
    """A one-off change: replaces the weekly hours on that local date (empty: not working)."""

    on: date
    hours: tuple[tuple[time, time], ...]

    def __post_init__(self):
        for starts, ends in self.hours:
            _check_times(starts, ends)


@dataclass(frozen=True)
class Closure:
    """The clinic closed on local dates first..last inclusive (Eid and other holidays)."""

    first: date
    last: date
    label: str = ""

    def __post_init__(self):
        if self.last < self.first:
            raise ValueError(f"A closure must end on or after its first day: {self.first}")


def merge(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sorted, with overlapping and touching intervals joined."""
    merged: list[Interval] = []
    for interval in sorted(intervals):
        if merged and interval.start <= merged[-1].end:
            if interval.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, interval.end)
        else:
            merged.append(interval)
    return tuple(merged)


def subtract(intervals: Iterable[Interval], removed: Iterable[Interval]) -> tuple[Interval, ...]:
    """`intervals` (merged first) minus every interval in `removed`, sorted."""
    cuts = merge(removed)
    starts = [cut.start for cut in cuts]
    result: list[Interval] = []
    for interval in merge(intervals):
        cursor = interval.start
        # The first cut that may reach into this interval is the one starting just before it.
        index = max(bisect_right(starts, cursor) - 1, 0)
        while index < len(cuts) and cuts[index].start < interval.end:
            cut = cuts[index]
            if cut.end > cursor:
                if cut.start > cursor:
                    result.append(Interval(cursor, cut.start))
                cursor = max(cursor, cut.end)
            index += 1
        if cursor < interval.end:
            result.append(Interval(cursor, interval.end))
    return tuple(result)


@dataclass(frozen=True)
class Availability:
    """Working intervals (sorted, merged) and the time off inside them, not yet subtracted."""

    hours: tuple[Interval, ...]
    off: tuple[Off, ...]

    def free(self) -> tuple[Interval, ...]:
        return subtract(self.hours, (off.interval for off in self.off))


def _local(day: date, at: time, tz: tzinfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz)


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def resolve(
    *,
    weekly: Iterable[Hours],
    breaks: Iterable[BreakRule] = (),
    changes: Iterable[Change] = (),
    leave: Iterable[Off] = (),
    closures: Iterable[Closure] = (),
    first: date,
    last: date,
    tz: tzinfo,
) -> Availability:
    """The hours and time off on the local dates first..last inclusive.

    A one-off change replaces that day's weekly hours; a break recurs on each matching day;
    a closure covers its whole local days, midnight to midnight (so in UTC it starts the
    evening before in Karachi); leave arrives aware and is kept when it overlaps the range.
    """
    by_weekday: dict[int, list[Hours]] = {}
    for hours in weekly:
        by_weekday.setdefault(hours.weekday, []).append(hours)
    changed = {change.on: change for change in changes}
    break_rules = list(breaks)
    working: list[Interval] = []
    off: list[Off] = []
    for day in _days(first, last):
        if day in changed:
            spans = list(changed[day].hours)
        else:
            spans = [(h.starts, h.ends) for h in by_weekday.get(day.weekday(), ())]
        working.extend(Interval(_local(day, s, tz), _local(day, e, tz)) for s, e in spans)
        for rule in break_rules:
            if rule.weekday is None or rule.weekday == day.weekday():
                span = Interval(_local(day, rule.starts, tz), _local(day, rule.ends, tz))
                off.append(Off(span, "break", rule.label))
    for closure in closures:
        if closure.first <= last and first <= closure.last:
            span = Interval(
                _local(closure.first, time(0), tz),
                _local(closure.last + timedelta(days=1), time(0), tz),
            )
            off.append(Off(span, "closure", closure.label))
    whole = Interval(_local(first, time(0), tz), _local(last + timedelta(days=1), time(0), tz))
    off.extend(item for item in leave if item.interval.overlaps(whole))
    off.sort(key=lambda item: (item.interval, item.reason, item.label))
    return Availability(hours=merge(working), off=tuple(off))
