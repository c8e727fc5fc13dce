"""One appointment: its details and what can be done to it (check in, no-show, complete,
cancel with a reason, move). Each action is a POST through one service; a refusal comes back
as a message naming every reason, never a 500.

Moving has two doors onto the same endpoint: the appointment page's form (a day, its free
slots as buttons: the keyboard's way), and a card dropped on the day view's grid, which posts
with `Accept: application/json` and gets the outcome as JSON to show beside the grid."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from mesoclinic.appointments import selectors, series_booking, services
from mesoclinic.appointments.forms import CancelForm, MoveForm, SlotSearchForm
from mesoclinic.appointments.views.booking import free_slots
from mesoclinic.appointments.views.common import (
    ScheduleMixin,
    card,
    practitioners_at,
    safe_next,
)
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.core.pages import refuse_with_messages

#: The status changes a button posts, by the URL's word: the service and what to say.
ACTIONS = {
    "check-in": (services.check_in, gettext_lazy("Checked in.")),
    "no-show": (services.mark_no_show, gettext_lazy("Marked as a no-show.")),
    "complete": (services.complete, gettext_lazy("Completed.")),
}


def _appointment(request, pk):
    return selectors.get_appointment_for_user(request.user, pk, via=Interface.WEB)


class AppointmentView(ScheduleMixin, View):
    """The details, the buttons, and the move form: a day's free slots for this appointment's
    type (with its practitioner unless another or anyone is chosen)."""

    def get(self, request, pk):
        appointment = _appointment(request, pk)
        # The page names the patient (or the visitor): a read of their record, audited.
        record_event(
            actor=request.user, action=Action.VIEW, via=Interface.WEB, instance=appointment
        )
        practitioners = practitioners_at(appointment.clinic_id)
        searched = "date" in request.GET
        form = SlotSearchForm(
            request.GET if searched else None,
            clinic=appointment.clinic,
            practitioners=practitioners,
            initial={
                "type": appointment.type_id,
                "practitioner": appointment.practitioner_id,
                "date": timezone.localtime(appointment.starts_at).date(),
            },
        )
        form.fields["type"].widget = form.fields["type"].hidden_widget()
        found = []
        keep = []
        if searched and form.is_valid():
            found = free_slots(form, patient_id=appointment.patient_id)
            chosen = form.cleaned_data["practitioner"]
            keep = [("practitioner", chosen.pk if chosen else "")]
        context = {
            "appointment": appointment,
            "card": card(appointment),
            "form": form,
            "slots": found,
            "searched": searched,
            "keep": keep,
            "cancel_form": CancelForm(),
            "day": timezone.localtime(appointment.starts_at).date(),
            # Buttons the service would refuse are not offered (it refuses them anyway).
            "is_today": timezone.localtime(appointment.starts_at).date() == timezone.localdate(),
            "day_has_come": timezone.localtime(appointment.starts_at).date()
            <= timezone.localdate(),
            "has_started": appointment.starts_at <= timezone.now(),
        }
        return render(request, "appointments/appointment.html", context)


class StatusView(ScheduleMixin, View):
    """Check in, mark a no-show, complete."""

    def post(self, request, pk, action):
        if action not in ACTIONS:
            raise Http404("No such action.")
        appointment = _appointment(request, pk)
        service, done = ACTIONS[action]
        try:
            service(acting_user=request.user, appointment=appointment, via=Interface.WEB)
        except ValidationError as exc:
            refuse_with_messages(request, exc)
        else:
            messages.success(request, done)
        return redirect(safe_next(request, reverse("appointments:detail", args=[pk])))


class CancelView(ScheduleMixin, View):
    def post(self, request, pk):
        appointment = _appointment(request, pk)
        try:
            services.cancel(
                acting_user=request.user,
                appointment=appointment,
                reason=request.POST.get("reason", ""),
                via=Interface.WEB,
            )
        except ValidationError as exc:
            refuse_with_messages(request, exc)
        else:
            messages.success(request, _("Cancelled."))
        return redirect(safe_next(request, reverse("appointments:detail", args=[pk])))


class RescheduleView(ScheduleMixin, View):
    """Move to a new start, with the chosen practitioner (none chosen: anyone free)."""

    def post(self, request, pk):
        appointment = _appointment(request, pk)
        wants_json = "application/json" in request.headers.get("Accept", "")
        form = MoveForm(request.POST, practitioners=practitioners_at(appointment.clinic_id))
        problem = None
        if not form.is_valid():
            problem = " ".join(m for errors in form.errors.values() for m in errors)
        else:
            chosen = form.cleaned_data["practitioner"]
            try:
                if appointment.series_id and request.POST.get("shift_following") == "1":
                    # A course's visit moved with the following ones, their intervals kept.
                    series_booking.move_in_series(
                        acting_user=request.user,
                        appointment=appointment,
                        start=form.cleaned_data["start"],
                        shift_following=True,
                        via=Interface.WEB,
                    )
                else:
                    services.reschedule(
                        acting_user=request.user,
                        appointment=appointment,
                        start=form.cleaned_data["start"],
                        practitioner=chosen,
                        keep_practitioner=chosen is not None,
                        via=Interface.WEB,
                    )
            except ValidationError as exc:
                problem = " ".join(exc.messages)
        done = _("Moved to %(when)s.") % {
            "when": formats.date_format(timezone.localtime(appointment.starts_at), "D j M Y, H:i")
        }
        if wants_json:
            if problem:
                return JsonResponse({"ok": False, "message": problem}, status=400)
            messages.success(request, done)
            return JsonResponse({"ok": True, "message": done})
        if problem:
            messages.error(request, problem)
        else:
            messages.success(request, done)
        return redirect(safe_next(request, reverse("appointments:detail", args=[pk])))
