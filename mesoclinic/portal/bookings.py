"""What the portal's bookings pages read: the patient's appointments at every clinic that keeps
a record of theirs, the free times they may move one to, and the courses whose next session
waits to be booked. Every row through `for_user` / `for_schedule` (the patient's branch of the
one scoping rule): nothing here filters by a patient id it was given.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from mesoclinic.appointments import facts, online, selectors, series
from mesoclinic.appointments.availability import Interval
from mesoclinic.appointments.models import ACTIVE, Appointment, Status
from mesoclinic.appointments.online_rules import Change, latest_change
from mesoclinic.audit.services import Interface
from mesoclinic.care.models import Course, TreatmentSession
from mesoclinic.care.services import booking
from mesoclinic.clinics import scoping

VIA = Interface.PORTAL

#: How many past appointments the page lists (the latest first).
PAST_SHOWN = 20
#: How many days of free times one page offers (the patient pages on for more): three days
#: of a twelve-hour clinic on a quarter-hour grid stay under TIMES_SHOWN, so no day is cut.
DAYS_SHOWN = 3
#: The most free times one page offers (the page stays far under 100 KB).
TIMES_SHOWN = 150


def _mine(user):
    return (
        Appointment.objects.for_user(user)
        .filter(patient__isnull=False)
        .select_related("clinic", "type", "practitioner__user")
    )


def upcoming(user, now: datetime):
    """Booked or checked-in appointments not yet over, soonest first (one query).
    Index: appointment_patient_idx (patient, starts_at)."""
    return list(
        _mine(user)
        .filter(status__in=(Status.BOOKED, Status.CHECKED_IN), ends_at__gt=now)
        .order_by("starts_at", "id")
    )


def past(user, now: datetime):
    """The rest (over, cancelled, missed), latest first, the last PAST_SHOWN (one query)."""
    return list(
        _mine(user)
        .exclude(Q(status__in=(Status.BOOKED, Status.CHECKED_IN)) & Q(ends_at__gt=now))
        .order_by("-starts_at", "-id")[:PAST_SHOWN]
    )


@dataclass(frozen=True)
class Row:
    """One appointment as the patient's list shows it, with what they may do to it now."""

    appointment: Appointment
    can_confirm: bool
    can_move: bool
    can_cancel: bool
    change_until: datetime | None  # until when they may move or cancel online

    @property
    def too_late(self) -> bool:
        """Booked and ahead, but inside the clinic's notice: the desk decides now."""
        return (
            self.appointment.status == Status.BOOKED
            and not self.can_move
            and self.appointment.starts_at > timezone.now()
        )


def rows(appointments, now: datetime) -> list[Row]:
    return [
        Row(
            appointment=a,
            can_confirm=online.allowed(a, Change.CONFIRM, now=now),
            can_move=online.allowed(a, Change.MOVE, now=now),
            can_cancel=online.allowed(a, Change.CANCEL, now=now),
            change_until=latest_change(a.starts_at, a.clinic.portal_change_hours)
            if a.status == Status.BOOKED
            else None,
        )
        for a in appointments
    ]


def my_appointment(user, pk) -> Appointment:
    """One of the patient's appointments, or the audited 404 (another patient's id looks
    like a missing one)."""
    return selectors.get_appointment_for_user(user, pk, via=VIA)


def courses_to_book(user, now: datetime) -> list[Course]:
    """The patient's active courses with a session still to give and nothing booked ahead
    (one query). Index: course_patient_idx; the booked check uses the series' course key."""
    charted = (
        TreatmentSession.objects.filter(course=OuterRef("pk"))
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    booked = Appointment.objects.filter(
        series__course_id=OuterRef("pk"), status__in=ACTIVE, starts_at__gte=now
    )
    found = (
        Course.objects.for_schedule(user)
        .filter(status=Course.Status.ACTIVE)
        .annotate(charted=Coalesce(Subquery(charted), 0), has_booked=Exists(booked))
        .filter(has_booked=False)
        .select_related("clinic")
        .order_by("pk")
    )
    return [course for course in found if course.charted < course.sessions_planned]


def my_course(user, pk) -> Course:
    """One of the patient's courses as the schedule sees it, or the audited 404."""
    found = (
        Course.objects.for_schedule(user)
        .select_related("clinic", "patient", "protocol_version")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise scoping.denied(user, Course, pk, via=VIA)
    return found


def first_day(wanted: date | None, earliest: datetime) -> date:
    """The first day a page of free times shows: the one asked for, never before the first
    day the clinic's notice allows."""
    floor = timezone.localtime(earliest).date()
    return max(wanted or floor, floor)


def by_day(slots) -> list[tuple[date, list]]:
    days: dict[date, list] = {}
    for slot in slots:
        days.setdefault(timezone.localtime(slot.start).date(), []).append(slot)
    return list(days.items())


def _search(appointment_type, first: date, last: date, *, practitioner, patient_id):
    try:
        return selectors.find_slots(
            appointment_type=appointment_type,
            first=first,
            last=last,
            practitioner=practitioner,
            patient_id=patient_id,
            one_per_start=True,
        )
    except ValidationError:
        return []  # beyond the book's reach: nothing to offer


def times_to_move(appointment: Appointment, first: date, *, now: datetime) -> list:
    """Free times for the same type with the same practitioner over DAYS_SHOWN days from
    `first`, inside the clinic's notice, and for a course's visit only those that keep the
    course's intervals and windows (the same rule the move checks: `series.gap_problems`)."""
    earliest = now + timedelta(hours=appointment.clinic.portal_change_hours)
    found = _search(
        appointment.type,
        first,
        first + timedelta(days=DAYS_SHOWN - 1),
        practitioner=appointment.practitioner,
        patient_id=appointment.patient_id,
    )
    found = [s for s in found if s.start >= earliest and s.start != appointment.starts_at]
    if appointment.series_id is not None:
        course_rows = selectors.series_rows(appointment.series_id)
        index = next((i for i, row in enumerate(course_rows) if row.pk == appointment.pk), None)
        if index is not None:
            zone = facts.local_zone()

            def keeps(slot):
                steps = [
                    selectors.step_of(row, slot.start if i == index else None)
                    for i, row in enumerate(course_rows)
                ]
                return not any(
                    p.index in (index, index + 1) for p in series.gap_problems(steps, zone)
                )

            found = [s for s in found if keeps(s)]
    return found[:TIMES_SHOWN]


def next_session(course: Course, first: date, *, now: datetime):
    """The next session's window and its free times over DAYS_SHOWN days from `first` (any
    practitioner who may take a session), inside the clinic's notice."""
    window: Interval = booking.next_session_window(course)
    session = selectors.type_of(course.clinic_id, "session")
    earliest = now + timedelta(hours=course.clinic.portal_change_hours)
    opens = timezone.localtime(window.start).date()
    closes = timezone.localtime(window.end - timedelta(microseconds=1)).date()
    first = max(first, opens)
    last = min(first + timedelta(days=DAYS_SHOWN - 1), closes)
    found = []
    if session is not None and first <= last:
        found = _search(session, first, last, practitioner=None, patient_id=course.patient_id)
    found = [s for s in found if window.start <= s.start < window.end and s.start >= earliest]
    return window, found[:TIMES_SHOWN], first
