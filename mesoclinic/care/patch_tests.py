"""When a patch test may be stated as applied, when it may be read, and how long a reading
stays valid.

Pure Python, no Django. The window (default 24–72 hours after application), the validity
period and how far back an application may be stated (default 2 hours) are clinic settings
(CLINICAL.md: no authoritative mesotherapy protocol was found, so the defaults are "clinic to
confirm"); this module only compares times and says why.

Every entry has two times: the one it states (applied at, read at) and the one it was entered
at (`now`, the server's clock). A stated time cannot be checked, so it is trusted only close to
its entry: an application stated further back needs a credentialed dermatologist's attestation,
and a negative reading counts only if it is stated inside the window *and* entered before the
window closed, so a reading typed days later with a time inside the window cannot clear a
patient.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class ReadProblem(StrEnum):
    BEFORE_APPLIED = "before_applied"  # impossible: refused
    TOO_EARLY = "too_early"  # a reaction may not have developed yet
    TOO_LATE = "too_late"  # a reaction may have faded
    IN_FUTURE = "in_future"
    ENTERED_AFTER_CLOSE = "entered_after_close"  # typed in after the window closed


class ApplicationProblem(StrEnum):
    IN_FUTURE = "in_future"
    BACKDATED = "backdated"  # stated further back than the clinic allows, not attested
    ATTESTER_NOT_DERMATOLOGIST = "attester_not_dermatologist"
    WINDOW_CLOSED = "window_closed"  # it could no longer be read: apply a new test


@dataclass(frozen=True)
class Window:
    opens_after_hours: int
    closes_after_hours: int

    def __post_init__(self):
        if not 0 <= self.opens_after_hours <= self.closes_after_hours:
            raise ValueError("A read window opens at or after application and before it closes.")


def window_bounds(applied_at: datetime, window: Window) -> tuple[datetime, datetime]:
    """When a test applied at `applied_at` may be read: (opens, closes), both included."""
    return (
        applied_at + timedelta(hours=window.opens_after_hours),
        applied_at + timedelta(hours=window.closes_after_hours),
    )


def application_problems(
    *,
    applied_at: datetime,
    now: datetime,
    window: Window,
    backdate_limit: timedelta,
    attested: bool,
    attester_is_dermatologist: bool,
) -> list[ApplicationProblem]:
    """Every reason an application entered at `now` and stated at `applied_at` is refused.

    Stated exactly `backdate_limit` back is allowed, a moment more needs an attestation
    (`attested`: a reason was given) by a credentialed dermatologist; an attestation by anyone
    else is refused whatever the time. Even attested, a test whose window has already closed
    could never be read, so it is refused.
    """
    problems = []
    if attested and not attester_is_dermatologist:
        problems.append(ApplicationProblem.ATTESTER_NOT_DERMATOLOGIST)
    if applied_at > now:
        problems.append(ApplicationProblem.IN_FUTURE)
    elif now - applied_at > backdate_limit and not (attested and attester_is_dermatologist):
        problems.append(ApplicationProblem.BACKDATED)
    if now > window_bounds(applied_at, window)[1]:
        problems.append(ApplicationProblem.WINDOW_CLOSED)
    return problems


def reading_problems(
    *, applied_at: datetime, read_at: datetime, now: datetime, window: Window, reaction_seen: bool
) -> list[ReadProblem]:
    """Every reason a reading stated at `read_at` and entered at `now` is refused.

    A reading is never in the future nor before the application. A reaction counts whenever
    it is seen (refusing it would lose an allergy). A negative reading must be stated inside
    the window, both ends included, and entered no later than its close.
    """
    problems = []
    if read_at > now:
        problems.append(ReadProblem.IN_FUTURE)
    if read_at < applied_at:
        problems.append(ReadProblem.BEFORE_APPLIED)
    if reaction_seen:
        return problems
    opens, closes = window_bounds(applied_at, window)
    if applied_at <= read_at < opens:
        problems.append(ReadProblem.TOO_EARLY)
    if read_at > closes:
        problems.append(ReadProblem.TOO_LATE)
    if now > closes:
        problems.append(ReadProblem.ENTERED_AFTER_CLOSE)
    return problems


def valid_until(read_at: datetime, *, validity_days: int) -> datetime:
    """A negative reading stands for `validity_days`; after that the test is repeated."""
    return read_at + timedelta(days=validity_days)
