"""Book the whole course: the page receptionists and practitioners reach from the worklist and
the plan. It shows every proposed date, books them all or none, and on a refusal shows each
failing date with its nearest free alternatives, each one a button that puts it in place.

Receptionists reach it through the schedule (`Course.objects.for_schedule`): they see the
patient and the dates, never the plan's clinical content.
"""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.views import View

from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.appointments import facts
from mesoclinic.appointments import selectors as appointment_selectors
from mesoclinic.appointments.series_booking import named
from mesoclinic.appointments.services import BookingRefused
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care.models import Course
from mesoclinic.care.services import booking
from mesoclinic.care.views.common import no_store
from mesoclinic.clinics import scoping
from mesoclinic.core.text import is_database_id

#: The time of day a course is proposed at until someone picks another.
DEFAULT_TIME = time(11, 0)


def course_for_schedule(user, pk) -> Course:
    """The course as the schedule sees it, its read audited (the page names the patient and
    the plan's dates), or the audited 404."""
    found = (
        Course.objects.for_schedule(user)
        .select_related("patient", "clinic", "protocol_version")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise scoping.denied(user, Course, pk, via=Interface.WEB)
    record_event(
        actor=user, action=Action.VIEW, via=Interface.WEB, instance=found, clinic_id=found.clinic_id
    )
    return found


def _parsed(parse, value):
    """A typed date or time, or None when it is missing or impossible (never a 500)."""
    try:
        return parse(value or "")
    except ValueError:
        return None


def _first_start(data, course) -> datetime:
    """The first session's start typed on the form (a date and a time), or the next target
    date at 11:00 (tomorrow when that has passed)."""
    day = _parsed(parse_date, data.get("date"))
    at = _parsed(parse_time, data.get("time"))
    if day is None:
        charted = course.sessions.count()
        targets = course.session_dates[charted:] or course.session_dates[-1:]
        day = max(parse_date(targets[0]), timezone.localdate() + timedelta(days=1))
    return datetime.combine(day, at or DEFAULT_TIME, tzinfo=facts.local_zone())


def _starts(data) -> dict[int, datetime]:
    """The starts already chosen for single occurrences (hidden `start_<index>` fields), and
    the alternative just picked (`pick` = "<index>|<ISO start>")."""
    chosen = {}
    for key, value in data.items():
        if key.startswith("start_") and key[6:].isascii() and key[6:].isdigit():
            parsed = parse_datetime(value)
            if parsed is not None and timezone.is_aware(parsed):
                chosen[int(key[6:])] = parsed
    index, _sep, start = (data.get("pick") or "").partition("|")
    parsed = parse_datetime(start)
    if index.isascii() and index.isdigit() and parsed is not None and timezone.is_aware(parsed):
        chosen[int(index)] = parsed
    return chosen


class CourseBookingView(StaffRequiredMixin, View):
    """GET shows the proposal; POST with `book` books it; POST with `pick` (an alternative)
    or `show` shows the proposal again with that change."""

    def has_access(self, user) -> bool:
        return scoping.reaches(user, scoping.Kind.SCHEDULE)

    def _practitioners(self, course, day):
        session = appointment_selectors.type_of(course.clinic_id, "session")
        if session is None:
            return []
        return list(facts.eligible_practitioners(session, on=day))

    def _render(self, request, course, data, *, refused=None, booked=None, status=200):
        first = _first_start(data, course)
        people = self._practitioners(course, first.date())
        wanted = data.get("practitioner", "")
        practitioner = next(
            (p for p in people if is_database_id(wanted) and p.pk == int(wanted)), None
        )
        # A new first date lays the course out afresh; a pick keeps the other choices.
        starts = {} if "show" in data else _starts(data)
        proposal, problem = [], ""
        if booked is None:
            try:
                proposal = booking.occurrences_for(course, first, practitioner, starts)
            except BookingRefused as exc:
                problem = " ".join(exc.messages)
        refused = refused or {}
        rows = []
        for index, occurrence in enumerate(proposal):
            name = named(occurrence.label, occurrence.start)
            rows.append(
                {
                    "index": index,
                    "occurrence": occurrence,
                    "refusal": refused.get(name),
                    "picked": index in starts,
                }
            )
        shown = {named(o.label, o.start) for o in proposal}
        context = {
            "course": course,
            "patient": course.patient,
            "clinical": scoping.reaches(request.user, scoping.Kind.CLINICAL),
            "first": first,
            "practitioners": people,
            "practitioner": practitioner,
            "rows": rows,
            "refused": bool(refused),
            "general": [m for key, e in refused.items() if key not in shown for m in e["messages"]],
            "problem": problem,
            "booked": booked,
        }
        return no_store(render(request, "care/course_booking.html", context, status=status))

    def get(self, request, pk):
        course = course_for_schedule(request.user, pk)
        booked = list(booking.booked_appointments(course).select_related("type"))
        return self._render(request, course, request.GET, booked=booked or None)

    def post(self, request, pk):
        course = course_for_schedule(request.user, pk)
        data = request.POST
        if "book" not in data:
            return self._render(request, course, data)
        first = _first_start(data, course)
        people = self._practitioners(course, first.date())
        wanted = data.get("practitioner", "")
        practitioner = next(
            (p for p in people if is_database_id(wanted) and p.pk == int(wanted)), None
        )
        try:
            series = booking.book_course(
                acting_user=request.user,
                course=course,
                first_start=first,
                practitioner=practitioner,
                starts=_starts(data),
                via=Interface.WEB,
            )
        except BookingRefused as exc:
            return self._render(request, course, data, refused=_by_occurrence(exc), status=409)
        except ValidationError as exc:  # a search the book refuses (too far ahead)
            messages.error(request, " ".join(exc.messages))
            return self._render(request, course, data, status=400)
        booked = list(series.appointments.select_related("type").order_by("starts_at"))
        return self._render(request, course, data, booked=booked)


def _by_occurrence(exc: BookingRefused) -> dict:
    """The refusal's reasons grouped by the occurrence they are about ("" for the course)."""
    grouped: dict[str, dict] = {}
    for refusal in exc.refusals:
        entry = grouped.setdefault(
            refusal.occurrence, {"messages": [], "alternatives": refusal.alternatives}
        )
        entry["messages"].append(refusal.message)
    return grouped


__all__ = ["CourseBookingView", "course_for_schedule"]
