"""A course's dates: N sessions a fixed interval apart, then a maintenance recall. Pure Python.

The ranges come from the approved protocol version (clinic data with its sources; the seed's
general rule is 4–6 sessions 1–2 weeks apart and maintenance every 3–6 months). This module
checks a plan against them, naming every value outside its range, and lays out the dates.
"""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Ranges:
    """What the protocol allows (each pair inclusive; a pair of None: no range is set)."""

    sessions: tuple[int, int]
    interval_days: tuple[int, int]
    maintenance_days: tuple[int, int]


@dataclass(frozen=True)
class Plan:
    sessions: int
    interval_days: int
    maintenance_days: int


@dataclass(frozen=True)
class Problem:
    """One value outside the protocol's range: `field` is the plan's field name."""

    field: str
    value: int
    low: int
    high: int


@dataclass(frozen=True)
class Dates:
    sessions: tuple[date, ...]
    maintenance_due: date


def problems(plan: Plan, ranges: Ranges) -> list[Problem]:
    """Every value of the plan outside the protocol's range (empty when the plan fits)."""
    found = []
    for name in ("sessions", "interval_days", "maintenance_days"):
        value = getattr(plan, name)
        low, high = getattr(ranges, name)
        if low is None or high is None:
            continue  # the protocol sets no range (localized fat has no maintenance range)
        if not low <= value <= high:
            found.append(Problem(field=name, value=value, low=low, high=high))
    return found


def dates(start: date, plan: Plan) -> Dates:
    """Target dates: the first session on `start`, each next one `interval_days` later, and
    the maintenance recall `maintenance_days` after the last session."""
    if plan.sessions < 1 or plan.interval_days < 1 or plan.maintenance_days < 1:
        raise ValueError("A course has at least one session and positive intervals.")
    step = timedelta(days=plan.interval_days)
    sessions = tuple(start + step * number for number in range(plan.sessions))
    return Dates(
        sessions=sessions, maintenance_due=sessions[-1] + timedelta(days=plan.maintenance_days)
    )


def after_session(targets: tuple[date, ...], plan: Plan, session_on: date, number: int) -> Dates:
    """The course's dates once session `number` happened on `session_on`: the sessions before
    it keep their dates, it takes the day it actually happened, the rest follow from that day
    every `interval_days`, and the maintenance recall comes `maintenance_days` after the last
    (so a late session moves the next ones and the recall; sessions past the plan add none)."""
    step = timedelta(days=plan.interval_days)
    later = tuple(session_on + step * k for k in range(1, max(plan.sessions - number, 0) + 1))
    sessions = (*targets[: number - 1], session_on, *later)
    return Dates(
        sessions=sessions, maintenance_due=sessions[-1] + timedelta(days=plan.maintenance_days)
    )
