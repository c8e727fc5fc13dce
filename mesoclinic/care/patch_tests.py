"""When a patch test may be read, and how long a reading stays valid.

Pure Python, no Django. The window (default 24–72 hours after application) and the validity
period are clinic settings (CLINICAL.md: no authoritative mesotherapy protocol was found, so
the defaults are "clinic to confirm"); this module only compares times and says why.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class ReadProblem(StrEnum):
    BEFORE_APPLIED = "before_applied"  # impossible: refused
    TOO_EARLY = "too_early"  # a reaction may not have developed yet
    TOO_LATE = "too_late"  # a reaction may have faded
    IN_FUTURE = "in_future"


@dataclass(frozen=True)
class Window:
    opens_after_hours: int
    closes_after_hours: int

    def __post_init__(self):
        if not 0 <= self.opens_after_hours <= self.closes_after_hours:
            raise ValueError("A read window opens at or after application and before it closes.")


def read_problem(
    *, applied_at: datetime, read_at: datetime, now: datetime, window: Window
) -> ReadProblem | None:
    """Why a reading at `read_at` cannot count (None when it is inside the window)."""
    if read_at > now:
        return ReadProblem.IN_FUTURE
    if read_at < applied_at:
        return ReadProblem.BEFORE_APPLIED
    elapsed = read_at - applied_at
    if elapsed < timedelta(hours=window.opens_after_hours):
        return ReadProblem.TOO_EARLY
    if elapsed > timedelta(hours=window.closes_after_hours):
        return ReadProblem.TOO_LATE
    return None


def valid_until(read_at: datetime, *, validity_days: int) -> datetime:
    """A negative reading stands for `validity_days`; after that the test is repeated."""
    return read_at + timedelta(days=validity_days)
