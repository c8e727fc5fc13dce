"""A course's sessions as the patient reads them: done, booked or to come. Pure Python.

The plan's target dates come from the course (`care.course` laid them out, and moves them when a
session is late); the sessions charted say which are done and when; the booked session
appointments still to come say when the next ones are. Bookings are a course's series booked in
session order (`care.services.booking`), so the k-th booked session still to come is the k-th
session not yet given; the maintenance visit is booked as a session too, after the last one
(`care.services.booking.proposed_occurrences`), so it is the booking left over. A session
charted past the plan (a dermatologist's extra session) is shown too, with no target date.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Row:
    number: int
    target: date | None  # None for a session charted past the plan
    given_on: date | None  # the day it was given; None while it is to come
    booked_at: datetime | None  # its appointment, while it is to come and booked

    @property
    def done(self) -> bool:
        return self.given_on is not None


def rows(
    targets: Sequence[date], given: Mapping[int, date], booked: Sequence[datetime]
) -> list[Row]:
    """One row per session, numbered from 1: every planned one and any charted past the plan.
    `given` maps a session's number to the day it was given; `booked` are the starts of the
    course's session appointments still to come, each given to the next session not yet given,
    in order (a booking left over is the maintenance visit: `maintenance_booking`)."""
    last = max([len(targets), *given.keys()], default=0)
    waiting = iter(sorted(booked))
    found = []
    for number in range(1, last + 1):
        target = targets[number - 1] if number <= len(targets) else None
        on = given.get(number)
        found.append(Row(number, target, on, None if on else next(waiting, None)))
    return found


def next_to_come(found: Sequence[Row]) -> Row | None:
    """The first session not yet given (None when the course is all given)."""
    return next((row for row in found if not row.done), None)


def maintenance_booking(found: Sequence[Row], booked: Sequence[datetime]) -> datetime | None:
    """The maintenance visit's booking: the latest of the course's session bookings left over
    once each session to come has taken one, in order; None when none is left over."""
    taken = sum(1 for row in found if row.booked_at is not None)
    left = sorted(booked)[taken:]
    return left[-1] if left else None
