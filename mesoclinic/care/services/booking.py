"""Booking a course's appointments in one action: the patch-test reading inside its window,
every session still to come within the protocol's interval range after the previous one, and
the maintenance visit within the protocol's maintenance range after the last session.

Care builds the occurrences (it knows the plan and the protocol); appointments checks and
books them all or none (`appointments.series_booking`), knowing the course only by its id. A
receptionist books here without reading the plan: what they are shown is the dates and the
patient.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.appointments import selectors as appointment_selectors
from mesoclinic.appointments.availability import Interval
from mesoclinic.appointments.facts import REACH, local_midnight, local_zone
from mesoclinic.appointments.models import ACTIVE, Appointment, Series
from mesoclinic.appointments.series import Gap
from mesoclinic.appointments.series_booking import Occurrence, book_series
from mesoclinic.appointments.services import BookingRefused, Refusal
from mesoclinic.care.models import Course, PatchTest


def _refuse(code: str, message: str):
    return BookingRefused([Refusal(code, "clinic", message)])


def booked_appointments(course: Course):
    """The course's appointments still to come that hold their time (booked through a
    series that names the course)."""
    return Appointment.objects.filter(
        series__course_id=course.pk, status__in=ACTIVE, starts_at__gte=timezone.now()
    ).order_by("starts_at", "id")


def _pending_read_window(course: Course, before: datetime) -> Interval | None:
    """The read window of the patient's latest unread patch test at the course's clinic, cut
    at the first session; None when there is none or it has closed."""
    test = (
        PatchTest.objects.filter(
            patient_id=course.patient_id,
            clinic_id=course.clinic_id,
            result=PatchTest.Result.PENDING,
        )
        .order_by("-applied_at", "-id")
        .first()
    )
    if test is None:
        return None
    opens = test.applied_at + timedelta(hours=test.window_opens_hours)
    closes = min(test.applied_at + timedelta(hours=test.window_closes_hours), before)
    if closes <= max(opens, timezone.now()):
        return None
    return Interval(opens, closes)


def _read_start(course: Course, window: Interval) -> datetime:
    """The first free reading time inside the window (its opening when none is free: the
    refusal then says why)."""
    read_type = appointment_selectors.type_of(course.clinic_id, "patch_read")
    zone = local_zone()
    if read_type is not None:
        first = max(window.start.astimezone(zone).date(), timezone.localdate())
        last = window.end.astimezone(zone).date()
        if first <= last and (last - first).days < appointment_selectors.MAX_SEARCH_DAYS:
            for slot in appointment_selectors.find_slots(
                appointment_type=read_type,
                first=first,
                last=last,
                patient_id=course.patient_id,
                one_per_start=True,
            ):
                if window.start <= slot.start < window.end:
                    return slot.start
    return max(window.start, timezone.now())


def _window_after_last_session(course: Course, interval: Gap) -> Interval:
    """When the next session may fall: the protocol's interval counted in Karachi days from
    the day the last session was charted (one query)."""
    last = course.sessions.order_by("-started_at").values_list("started_at", flat=True).first()
    last_day = timezone.localtime(last, local_zone()).date()
    return Interval(
        local_midnight(last_day + timedelta(days=interval.min_days)),
        local_midnight(last_day + timedelta(days=interval.max_days + 1)),
    )


def next_session_window(course: Course) -> Interval:
    """When the course's next session may fall, in Karachi days: the protocol's interval after
    the last session charted, or the week from the first session's target date when none is
    charted yet (the portal offers a patient the free times inside it; `book_course` checks
    them again). Reads `course.protocol_version` (select it)."""
    version = course.protocol_version
    if course.sessions.exists():
        return _window_after_last_session(
            course, Gap(version.interval_days_min, version.interval_days_max)
        )
    first = date.fromisoformat(course.session_dates[0])
    return Interval(local_midnight(first), local_midnight(first + timedelta(days=7)))


def _at(day: date, like: datetime) -> datetime:
    local = timezone.localtime(like, local_zone())
    return datetime.combine(day, local.time().replace(second=0, microsecond=0), tzinfo=local_zone())


def occurrences_for(
    course: Course, first_start: datetime, practitioner=None, starts: dict | None = None
) -> list[Occurrence]:
    """What booking the course from `first_start` proposes: the reading (if a patch test
    waits to be read), each session still to come on its target date moved with the first (at
    the first's time of day), and the maintenance visit; `starts` replaces the start of the
    occurrence at that index (an alternative the user picked)."""
    if timezone.is_naive(first_start):
        raise _refuse("invalid", _("Give the time with its time zone."))
    if abs(first_start - timezone.now()) > REACH:
        raise _refuse("reach", _("Book within two years of today."))
    version = course.protocol_version
    charted = course.sessions.count()
    targets = [date.fromisoformat(day) for day in course.session_dates]
    if charted >= len(targets):
        raise _refuse("course", _("Every session of this course has been charted."))
    shift = timezone.localtime(first_start, local_zone()).date() - targets[charted]
    total = course.sessions_planned
    found = []
    window = _pending_read_window(course, first_start)
    if window is not None:
        found.append(
            Occurrence(
                "patch_read", _read_start(course, window), _("Patch-test reading"), window=window
            )
        )
    interval = Gap(version.interval_days_min, version.interval_days_max)
    after_charted = _window_after_last_session(course, interval) if charted else None
    for number in range(charted + 1, total + 1):
        day = targets[number - 1] + shift
        found.append(
            Occurrence(
                "session",
                _at(day, first_start),
                _("Session %(number)d of %(total)d") % {"number": number, "total": total},
                practitioner=practitioner,
                gap=interval if number > charted + 1 else None,
                # The first session booked keeps the interval from the last one charted.
                window=after_charted if number == charted + 1 else None,
            )
        )
    maintenance = None
    if version.maintenance_days_min is not None and version.maintenance_days_max is not None:
        maintenance = Gap(version.maintenance_days_min, version.maintenance_days_max)
    found.append(
        Occurrence(
            "session",
            _at(course.maintenance_due + shift, first_start),
            _("Maintenance"),
            practitioner=practitioner,
            gap=maintenance,
        )
    )
    for index, start in (starts or {}).items():
        if 0 <= index < len(found) and start is not None:
            found[index] = Occurrence(**{**found[index].__dict__, "start": start})
    return found


def book_course(
    *,
    acting_user,
    course: Course,
    first_start: datetime,
    practitioner=None,
    via: str,
    starts: dict | None = None,
) -> Series:
    """Book the whole course from `first_start` or nothing: `BookingRefused` names every
    occurrence that does not fit, with its nearest free alternatives."""
    if not Course.objects.for_schedule(acting_user).filter(pk=course.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        # Under the course's lock: two receptionists booking the same course queue here, and
        # the second finds it booked.
        course = (
            Course.objects.select_for_update(of=("self",))
            .select_related("protocol_version", "patient", "clinic")
            .get(pk=course.pk)
        )
        if course.status != Course.Status.ACTIVE:
            raise _refuse("course", _("Only an active course can be booked."))
        if booked_appointments(course).exists():
            raise _refuse(
                "booked", _("This course is already booked: move or cancel its appointments.")
            )
        occurrences = occurrences_for(course, first_start, practitioner, starts)
        return book_series(
            acting_user=acting_user,
            clinic=course.clinic,
            patient=course.patient,
            occurrences=occurrences,
            course_id=course.pk,
            via=via,
        )
