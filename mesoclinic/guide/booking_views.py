"""Booking a consultation from the public clinic page, confirmed by a one-time code
(`appointments.visitors` does the work; these pages only read the input and show the outcome).

The clinic page lists free times day by day (`slot_context`); a time's link opens the booking
form; a valid form sends the code and leads to the confirm page, whose address carries the
request's random token. No JavaScript: plain links and forms. Pages that hold a name, a number
or a code are never cached.
"""

from datetime import date, datetime

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from mesoclinic.appointments import visitors
from mesoclinic.appointments.facts import local_zone
from mesoclinic.core import ratelimit
from mesoclinic.guide import selectors
from mesoclinic.guide.forms import BookingForm, CodeForm

START_FORMAT = "%Y-%m-%dT%H:%M"  # a slot's start in a link: Karachi wall clock


def public_clinic_or_404(slug):
    clinic = selectors.get_public_clinic(slug)
    if clinic is None:
        raise Http404("No such clinic")
    return clinic


def takes_requests(clinic) -> bool:
    """Only clinics with a practitioner whose PMDC or PNMC registration is verified take
    requests here: the guide tells visitors to choose such a clinic, so the finder must not
    offer others."""
    return bool(clinic.credentialed_memberships)


def start_param(moment: datetime) -> str:
    return timezone.localtime(moment).strftime(START_FORMAT)


def parse_start(value) -> datetime | None:
    """A start from a link or a form (Karachi wall clock), or None when it does not read."""
    try:
        naive = datetime.strptime(str(value or "")[:16], START_FORMAT)
    except ValueError:
        return None
    return naive.replace(tzinfo=local_zone())


def _parse_day(value) -> date | None:
    try:
        return date.fromisoformat(str(value or "")[:10])
    except ValueError:
        return None


def slot_context(request, clinic) -> dict:
    """The clinic page's free consultation times: the days that have some (each a link), the
    chosen day's times, and links to the day before and after."""
    appointment_type = visitors.consultation_type(clinic) if takes_requests(clinic) else None
    days = visitors.free_days(appointment_type) if appointment_type else {}
    if not days:
        return {"slot_days": [], "booking_open": appointment_type is not None}
    ordered = list(days)
    chosen = _parse_day(request.GET.get("day"))
    if chosen not in days:
        chosen = ordered[0]
    index = ordered.index(chosen)
    return {
        "booking_open": True,
        "slot_days": [(day, len(days[day]), day == chosen) for day in ordered],
        "day": chosen,
        "day_slots": [(slot.start, start_param(slot.start)) for slot in days[chosen]],
        "previous_day": ordered[index - 1] if index > 0 else None,
        "next_day": ordered[index + 1] if index + 1 < len(ordered) else None,
    }


def _language() -> str:
    return (translation.get_language() or "en")[:2]


@method_decorator(never_cache, name="dispatch")
class BookView(View):
    """The form for a chosen time: GET from a slot link, POST sends the code."""

    def _render(self, request, clinic, form, start, *, problem="", status=200):
        context = {"clinic": clinic, "form": form, "start": start, "problem": problem}
        return render(request, "guide/book.html", context, status=status)

    def _offered(self, clinic, start):
        appointment_type = visitors.consultation_type(clinic) if takes_requests(clinic) else None
        if start is None or appointment_type is None:
            return None
        return visitors.offered_slot(appointment_type, start)

    def get(self, request, slug):
        clinic = public_clinic_or_404(slug)
        start = parse_start(request.GET.get("start"))
        form = BookingForm(
            initial={"start": request.GET.get("start", "")[:16], "preferred_language": _language()}
        )
        if self._offered(clinic, start) is None:
            return self._render(request, clinic, None, None, problem=_unavailable(), status=400)
        return self._render(request, clinic, form, start)

    def post(self, request, slug):
        clinic = public_clinic_or_404(slug)
        form = BookingForm(request.POST)
        start = parse_start(request.POST.get("start"))
        if self._offered(clinic, start) is None:
            return self._render(request, clinic, None, None, problem=_unavailable(), status=400)
        if not form.is_valid():
            return self._render(request, clinic, form, start, status=400)
        if form.is_robot:
            return redirect("guide:clinic", slug=clinic.slug)
        data = form.cleaned_data
        try:
            booking = visitors.request_code(
                clinic=clinic,
                start=start,
                name=data["name"],
                mobile=data["mobile"],
                language=data["preferred_language"],
                # Behind the proxy REMOTE_ADDR is the proxy: count the visitor (core/addresses.py).
                client_address=ratelimit.client_address(request),
            )
        except visitors.RateLimited as refused:
            context = {"clinic": clinic, "message": refused.messages[0]}
            return render(request, "guide/too_many.html", context, status=429)
        except visitors.VisitorRefused as refused:
            return self._render(
                request, clinic, form, start, problem=refused.messages[0], status=400
            )
        return redirect("guide:book_confirm", slug=clinic.slug, token=booking.token)


def _unavailable() -> str:
    return _("That time is not free for a consultation any more. Choose another time.")


@method_decorator(never_cache, name="dispatch")
class ConfirmView(View):
    """Enter the code (POST "code"), or after a taken time pick another (POST "start")."""

    def _booking(self, clinic, token):
        booking = visitors.get_booking(token)
        if booking is None or booking.clinic_id != clinic.pk:
            raise Http404("No such booking request")
        return booking

    def _render(self, request, clinic, booking, *, form=None, outcome=None, status=200):
        alternatives = []
        if outcome is not None:
            alternatives = [(s.start, start_param(s.start)) for s in outcome.alternatives]
        elif visitors.may_repick(booking):
            alternatives = [
                (s.start, start_param(s.start))
                for s in visitors.nearest_slots(booking.type, booking.starts_at)
            ]
        context = {
            "clinic": clinic,
            "booking": booking,
            "form": form or CodeForm(),
            "outcome": outcome,
            "repick": visitors.may_repick(booking),
            "alternatives": alternatives,
            "expired": not visitors.may_repick(booking) and _spent(booking),
        }
        return render(request, "guide/book_confirm.html", context, status=status)

    def get(self, request, slug, token):
        clinic = public_clinic_or_404(slug)
        booking = self._booking(clinic, token)
        if booking.appointment_id:
            return redirect("guide:booked", slug=clinic.slug, token=booking.token)
        return self._render(request, clinic, booking)

    def post(self, request, slug, token):
        clinic = public_clinic_or_404(slug)
        booking = self._booking(clinic, token)
        if "start" in request.POST:
            start = parse_start(request.POST.get("start"))
            if start is None:
                return self._render(request, clinic, booking, status=400)
            outcome = visitors.repick(token=booking.token, start=start)
        else:
            form = CodeForm(request.POST)
            if not form.is_valid():
                return self._render(request, clinic, booking, form=form, status=400)
            outcome = visitors.confirm_code(token=booking.token, code=form.cleaned_data["code"])
        if outcome.status in ("booked", "used") and outcome.booking.appointment_id:
            return redirect("guide:booked", slug=clinic.slug, token=booking.token)
        booking.refresh_from_db()
        status = 409 if outcome.status == "taken" else 400
        return self._render(request, clinic, booking, outcome=outcome, status=status)


def _spent(booking) -> bool:
    """A code that can no longer be used: expired, tried too often, or already used."""
    return (
        booking.confirmed_at is not None
        or booking.attempts >= visitors.MAX_ATTEMPTS
        or timezone.now() >= booking.expires_at
    )


@method_decorator(never_cache, name="dispatch")
class BookedView(View):
    def get(self, request, slug, token):
        clinic = public_clinic_or_404(slug)
        booking = visitors.get_booking(token)
        if booking is None or booking.clinic_id != clinic.pk or not booking.appointment_id:
            raise Http404("No such booking")
        return render(request, "guide/booked.html", {"clinic": clinic, "booking": booking})
