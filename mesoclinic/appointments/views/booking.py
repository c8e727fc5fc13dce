"""Book an appointment: choose the patient (arriving from the patient's page with their id),
the type, a practitioner or anyone, and a day; the free slots come back as buttons (htmx swaps
them in; without scripts the same GET form reloads the page); one press books it through
`services.book`, whose refusals come back onto the form, every reason of them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.appointments import selectors, services
from mesoclinic.appointments.forms import BookForm, SlotSearchForm
from mesoclinic.appointments.views.common import (
    ScheduleMixin,
    clinic_for_user,
    practitioners_at,
)
from mesoclinic.audit.services import Interface
from mesoclinic.core.pages import submit
from mesoclinic.patients.selectors import get_patient_for_user

#: The most slot buttons a day shows (a quarter-hour grid over a long day stays under it).
SLOT_LIMIT = 60


def free_slots(form, *, patient_id=None):
    """The day's free starts for a valid search form (one per start), or [] and the reason on
    the form when the search itself is refused."""
    data = form.cleaned_data
    try:
        return selectors.find_slots(
            appointment_type=data["type"],
            first=data["date"],
            last=data["date"],
            practitioner=data.get("practitioner"),
            patient_id=patient_id,
            one_per_start=True,
            limit=SLOT_LIMIT,
        )
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return []


def _patient(request):
    wanted = request.POST.get("patient") or request.GET.get("patient")
    if not wanted:
        return None
    return get_patient_for_user(request.user, wanted, via=Interface.WEB)


class BookView(ScheduleMixin, View):
    def _page(self, request, clinic, patient, form, *, slots=(), status=200):
        data = getattr(form, "cleaned_data", {})
        keep = [
            ("patient", patient and patient.pk),
            ("type", data["type"].pk if data.get("type") else ""),
            ("practitioner", data["practitioner"].pk if data.get("practitioner") else ""),
            ("date", data["date"].isoformat() if data.get("date") else ""),
        ]
        context = {
            "clinic": clinic,
            "patient": patient,
            "form": form,
            "slots": slots,
            "keep": keep,
        }
        return render(request, "appointments/book.html", context, status=status)

    def get(self, request, clinic_slug):
        clinic = clinic_for_user(request.user, clinic_slug)
        patient = _patient(request)
        practitioners = practitioners_at(clinic.pk)
        searched = "type" in request.GET
        form = SlotSearchForm(
            request.GET if searched else None,
            clinic=clinic,
            practitioners=practitioners,
            initial={"date": timezone.localdate()},
        )
        found = []
        if searched and form.is_valid():
            found = free_slots(form, patient_id=patient and patient.pk)
        return self._page(request, clinic, patient, form, slots=found)

    def post(self, request, clinic_slug):
        clinic = clinic_for_user(request.user, clinic_slug)
        patient = _patient(request)
        form = BookForm(request.POST, clinic=clinic, practitioners=practitioners_at(clinic.pk))

        def book(data):
            return services.book(
                acting_user=request.user,
                clinic=clinic,
                appointment_type=data["type"],
                start=data["start"],
                patient=patient,
                practitioner=data["practitioner"],
                via=Interface.WEB,
            )

        appointment = None
        if patient is None:
            form.is_valid()
            form.add_error(None, _("Choose the patient."))
        else:
            appointment = submit(form, book)
        if appointment is None:
            searched = form.cleaned_data.get("type") and form.cleaned_data.get("date")
            found = free_slots(form, patient_id=patient and patient.pk) if searched else []
            return self._page(request, clinic, patient, form, slots=found, status=400)
        messages.success(request, _("Booked."))
        return redirect("appointments:detail", appointment.pk)
