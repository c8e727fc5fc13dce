"""Free slots and the check of one booking, on one definition. Pure Python.

`check` names every reason a start is refused; `free_slots` returns exactly the starts on a
step grid that `check` accepts, without calling it per grid point: each resource's bookable
starts are worked out once as ranges of grid indices (its free hours shrunk by the duration,
minus every busy range widened by the buffers) and the ranges are intersected.
"""

import itertools
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from mesoclinic.appointments.availability import Availability, Interval, Off, merge

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Kind:
    """An appointment type as the rules see it: its length, buffers and needed resources."""

    duration: timedelta
    before: timedelta = timedelta(0)
    after: timedelta = timedelta(0)
    needs_practitioner: bool = True
    needs_room: bool = False


@dataclass(frozen=True)
class Busy:
    """An active booking's blocked range (its own buffers included)."""

    interval: Interval
    label: str = ""
    ident: int | None = None
    shown: Interval | None = None  # the booking itself, without buffers, for the clash's words


@dataclass(frozen=True)
class Resource:
    id: int
    name: str
    availability: Availability
    busy: tuple[Busy, ...] = ()


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    practitioner: int | None
    room: int | None


@dataclass(frozen=True)
class Problem:
    """One reason a booking is refused, with the time and label it clashes with when known."""

    code: str
    resource: str
    start: datetime | None = None
    end: datetime | None = None
    label: str = ""


def blocked(kind: Kind, start: datetime) -> Interval:
    """The range a booking holds: [start - before, start + duration + after)."""
    return Interval(start - kind.before, start + kind.duration + kind.after)


def _off_problems(appointment: Interval, offs: Sequence[Off], resource: str) -> list[Problem]:
    return [
        Problem(off.reason, resource, off.interval.start, off.interval.end, off.label)
        for off in offs
        if off.interval.overlaps(appointment)
    ]


def _clash_problems(held: Interval, busy: Sequence[Busy], resource: str) -> list[Problem]:
    return [
        Problem(
            "clash",
            resource,
            (item.shown or item.interval).start,
            (item.shown or item.interval).end,
            item.label,
        )
        for item in sorted(busy, key=lambda item: (item.interval, item.label))
        if item.interval.overlaps(held)
    ]


def _resource_problems(
    appointment: Interval, held: Interval, resource: Resource | None, role: str
) -> list[Problem]:
    if resource is None:
        return [Problem(f"no_{role}", role)]
    problems = []
    if not any(h.contains(appointment) for h in merge(resource.availability.hours)):
        problems.append(Problem("outside_hours", role, label=resource.name))
    problems += _off_problems(appointment, resource.availability.off, role)
    return problems + _clash_problems(held, resource.busy, role)


def check(
    *,
    kind: Kind,
    start: datetime,
    practitioner: Resource | None,
    room: Resource | None,
    clinic: Availability,
    patient_busy: Sequence[Busy] = (),
    now: datetime,
) -> list[Problem]:
    """Every reason a booking of `kind` at `start` is refused, each once; empty when it fits.

    Order: past, the clinic (hours, then time off), the practitioner, the room, the patient.
    The appointment itself must fit the hours and avoid time off; its blocked range (with the
    buffers) must avoid every other booking's blocked range.
    """
    appointment = Interval(start, start + kind.duration)
    held = blocked(kind, start)
    problems = []
    if start < now:
        problems.append(Problem("past", "clinic"))
    if not any(h.contains(appointment) for h in merge(clinic.hours)):
        problems.append(Problem("outside_hours", "clinic"))
    problems += _off_problems(appointment, clinic.off, "clinic")
    if kind.needs_practitioner:
        problems += _resource_problems(appointment, held, practitioner, "practitioner")
    if kind.needs_room:
        problems += _resource_problems(appointment, held, room, "room")
    problems += _clash_problems(held, patient_busy, "patient")
    return list(dict.fromkeys(problems))


# Grid arithmetic: a start is EPOCH + k * step; sets of starts are sorted, disjoint inclusive
# ranges (lo, hi) of k.
Ranges = list[tuple[int, int]]


def _ceil(offset: timedelta, step: timedelta) -> int:
    return -((-offset) // step)


def _floor(offset: timedelta, step: timedelta) -> int:
    return offset // step


def _starts_within(free: Sequence[Interval], duration: timedelta, step: timedelta) -> Ranges:
    """Grid starts s with [s, s + duration) inside one of the free intervals."""
    ranges = []
    for interval in free:
        lo = _ceil(interval.start - EPOCH, step)
        hi = _floor(interval.end - duration - EPOCH, step)
        if lo <= hi:
            ranges.append((lo, hi))
    return ranges


def _without_busy(ranges: Ranges, busy: Sequence[Busy], kind: Kind, step: timedelta) -> Ranges:
    """Drop the starts whose blocked range overlaps a busy range.

    [s - before, s + duration + after) overlaps [b0, b1) exactly when
    b0 - duration - after < s < b1 + before.
    """
    cuts = []
    for item in busy:
        lo = _floor(item.interval.start - kind.duration - kind.after - EPOCH, step) + 1
        hi = _ceil(item.interval.end + kind.before - EPOCH, step) - 1
        if lo <= hi:
            cuts.append((lo, hi))
    return _minus(ranges, cuts)


def _minus(ranges: Ranges, cuts: Ranges) -> Ranges:
    result = []
    cuts = sorted(cuts)
    index = 0
    for lo, hi in ranges:
        while index < len(cuts) and cuts[index][1] < lo:
            index += 1
        cursor, scan = lo, index
        while scan < len(cuts) and cuts[scan][0] <= hi:
            cut_lo, cut_hi = cuts[scan]
            if cut_lo > cursor:
                result.append((cursor, cut_lo - 1))
            cursor = max(cursor, cut_hi + 1)
            scan += 1
        if cursor <= hi:
            result.append((cursor, hi))
    return result


def _intersect(a: Ranges, b: Ranges) -> Ranges:
    result, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            result.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return result


def _bookable(resource: Resource, kind: Kind, step: timedelta, base: Ranges) -> Ranges:
    own = _starts_within(resource.availability.free(), kind.duration, step)
    return _intersect(base, _without_busy(own, resource.busy, kind, step))


def _covers(ranges: Ranges, los: list[int], k: int) -> bool:
    index = bisect_right(los, k) - 1
    return index >= 0 and ranges[index][1] >= k


def free_slots(
    *,
    kind: Kind,
    practitioners: Sequence[Resource],
    rooms: Sequence[Resource],
    clinic: Availability,
    patient_busy: Sequence[Busy] = (),
    window: Interval,
    step: timedelta,
    not_before: datetime,
    one_per_start: bool = False,
    limit: int | None = None,
) -> list[Slot]:
    """The grid starts `check` accepts, by start then the practitioners' given order.

    Starts are multiples of `step` since the Unix epoch inside `window`, not before
    `not_before`, ending by `window.end`; each practitioner that fits gets the first room
    (in the given order) that fits.
    """
    if step <= timedelta(0):
        raise ValueError("The step must be positive")
    first = max(_ceil(window.start - EPOCH, step), _ceil(not_before - EPOCH, step))
    last = _floor(window.end - kind.duration - EPOCH, step)
    if first > last or (limit is not None and limit <= 0):
        return []
    base = _starts_within(clinic.free(), kind.duration, step)
    base = _without_busy(_intersect(base, [(first, last)]), patient_busy, kind, step)
    people: list[tuple[int | None, Ranges]] = [(None, base)]
    if kind.needs_practitioner:
        people = [(p.id, _bookable(p, kind, step, base)) for p in practitioners]
    places: list[tuple[int | None, Ranges]] = [(None, base)]
    if kind.needs_room:
        places = [(r.id, _bookable(r, kind, step, base)) for r in rooms]
    lists = [ranges for _, ranges in people + places]
    # Between two consecutive boundaries, who fits does not change.
    bounds = sorted({edge for ranges in lists for lo, hi in ranges for edge in (lo, hi + 1)})
    people_los = [[lo for lo, _ in ranges] for _, ranges in people]
    places_los = [[lo for lo, _ in ranges] for _, ranges in places]
    tz = window.start.tzinfo
    slots: list[Slot] = []
    for seg_lo, seg_hi in itertools.pairwise(bounds):
        room = next(
            (
                ident
                for (ident, ranges), los in zip(places, places_los, strict=True)
                if _covers(ranges, los, seg_lo)
            ),
            False,
        )
        if room is False:
            continue
        who = [
            ident
            for (ident, ranges), los in zip(people, people_los, strict=True)
            if _covers(ranges, los, seg_lo)
        ]
        if one_per_start:
            who = who[:1]
        for k in range(seg_lo, seg_hi):
            start = (EPOCH + k * step).astimezone(tz)
            end = start + kind.duration
            for ident in who:
                slots.append(Slot(start, end, ident, room))
                if limit is not None and len(slots) >= limit:
                    return slots
    return slots
