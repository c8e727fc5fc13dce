"""What a patient may change themselves, online, and every reason they may not. Pure Python.

The clinic decides how much notice it needs (`Clinic.portal_change_hours`, clinic data with a
default of 24 hours): up to then a patient moves or cancels a booked appointment in the portal,
and a new time they choose must be at least that far ahead; closer to the time, the clinic's
desk decides (the patient calls). Confirming ("I will come") is welcome until the time starts.
Everything else the book refuses (clashes, hours, a course's intervals) is the booking
services' to say, for the patient as for the desk.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Change(StrEnum):
    CONFIRM = "confirm"
    MOVE = "move"
    CANCEL = "cancel"
    BOOK = "book"  # a new appointment (a course's next session): only its new time is judged


class Code(StrEnum):
    STATUS = "status"  # not booked any more (cancelled, checked in, completed, missed)
    STARTED = "started"  # its time has come
    TOO_LATE = "too_late"  # inside the clinic's notice: too late to move or cancel online
    TOO_SOON = "too_soon"  # the new time is inside the clinic's notice
    CONFIRMED = "confirmed"  # already confirmed


@dataclass(frozen=True)
class Reason:
    """One reason, with what its words need: the status, or the clinic's notice in hours."""

    code: Code
    status: str = ""
    hours: int = 0


#: The only status a patient changes: a booked time (the desk handles the rest).
BOOKED = "booked"


def problems(
    *,
    change: Change,
    now: datetime,
    notice_hours: int,
    status: str = BOOKED,
    starts_at: datetime | None = None,
    confirmed: bool = False,
    new_start: datetime | None = None,
) -> tuple[Reason, ...]:
    """Every reason the patient may not make `change`, each once; empty when they may.

    `status`, `starts_at` and `confirmed` describe the appointment (ignored for BOOK);
    `new_start` is the time asked for (MOVE and BOOK). Notice is counted in real hours, so
    "24 hours" is a day before whatever the clock says."""
    notice = timedelta(hours=notice_hours)
    found: list[Reason] = []
    if change is not Change.BOOK:
        if status != BOOKED:
            found.append(Reason(Code.STATUS, status=status))
        if starts_at is not None and starts_at <= now:
            found.append(Reason(Code.STARTED))
        elif (
            change in (Change.MOVE, Change.CANCEL)
            and starts_at is not None
            and starts_at - now < notice
        ):
            found.append(Reason(Code.TOO_LATE, hours=notice_hours))
        if change is Change.CONFIRM and confirmed:
            found.append(Reason(Code.CONFIRMED))
    if (
        change in (Change.MOVE, Change.BOOK)
        and new_start is not None
        and (new_start - now < notice or new_start <= now)
    ):
        found.append(Reason(Code.TOO_SOON, hours=notice_hours))
    return tuple(found)


def latest_change(starts_at: datetime, notice_hours: int) -> datetime:
    """Until when the patient may move or cancel online (shown beside the appointment)."""
    return starts_at - timedelta(hours=notice_hours)
