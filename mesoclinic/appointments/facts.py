"""The appointment book of one clinic over a few days, read from the database into the pure
rules' terms (`availability`, `slots`): the clinic's opening hours and closures, each
practitioner who may take a type with their hours, breaks, one-off changes, leave and bookings,
each room with its bookings, and the patient's own bookings.

A constant number of queries whatever the range or the number of people (about ten), so a
slot search and a booking cost the same at 10 clinics or 1,000.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from mesoclinic.appointments import availability, slots
from mesoclinic.appointments.defaults import DOCTORS
from mesoclinic.appointments.models import (
    ACTIVE,
    Appointment,
    AppointmentType,
    Break,
    Closure,
    DayChange,
    Leave,
    Requirement,
    WorkingHours,
)
from mesoclinic.clinics.models import OpeningHours, Practitioner, Room

#: How far from today the book reaches (a booking, a search, a page): further is a typing
#: mistake, refused before any date arithmetic, which would overflow at the calendar's ends.
REACH = timedelta(days=2 * 366)


def local_zone() -> ZoneInfo:
    """Asia/Karachi (settings.TIME_ZONE): the clinics' wall clock."""
    return ZoneInfo(settings.TIME_ZONE)


def local_midnight(day: date) -> datetime:
    """The instant a Karachi date starts."""
    return datetime.combine(day, time.min, tzinfo=local_zone())


def kind_of(appointment_type: AppointmentType) -> slots.Kind:
    return slots.Kind(
        duration=timedelta(minutes=appointment_type.duration_minutes),
        before=timedelta(minutes=appointment_type.buffer_before_minutes),
        after=timedelta(minutes=appointment_type.buffer_after_minutes),
        needs_practitioner=appointment_type.requirement != Requirement.NONE,
        needs_room=appointment_type.needs_room,
    )


def eligible_practitioners(appointment_type: AppointmentType, *, on: date):
    """The practitioners who may take `appointment_type` at its clinic on `on`: members of the
    clinic, credentialed that day (the one definition, `Practitioner.objects.credentialed`),
    of a qualification the type allows (a doctor's type: dermatologists and physicians)."""
    people = Practitioner.objects.credentialed(on).filter(
        user__memberships__clinic_id=appointment_type.clinic_id, user__is_active=True
    )
    allowed = set(appointment_type.qualifications or ())
    if appointment_type.requirement == Requirement.DOCTOR:
        allowed = (allowed & set(DOCTORS)) if allowed else set(DOCTORS)
    if allowed:
        people = people.filter(qualification__in=sorted(allowed))
    return people.select_related("user").order_by("user__last_name", "user__first_name", "id")


def practitioner_name(practitioner: Practitioner) -> str:
    return practitioner.user.get_full_name() or practitioner.user.username


@dataclass(frozen=True)
class Book:
    """One clinic's book over [first, last] (local dates), as the rules read it."""

    clinic: availability.Availability
    practitioners: tuple[slots.Resource, ...]
    rooms: tuple[slots.Resource, ...]
    patient_busy: tuple[slots.Busy, ...]
    window: availability.Interval

    def practitioner(self, pk) -> slots.Resource | None:
        return next((r for r in self.practitioners if r.id == pk), None)

    def room(self, pk) -> slots.Resource | None:
        return next((r for r in self.rooms if r.id == pk), None)


def _busy(appointment: Appointment) -> slots.Busy:
    return slots.Busy(
        interval=availability.Interval(appointment.blocked_from, appointment.blocked_until),
        label=appointment.label or str(appointment.pk),
        ident=appointment.pk,
        shown=availability.Interval(appointment.starts_at, appointment.ends_at),
    )


def _ids(ignore) -> list[int]:
    if ignore is None:
        return []
    return [ignore] if isinstance(ignore, int) else list(ignore)


def gather(
    *,
    clinic_id: int,
    first: date,
    last: date,
    practitioners,
    room_ids=(),
    patient_id: int | None = None,
    ignore_appointment=None,
) -> Book:
    """Read the book. `practitioners` are Practitioner rows (already chosen as eligible);
    `ignore_appointment` (an id, or several: a series moved together) is left out of the busy
    times (the one being rescheduled)."""
    zone = local_zone()
    start = local_midnight(first)
    end = local_midnight(last + timedelta(days=1))
    window = availability.Interval(start, end)
    practitioners = list(practitioners)
    practitioner_ids = [p.pk for p in practitioners]
    room_ids = list(room_ids)

    closures = [
        availability.Closure(first=c.first, last=c.last, label=c.label)
        for c in Closure.objects.filter(clinic_id=clinic_id, last__gte=first, first__lte=last)
    ]
    clinic = availability.resolve(
        weekly=[
            availability.Hours(weekday=h.weekday, starts=h.opens, ends=h.closes)
            for h in OpeningHours.objects.filter(clinic_id=clinic_id)
        ],
        breaks=[],
        closures=closures,
        first=first,
        last=last,
        tz=zone,
    )

    weekly: dict[int, list] = {pk: [] for pk in practitioner_ids}
    for h in WorkingHours.objects.filter(clinic_id=clinic_id, practitioner_id__in=practitioner_ids):
        weekly[h.practitioner_id].append(
            availability.Hours(weekday=h.weekday, starts=h.starts, ends=h.ends)
        )
    breaks: dict[int | None, list] = {}
    for b in Break.objects.filter(clinic_id=clinic_id).filter(
        Q(practitioner__isnull=True) | Q(practitioner_id__in=practitioner_ids)
    ):
        breaks.setdefault(b.practitioner_id, []).append(
            availability.BreakRule(weekday=b.weekday, starts=b.starts, ends=b.ends, label=b.label)
        )
    changes: dict[int, dict[date, list]] = {pk: {} for pk in practitioner_ids}
    for c in DayChange.objects.filter(
        clinic_id=clinic_id, practitioner_id__in=practitioner_ids, on__gte=first, on__lte=last
    ):
        hours = changes[c.practitioner_id].setdefault(c.on, [])
        if c.starts is not None:
            hours.append((c.starts, c.ends))
    leave: dict[int, list] = {pk: [] for pk in practitioner_ids}
    for row in Leave.objects.filter(
        practitioner_id__in=practitioner_ids, starts_at__lt=end, ends_at__gt=start
    ):
        leave[row.practitioner_id].append(
            availability.Off(
                interval=availability.Interval(row.starts_at, row.ends_at),
                reason="leave",
                label=row.reason,
            )
        )

    busy_by_practitioner: dict[int, list] = {pk: [] for pk in practitioner_ids}
    busy_by_room: dict[int, list] = {pk: [] for pk in room_ids}
    patient_busy = []
    resource_filter = Q(practitioner_id__in=practitioner_ids) | Q(room_id__in=room_ids)
    if patient_id is not None:
        resource_filter |= Q(patient_id=patient_id)
    # Busy times overlapping the window (with a day's margin for buffers), at any clinic: a
    # practitioner or a patient booked elsewhere is busy here too.
    booked = (
        Appointment.objects.filter(resource_filter, status__in=ACTIVE)
        .filter(
            blocked_from__lt=end + timedelta(days=1), blocked_until__gt=start - timedelta(days=1)
        )
        .exclude(pk__in=_ids(ignore_appointment))
        .only(
            "pk",
            "label",
            "practitioner_id",
            "room_id",
            "patient_id",
            "starts_at",
            "ends_at",
            "blocked_from",
            "blocked_until",
        )
    )
    for appointment in booked:
        busy = _busy(appointment)
        if appointment.practitioner_id in busy_by_practitioner:
            busy_by_practitioner[appointment.practitioner_id].append(busy)
        if appointment.room_id in busy_by_room:
            busy_by_room[appointment.room_id].append(busy)
        if patient_id is not None and appointment.patient_id == patient_id:
            patient_busy.append(busy)

    people = []
    for practitioner in practitioners:
        dated = [
            availability.Change(on=day, hours=tuple(hours))
            for day, hours in changes[practitioner.pk].items()
        ]
        expiry = practitioner.registration_expires_on
        off = list(leave[practitioner.pk])
        if expiry is not None and expiry < last:
            # Not credentialed after the registration's expiry: no slot then.
            off.append(
                availability.Off(
                    interval=availability.Interval(local_midnight(expiry + timedelta(days=1)), end),
                    reason="credential",
                )
            )
        people.append(
            slots.Resource(
                id=practitioner.pk,
                name=practitioner_name(practitioner),
                availability=availability.resolve(
                    weekly=weekly[practitioner.pk],
                    breaks=[*breaks.get(None, ()), *breaks.get(practitioner.pk, ())],
                    changes=dated,
                    leave=off,
                    closures=closures,
                    first=first,
                    last=last,
                    tz=zone,
                ),
                busy=tuple(busy_by_practitioner[practitioner.pk]),
            )
        )
    rooms = []
    for room in Room.objects.filter(pk__in=room_ids).order_by("name", "id"):
        rooms.append(
            slots.Resource(
                id=room.pk, name=room.name, availability=clinic, busy=tuple(busy_by_room[room.pk])
            )
        )
    return Book(
        clinic=clinic,
        practitioners=tuple(people),
        rooms=tuple(rooms),
        patient_busy=tuple(patient_busy),
        window=window,
    )


def active_room_ids(clinic_id: int) -> list[int]:
    return list(
        Room.objects.filter(clinic_id=clinic_id, is_active=True)
        .order_by("name", "id")
        .values_list("pk", flat=True)
    )
