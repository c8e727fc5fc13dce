"""The demo chain's appointment book for `seed_demo`: each practitioner's working hours at their
clinic, the Friday prayer break, the clinic's next Eid closure, one practitioner's leave, and a
week of appointments from today (consultations, patch-test readings, sessions, follow-ups).

Appointments are booked through `appointments.services.book` on times the slot search offers,
as a receptionist would, so the audit trail and the reminders are written as in life and no
two of them overlap. Every choice comes from the seeded random generator: a second run, which
finds the book already filled, adds nothing.
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from mesoclinic.appointments import selectors, services
from mesoclinic.appointments.facts import local_zone
from mesoclinic.appointments.models import (
    Appointment,
    Break,
    Closure,
    Leave,
    Series,
    WorkingHours,
)
from mesoclinic.audit.services import Interface
from mesoclinic.care.models import Course
from mesoclinic.care.services.booking import book_course
from mesoclinic.clinics.models import OpeningHours, Practitioner, Room

VIA = Interface.CLI
DAYS = 7
#: What each clinic books on each day of the demo week, in order (codes of appointment types).
DAILY = ("consultation", "session", "patch_read", "follow_up", "session")
#: Eid al-Fitr in Pakistan (first day, as announced; the clinic enters it every year).
EID_AL_FITR = (
    date(2026, 3, 21),
    date(2027, 3, 10),
    date(2028, 2, 27),
    date(2029, 2, 15),
    date(2030, 2, 5),
)
#: Jumu'ah on Fridays: the clinics open after it, and the break keeps a changed day clear too.
JUMUAH = (time(12, 30), time(14, 30))
#: The demo practitioner on leave for two days of the demo week.
ON_LEAVE = "nurse.rwp"
#: Free times tried per booking before the demo gives that one up.
ATTEMPTS = 5


def seed(*, clinics, rng) -> None:
    """Hours, breaks, a closure and leave for every demo clinic, then a week of bookings at
    each clinic that has none yet."""
    today = timezone.localdate()
    for clinic in clinics:
        practitioners = list(
            Practitioner.objects.filter(user__memberships__clinic=clinic).select_related("user")
        )
        _availability(clinic, practitioners, today)
    for clinic in clinics:
        if Appointment.objects.filter(clinic=clinic).exists():
            continue  # booked already
        _week(clinic, rng, today)


def _availability(clinic, practitioners, today) -> None:
    if not WorkingHours.objects.filter(clinic=clinic).exists():
        hours = list(OpeningHours.objects.filter(clinic=clinic))
        # Each practitioner works the clinic's opening hours (one insert for the clinic).
        WorkingHours.objects.bulk_create(
            WorkingHours(
                clinic=clinic,
                practitioner=practitioner,
                weekday=row.weekday,
                starts=row.opens,
                ends=row.closes,
            )
            for practitioner in practitioners
            for row in hours
        )
    Break.objects.get_or_create(
        clinic=clinic,
        practitioner=None,
        weekday=4,
        starts=JUMUAH[0],
        defaults={"ends": JUMUAH[1], "label": "Jumu'ah prayers"},
    )
    eid = next((day for day in EID_AL_FITR if day > today), None)
    if eid is not None:
        Closure.objects.get_or_create(
            clinic=clinic,
            first=eid,
            defaults={"last": eid + timedelta(days=2), "label": "Eid al-Fitr"},
        )
    for practitioner in practitioners:
        if (
            practitioner.user.username != ON_LEAVE
            or Leave.objects.filter(practitioner=practitioner).exists()
        ):
            continue
        zone = local_zone()
        Leave.objects.create(
            practitioner=practitioner,
            starts_at=datetime.combine(today + timedelta(days=3), time.min, tzinfo=zone),
            ends_at=datetime.combine(today + timedelta(days=5), time.min, tzinfo=zone),
            reason="Annual leave (demo)",
        )


def _week(clinic, rng, today) -> None:
    """Book DAILY at `clinic` on each of the next DAYS days, for its patients in turn, each at
    a free time the slot search offers (drawn at random), with whoever it names."""
    reception = get_user_model().objects.filter(
        memberships__clinic=clinic, username__startswith="reception."
    )
    reception = reception.first()
    patients = list(clinic.patients.order_by("id"))
    if reception is None or not patients:
        return
    people = {p.pk: p for p in Practitioner.objects.select_related("user")}
    rooms = {r.pk: r for r in Room.objects.filter(clinic=clinic)}
    last = today + timedelta(days=DAYS - 1)
    types = {code: selectors.type_of(clinic.pk, code) for code in sorted(set(DAILY))}
    # One search per type for the whole week; a time taken since by an earlier booking of
    # this loop (or the patient's own) is refused by `book`, and another is drawn.
    free = {
        code: _by_day(selectors.find_slots(appointment_type=types[code], first=today, last=last))
        for code in types
    }
    turn = 0
    for offset in range(DAYS):
        day = today + timedelta(days=offset)
        for code in DAILY:
            patient = patients[turn % len(patients)]
            turn += 1
            choices = list(free[code].get(day, ()))
            rng.shuffle(choices)
            for slot in choices[:ATTEMPTS]:
                try:
                    services.book(
                        acting_user=reception,
                        clinic=clinic,
                        appointment_type=types[code],
                        start=slot.start,
                        patient=patient,
                        practitioner=people.get(slot.practitioner),
                        room=rooms.get(slot.room),
                        via=VIA,
                    )
                except services.BookingRefused:
                    continue
                break


def _by_day(free) -> dict:
    days: dict[date, list] = {}
    for slot in free:
        days.setdefault(timezone.localtime(slot.start).date(), []).append(slot)
    return days


def book_demo_course(*, clinic) -> None:
    """The clinic's ready course (`demo_care`: screened, patch-tested, consented, session one
    charted today) booked end to end in one action by its receptionist: the rest of its
    sessions and its maintenance visit, from the first free session time on or after the next
    session's target date."""
    course = Course.objects.filter(clinic=clinic).order_by("id").first()
    reception = get_user_model().objects.filter(
        memberships__clinic=clinic, username__startswith="reception."
    )
    reception = reception.first()
    if course is None or reception is None or Series.objects.filter(course_id=course.pk).exists():
        return  # nothing ready, or booked already
    # From the next session's target date (the plan's interval after the session charted today).
    charted = course.sessions.count()
    upcoming = course.session_dates[charted:] or course.session_dates[-1:]
    first = max(date.fromisoformat(upcoming[0]), timezone.localdate() + timedelta(days=1))
    free = selectors.find_slots(
        appointment_type=selectors.type_of(clinic.pk, "session"),
        first=first,
        last=first + timedelta(days=6),
        patient_id=course.patient_id,
        one_per_start=True,
    )
    # The first day whose whole course fits (the maintenance visit must not fall on a day the
    # clinic is closed): one free time per day tried, as a receptionist would.
    tried = set()
    for slot in free:
        day = timezone.localtime(slot.start).date()
        if day in tried:
            continue
        tried.add(day)
        try:
            book_course(acting_user=reception, course=course, first_start=slot.start, via=VIA)
        except services.BookingRefused:
            continue
        return
