"""What is due when, for the clinic's worklist: a patch test waiting to be read, a course's
next session. Pure Python, no Django.

The clinical numbers come from the records themselves (a patch test carries the window it was
applied under, a course its target dates); the horizons here only decide which list a record
appears on ("closing soon", "this week"), not what is allowed.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum


class PatchDue(StrEnum):
    CLOSING_SOON = "closing_soon"  # inside the window, and it closes within the horizon
    OPEN = "open"  # inside the window
    MISSED = "missed"  # the window closed without a reading: the test must be repeated


class SessionDue(StrEnum):
    OVERDUE = "overdue"  # the next session's target date has passed
    THIS_WEEK = "this_week"  # due today or within the next days of the week


@dataclass(frozen=True)
class PatchWindow:
    opens_at: datetime
    closes_at: datetime


def patch_window(applied_at: datetime, *, opens_hours: int, closes_hours: int) -> PatchWindow:
    """The read window of a test applied at `applied_at` (hours after application)."""
    return PatchWindow(
        opens_at=applied_at + timedelta(hours=opens_hours),
        closes_at=applied_at + timedelta(hours=closes_hours),
    )


def patch_due(
    window: PatchWindow, *, now: datetime, closing_soon: timedelta, missed_for: timedelta
) -> PatchDue | None:
    """Where an unread patch test stands at `now`: None before its window opens, and once it
    has been missed for longer than `missed_for` (it has dropped off the list).

    Both ends of the window are inside it, as `care.patch_tests.reading_problems` counts them."""
    if now < window.opens_at:
        return None
    if now > window.closes_at:
        return PatchDue.MISSED if now - window.closes_at <= missed_for else None
    if window.closes_at - now <= closing_soon:
        return PatchDue.CLOSING_SOON
    return PatchDue.OPEN


def next_target(session_dates: list[str], charted: int) -> date | None:
    """The target date of the next session to chart (None when every session is charted or
    the dates cannot be read)."""
    if charted < 0 or charted >= len(session_dates):
        return None
    try:
        return date.fromisoformat(session_dates[charted])
    except (TypeError, ValueError):
        return None


def session_due(target: date | None, *, today: date, week_days: int) -> SessionDue | None:
    """Overdue before today; this week from today to `week_days` - 1 days ahead; else None."""
    if target is None:
        return None
    if target < today:
        return SessionDue.OVERDUE
    if target < today + timedelta(days=week_days):
        return SessionDue.THIS_WEEK
    return None
