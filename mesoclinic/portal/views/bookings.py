"""Bookings: the patient's appointments at every clinic that keeps a record of theirs (upcoming
first, then past), and what they may do to one within the clinic's rules: confirm it, move it
to another free time, cancel it, and book a course's next session.

Plain forms, no script: every action is a POST that redirects to the list with a message; a
refusal (the clinic's notice, a time taken meanwhile, a course's interval) shows the page again
with every reason and the choices, nothing lost. Writes go through the appointments app's
patient doors (`appointments.online`) and care's course booking, as the patient, via the
portal; reads through `for_user`, so another patient's id is an audited 404.
"""

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from mesoclinic.appointments import online
from mesoclinic.appointments.forms import LOCAL_MINUTE
from mesoclinic.appointments.models import Appointment
from mesoclinic.care.services import booking
from mesoclinic.portal import bookings
from mesoclinic.portal.views.common import VIA, PatientView, audit_list, audit_view


class TimeForm(forms.Form):
    """The free time chosen (a Karachi wall-clock minute, as the buttons show it)."""

    start = forms.DateTimeField(input_formats=[LOCAL_MINUTE])


class CancelForm(forms.Form):
    note = forms.CharField(max_length=150, required=False, strip=True)


def _from(request) -> date | None:
    """The first day asked for (`?from=`), or None for a missing or impossible one."""
    try:
        return parse_date(request.GET.get("from", "") or request.POST.get("from", ""))
    except ValueError:
        return None


def _days_nav(first: date) -> dict:
    return {
        "first": first,
        "last": first + timedelta(days=bookings.DAYS_SHOWN - 1),
        "later": first + timedelta(days=bookings.DAYS_SHOWN),
        "earlier": first - timedelta(days=bookings.DAYS_SHOWN),
    }


class BookingsView(PatientView):
    def get(self, request):
        now = timezone.now()
        ahead = bookings.upcoming(request.user, now)
        done = bookings.past(request.user, now)
        courses = bookings.courses_to_book(request.user, now)
        audit_list(request.user, Appointment, count=len(ahead) + len(done))
        context = {
            "nav": "bookings",
            "upcoming": bookings.rows(ahead, now),
            "past": done,
            "courses": courses,
        }
        return render(request, "portal/bookings.html", context)


class ConfirmView(PatientView):
    def post(self, request, pk):
        appointment = bookings.my_appointment(request.user, pk)
        try:
            online.confirm(acting_user=request.user, appointment=appointment, via=VIA)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: the clinic knows you will come."))
        return redirect("portal:bookings")


class MoveView(PatientView):
    """The appointment's free times with the same practitioner, a few days at a time (the
    patient pages on for more), each a button; one press moves it."""

    def _page(self, request, appointment, *, first=None, error="", status=200):
        now = timezone.now()
        earliest = now + timedelta(hours=appointment.clinic.portal_change_hours)
        first = bookings.first_day(first or _from(request), earliest)
        found = bookings.times_to_move(appointment, first, now=now)
        context = {
            "nav": "bookings",
            "appointment": appointment,
            "days": bookings.by_day(found),
            "error": error,
            "earliest": earliest,
            **_days_nav(first),
            "has_earlier": first > timezone.localtime(earliest).date(),
            "has_later": True,
        }
        return render(request, "portal/booking_move.html", context, status=status)

    def get(self, request, pk):
        appointment = bookings.my_appointment(request.user, pk)
        audit_view(request.user, appointment)
        return self._page(request, appointment)

    def post(self, request, pk):
        appointment = bookings.my_appointment(request.user, pk)
        form = TimeForm(request.POST)
        if not form.is_valid():
            return self._page(
                request, appointment, error=_("Choose one of the free times."), status=400
            )
        try:
            online.move(
                acting_user=request.user,
                appointment=appointment,
                start=form.cleaned_data["start"],
                via=VIA,
            )
        except ValidationError as exc:
            appointment.refresh_from_db()
            return self._page(request, appointment, error=" ".join(exc.messages), status=409)
        messages.success(
            request,
            _("Moved. Your new time: %(when)s.") % {"when": _when(appointment.starts_at)},
        )
        return redirect("portal:bookings")


class CancelView(PatientView):
    """Asks once more (a phone is easy to mis-tap), with room for a note to the clinic."""

    def _page(self, request, appointment, form, *, error="", status=200):
        context = {"nav": "bookings", "appointment": appointment, "form": form, "error": error}
        return render(request, "portal/booking_cancel.html", context, status=status)

    def get(self, request, pk):
        appointment = bookings.my_appointment(request.user, pk)
        audit_view(request.user, appointment)
        return self._page(request, appointment, CancelForm())

    def post(self, request, pk):
        appointment = bookings.my_appointment(request.user, pk)
        form = CancelForm(request.POST)
        if not form.is_valid():
            return self._page(
                request, appointment, form, error=_("Keep the note short."), status=400
            )
        try:
            online.cancel(
                acting_user=request.user,
                appointment=appointment,
                note=form.cleaned_data["note"],
                via=VIA,
            )
        except ValidationError as exc:
            appointment.refresh_from_db()
            return self._page(request, appointment, form, error=" ".join(exc.messages), status=409)
        messages.success(request, _("Cancelled. The clinic has been told."))
        return redirect("portal:bookings")


class NextSessionView(PatientView):
    """A course's next session: the free times inside its window (the protocol's interval
    after the last session), a few days at a time; one press books it through care's course
    booking, which books the course's later visits on the plan's dates with it."""

    def _page(self, request, course, *, first=None, error="", status=200):
        now = timezone.now()
        earliest = now + timedelta(hours=course.clinic.portal_change_hours)
        first = bookings.first_day(first or _from(request), earliest)
        window, found, first = bookings.next_session(course, first, now=now)
        context = {
            "nav": "bookings",
            "course": course,
            "number": course.sessions.count() + 1,
            "window_opens": window.start,
            "window_closes": window.end - timedelta(minutes=1),
            "days": bookings.by_day(found),
            "error": error,
            **_days_nav(first),
            "has_earlier": first
            > max(timezone.localtime(earliest).date(), timezone.localtime(window.start).date()),
            "has_later": first + timedelta(days=bookings.DAYS_SHOWN)
            < timezone.localtime(window.end).date(),
        }
        return render(request, "portal/booking_next.html", context, status=status)

    def get(self, request, pk):
        course = bookings.my_course(request.user, pk)
        audit_view(request.user, course)
        return self._page(request, course)

    def post(self, request, pk):
        course = bookings.my_course(request.user, pk)
        form = TimeForm(request.POST)
        if not form.is_valid():
            return self._page(request, course, error=_("Choose one of the free times."), status=400)
        start = form.cleaned_data["start"]
        window = booking.next_session_window(course)
        if not window.start <= start < window.end:
            # Only the times offered: the plan's window (care checks it again once a session
            # is charted; before that, the first session would move the whole plan).
            return self._page(
                request,
                course,
                error=_("It must start between %(opens)s and %(closes)s.")
                % {"opens": _when(window.start), "closes": _when(window.end)},
                status=409,
            )
        try:
            online.refuse_too_soon(clinic=course.clinic, start=start)
            booking.book_course(acting_user=request.user, course=course, first_start=start, via=VIA)
        except ValidationError as exc:
            return self._page(request, course, error=" ".join(exc.messages), status=409)
        messages.success(
            request,
            _("Booked: %(when)s. The course's later visits are booked on the plan's dates.")
            % {"when": _when(start)},
        )
        return redirect("portal:bookings")


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "l j F Y, H:i")
