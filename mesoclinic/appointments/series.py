"""A course's occurrences and the gaps between them. Pure Python.

A course is booked in one step only when every occurrence keeps its protocol's gap from the
previous one (counted in local calendar days, so a late-evening session in Karachi is not a
day early in UTC) and the patch-test read falls inside its window. When one occurrence moves,
the following ones move with it only as far as their gaps require.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from mesoclinic.appointments.availability import Interval
from mesoclinic.appointments.slots import Slot


@dataclass(frozen=True)
class Gap:
    """Local calendar days after the previous occurrence, both bounds inclusive."""

    min_days: int
    max_days: int

    def __post_init__(self):
        if self.max_days < self.min_days:
            raise ValueError(f"A gap's maximum is below its minimum: {self}")

    def allows(self, days: int) -> bool:
        return self.min_days <= days <= self.max_days


@dataclass(frozen=True)
class Step:
    label: str
    start: datetime
    gap: Gap | None = None
    window: Interval | None = None


@dataclass(frozen=True)
class GapProblem:
    """A step breaking its gap (days and the range) or its window (days and range None)."""

    index: int
    label: str
    days: int | None
    min_days: int | None
    max_days: int | None


def days_between(earlier: datetime, later: datetime, tz: tzinfo) -> int:
    """Local calendar days from `earlier` to `later`."""
    return (later.astimezone(tz).date() - earlier.astimezone(tz).date()).days


def gap_problems(steps: Sequence[Step], tz: tzinfo) -> list[GapProblem]:
    """Every step out of its gap from the previous step, not after it, or outside its window.

    A window is half-open like every interval: the start may equal its start, not its end.
    """
    problems = []
    for index, step in enumerate(steps):
        if index:
            previous = steps[index - 1].start
            days = days_between(previous, step.start, tz)
            low = step.gap.min_days if step.gap else None
            high = step.gap.max_days if step.gap else None
            if step.start <= previous or (step.gap and not step.gap.allows(days)):
                problems.append(GapProblem(index, step.label, days, low, high))
        if step.window and not step.window.start <= step.start < step.window.end:
            problems.append(GapProblem(index, step.label, None, None, None))
    return problems


def nearest(slots: Sequence[Slot], target: datetime, count: int = 3) -> list[Slot]:
    """The free slots closest to `target`, one per start (the first given), earlier on ties."""
    firsts: dict[datetime, Slot] = {}
    for slot in slots:
        firsts.setdefault(slot.start, slot)
    ranked = sorted(firsts.values(), key=lambda slot: (abs(slot.start - target), slot.start))
    return ranked[:count]


def _moved_by_days(start: datetime, days: int, tz: tzinfo) -> datetime:
    """The same local time of day, `days` local dates later."""
    local = start.astimezone(tz)
    return datetime.combine(local.date() + timedelta(days=days), local.time(), tzinfo=tz)


def shift_following(
    steps: Sequence[Step], index: int, new_start: datetime, tz: tzinfo
) -> list[datetime]:
    """The proposed starts once step `index` moves to `new_start`.

    Earlier steps stay; each later step moves by the same number of local days only when its
    gap from the (moved) previous step is broken, keeping its time of day. If the original
    plan already broke that gap so the same move is not enough, it goes to the nearest day the
    gap allows.
    """
    starts = [step.start for step in steps]
    shift = days_between(steps[index].start, new_start, tz)
    starts[index] = new_start
    for later in range(index + 1, len(steps)):
        gap = steps[later].gap
        previous = starts[later - 1]
        if gap is None:
            continue
        days = days_between(previous, starts[later], tz)
        if gap.allows(days) and starts[later] > previous:
            continue
        moved = _moved_by_days(starts[later], shift, tz)
        days = days_between(previous, moved, tz)
        if not gap.allows(days) or moved <= previous:
            wanted = min(max(days, gap.min_days), gap.max_days)
            moved = _moved_by_days(moved, wanted - days, tz)
        starts[later] = moved
    return starts
