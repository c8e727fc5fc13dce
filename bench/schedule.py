"""The scheduling journeys of `make bench` (issue 18): the slot search over the API, a clinic's
day in the appointment book, and booking under load, at the first synthetic clinic.

The booking journey's clients POST bookings of free session slots found before the run, drawn
with replacement and some moved a quarter of an hour (a partial overlap of the same
practitioner's next slot), for random patients of the clinic, so clients race for the same and
overlapping times: each answer is 201 (booked) or 409 (taken). Afterwards `double_bookings`
asks the database whether any active appointment overlaps another on a practitioner, a room or
a patient — the answer must be none.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from mesoclinic.appointments import selectors
from mesoclinic.patients.models import Patient

#: Days ahead the booking journey books on, clear of the slot search's and the day view's.
BOOKING_DAYS = (10, 40)
SEARCH_DAYS = 28
#: Booking requests the clients share out: drawn from a few hundred free slots, so they race.
BOOKINGS = 2000


def slot_searches(clinic, rng, count: int = 60) -> list[tuple[str, str, str]]:
    """Session slots at the clinic over one to seven days, starting in the next four weeks."""
    today = timezone.localdate()
    requests = []
    for _ in range(count):
        first = today + timedelta(days=rng.randrange(SEARCH_DAYS))
        last = first + timedelta(days=rng.choice((0, 0, 2, 6)))
        requests.append(
            (
                "GET",
                f"/api/v1/slots/?clinic={clinic.pk}&type=session"
                f"&from={first.isoformat()}&to={last.isoformat()}",
                "",
            )
        )
    return requests


def day_views(clinic, rng, count: int = 60) -> list[tuple[str, str, str]]:
    """The clinic's day, from a month back to a month ahead (past days are full, the coming
    ones being booked)."""
    today = timezone.localdate()
    return [
        ("GET", f"/appointments/{clinic.slug}/day/{today + timedelta(days=offset)}/", "")
        for offset in (rng.randint(-30, 30) for _ in range(count))
    ]


def bookings(clinic, rng, count: int) -> list[tuple[str, str, str]]:
    """`count` booking bodies on free session slots (see the module's docstring)."""
    today = timezone.localdate()
    appointment_type = selectors.type_of(clinic.pk, "session")
    first = today + timedelta(days=BOOKING_DAYS[0])
    last = min(today + timedelta(days=BOOKING_DAYS[1]), first + timedelta(days=30))
    free = selectors.find_slots(
        appointment_type=appointment_type, first=first, last=last, one_per_start=False
    )
    if not free:
        raise RuntimeError(f"{clinic.slug} has no free session slot from {first} to {last}")
    patients = list(Patient.objects.filter(registered_clinic=clinic).values_list("pk", flat=True))
    bodies = []
    for _ in range(count):
        slot = rng.choice(free)
        start = slot.start + timedelta(minutes=rng.choice((0, 0, 0, 15)))
        body = {
            "patient": rng.choice(patients),
            "clinic": clinic.pk,
            "practitioner": slot.practitioner,
            "type": "session",
            "start": timezone.localtime(start).isoformat(),
        }
        bodies.append(("POST", "/api/v1/appointments/", json.dumps(body)))
    return bodies


#: One active appointment overlapping another on the same {c} (a column of a fixed list).
_OVERLAPS = """
    SELECT count(*) FROM appointments_appointment a
    WHERE a.status IN ('booked', 'checked_in', 'completed') AND a.{c} IS NOT NULL AND EXISTS (
        SELECT 1 FROM appointments_appointment b
        WHERE b.status IN ('booked', 'checked_in', 'completed') AND b.{c} = a.{c} AND b.id <> a.id
          AND tstzrange(b.blocked_from, b.blocked_until, '[)')
              && tstzrange(a.blocked_from, a.blocked_until, '[)')
    )
"""


def double_bookings() -> int:
    """Active appointments overlapping another active one on the same practitioner, room or
    patient (blocked ranges, buffers included): the exclusion constraints' promise, checked.
    The inner lookup is served by each constraint's own GiST index on (column, range)."""
    found = 0
    with connection.cursor() as cursor:
        for column in ("practitioner_id", "room_id", "patient_id"):
            cursor.execute(_OVERLAPS.format(c=column))
            found += cursor.fetchone()[0]
    return found
