"""Shared set-up for the appointment tests (public, so other apps' tests use it too): a clinic
open every day 09:00–17:00 with one room, its practitioners working those hours, and a local
date a week ahead to book on."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from mesoclinic.appointments.facts import local_zone
from mesoclinic.appointments.models import AppointmentType, WorkingHours
from mesoclinic.clinics.models import OpeningHours, Room

OPENS = time(9, 0)
CLOSES = time(17, 0)


def open_every_day(clinic, practitioners=(), *, opens=OPENS, closes=CLOSES, rooms=("Room 1",)):
    """The clinic open and each practitioner working every day from `opens` to `closes`."""
    for weekday in range(7):
        OpeningHours.objects.get_or_create(
            clinic=clinic, weekday=weekday, opens=opens, defaults={"closes": closes}
        )
        for practitioner in practitioners:
            WorkingHours.objects.get_or_create(
                clinic=clinic,
                practitioner=practitioner,
                weekday=weekday,
                starts=opens,
                defaults={"ends": closes},
            )
    return [Room.objects.get_or_create(clinic=clinic, name=name)[0] for name in rooms]


def day_ahead(days: int = 7) -> date:
    return timezone.localdate() + timedelta(days=days)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Karachi wall-clock time on `day`, as an aware datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=local_zone())


def come_the_day(appointment):
    """The days pass until `appointment` (booked ahead) is today, at the same time: for tests
    of what may happen only on its day (checking in, completing). Its row is moved, not the
    clock; returns it read again."""
    from django.db.models import F

    from mesoclinic.appointments.models import Appointment

    shift = timedelta(
        days=(timezone.localtime(appointment.starts_at).date() - timezone.localdate()).days
    )
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=F("starts_at") - shift,
        ends_at=F("ends_at") - shift,
        blocked_from=F("blocked_from") - shift,
        blocked_until=F("blocked_until") - shift,
        updated_at=timezone.now(),
    )
    appointment.refresh_from_db()
    return appointment


def type_at(clinic, code: str) -> AppointmentType:
    return AppointmentType.objects.get(clinic=clinic, code=code)


@dataclass
class Ready:
    clinic: object
    doctor: object  # a credentialed dermatologist
    room: object
    patient: object
    day: date

    def type(self, code: str) -> AppointmentType:
        return type_at(self.clinic, code)
