"""Who and where would take a time: the book read (`facts.gather`), the pure check asked for
every practitioner and room that may take it, and the first free pair chosen, or every reason
refused. Nothing here writes: the booking services and the series booking call it inside their
transactions, before they write."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.appointments import facts, refusals, slots
from mesoclinic.appointments.availability import Interval
from mesoclinic.appointments.models import AppointmentType, Requirement


@dataclass(frozen=True)
class Choice:
    """What a booking would hold: the start and the practitioner and room it would take."""

    start: datetime
    practitioner_id: int | None
    room_id: int | None


@dataclass(frozen=True)
class Held:
    """A time not yet written but already promised (an earlier occurrence of a series being
    booked): busy for its practitioner, its room and the patient."""

    blocked: Interval
    practitioner_id: int | None
    room_id: int | None
    label: str = ""


def _with_held(resource, held, attribute):
    extra = tuple(
        slots.Busy(interval=h.blocked, label=h.label)
        for h in held
        if getattr(h, attribute) == resource.id
    )
    return replace(resource, busy=resource.busy + extra) if extra else resource


def choose(
    *,
    appointment_type: AppointmentType,
    start: datetime,
    patient_id: int | None,
    practitioner=None,
    room=None,
    ignore=None,
    occurrence: str = "",
    held: Sequence[Held] = (),
) -> Choice:
    """Read the book and pick who and where takes `start` (the given ones, or the first free
    eligible practitioner and room), or raise every reason it cannot be booked. `held` times
    count as busy (a series' own earlier occurrences, not yet written)."""
    if timezone.is_naive(start):
        raise refusals.BookingRefused(
            [refusals.Refusal("invalid", "clinic", _("Give the time with its time zone."))]
        )
    if abs(start - timezone.now()) > facts.REACH:
        raise refusals.BookingRefused(
            [refusals.Refusal("reach", "clinic", _("Book within two years of today."))]
        )
    day = timezone.localtime(start).date()
    if appointment_type.requirement == Requirement.NONE:
        candidates = []
    elif practitioner is not None:
        refused = refusals.who_may_not(appointment_type, practitioner, day)
        if refused:
            raise refusals.BookingRefused(refused)
        candidates = [practitioner]
    else:
        candidates = list(facts.eligible_practitioners(appointment_type, on=day))
    if room is not None and room.clinic_id != appointment_type.clinic_id:
        raise refusals.BookingRefused(
            [refusals.Refusal("room", "room", _("That room is at another clinic."))]
        )
    room_ids = [room.pk] if room is not None else facts.active_room_ids(appointment_type.clinic_id)
    kind = facts.kind_of(appointment_type)
    book = facts.gather(
        clinic_id=appointment_type.clinic_id,
        first=day - timedelta(days=1),
        last=day + timedelta(days=1),
        practitioners=candidates,
        room_ids=room_ids if kind.needs_room else (),
        patient_id=patient_id,
        ignore_appointment=ignore,
    )
    now = timezone.now()
    people = [_with_held(p, held, "practitioner_id") for p in book.practitioners] or [None]
    rooms = [_with_held(r, held, "room_id") for r in book.rooms] or [None]
    patient_busy = tuple(book.patient_busy) + tuple(
        slots.Busy(interval=h.blocked, label=h.label) for h in held
    )
    tried = []
    for person in people:
        for place in rooms:
            problems = slots.check(
                kind=kind,
                start=start,
                practitioner=person,
                room=place,
                clinic=book.clinic,
                patient_busy=patient_busy,
                now=now,
            )
            if not problems:
                return Choice(
                    start=start,
                    practitioner_id=person.id if person and kind.needs_practitioner else None,
                    room_id=place.id if place and kind.needs_room else None,
                )
            tried.append(problems)
    raise refusals.BookingRefused(
        refusals.refusals_of(
            refusals.summarize(tried, several_people=len(people) > 1, several_rooms=len(rooms) > 1),
            kind_name=appointment_type.get_code_display(),
            occurrence=occurrence,
        )
    )


def blocked_range(appointment_type: AppointmentType, start: datetime) -> Interval:
    """The time a booking of `appointment_type` at `start` holds, buffers included."""
    return slots.blocked(facts.kind_of(appointment_type), start)
