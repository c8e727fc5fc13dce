"""The messages the clinic sent: its outbox and delivery log (when due and sent, by which
channel, to which masked address, with what outcome), a manager's resend of a failed one, and a
patient's own messages. Desk pages: they join the clinic (clinics), the patient (patients) and
the outbox (notifications), which stands below both and knows neither."""

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.accounts.roles import Role, is_administrator, roles_of
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.clinics import scoping
from mesoclinic.clinics.selectors import clinics_for_user
from mesoclinic.core.pages import keyset_cursor, refuse_with_messages
from mesoclinic.notifications import services as notifications
from mesoclinic.notifications.models import Message
from mesoclinic.patients import selectors


def can_resend_messages(user) -> bool:
    """Clinic managers (at the clinics they belong to: the message was found through their
    scope) and administrators send a failed message again; the rest of the staff read the log."""
    return is_administrator(user) or Role.CLINIC_MANAGER.value in roles_of(user)


def shows_bodies(user) -> bool:
    """Whether the log shows what each message said: its text holds the signed aftercare link
    (the session's instructions, which name the procedure) and the patient's opt-out link, so
    only those who read the clinic's clinical records see it; the rest see what became of it."""
    return scoping.reaches(user, scoping.Kind.CLINICAL)


def _clinic(user, slug):
    clinic = clinics_for_user(user).filter(slug=slug).first()
    if clinic is None:
        raise Http404("No clinic found.")
    return clinic


def _status(value) -> str:
    return value if value in Message.Status.values else ""


class ClinicMessagesView(StaffRequiredMixin, View):
    """A clinic's outbox and delivery log, newest first, filtered by status."""

    def get(self, request, slug):
        clinic = _clinic(request.user, slug)
        status = _status(request.GET.get("status", ""))
        page = selectors.clinic_message_page(
            request.user,
            clinic_id=clinic.pk,
            status=status,
            before=keyset_cursor(request.GET.get("before")),
        )
        # Masked addresses and which patient was contacted when: listed like the patients.
        record_event(
            actor=request.user,
            action=Action.LIST,
            via=Interface.WEB,
            object_type=Message._meta.label_lower,
            clinic_id=clinic.pk,
            detail={"results": len(page.messages), "status": status or "all"},
        )
        context = {
            "clinic": clinic,
            "page": page,
            "status": status,
            "statuses": Message.Status.choices,
            "may_resend": can_resend_messages(request.user),
            "show_bodies": shows_bodies(request.user),
        }
        return render(request, "desk/clinic_messages.html", context)


class MessageResendView(StaffRequiredMixin, View):
    """A manager sends a failed message again (the button on the delivery log)."""

    def post(self, request, slug, pk):
        clinic = _clinic(request.user, slug)
        message = selectors.get_message_for_user(request.user, pk, via=Interface.WEB)
        if message.clinic_id != clinic.pk:
            raise scoping.denied(request.user, Message, pk, via=Interface.WEB)
        if not can_resend_messages(request.user):
            raise PermissionDenied
        try:
            notifications.resend(acting_user=request.user, message=message, via=Interface.WEB)
        except ValidationError as exc:
            refuse_with_messages(request, exc)
        else:
            flash.success(request, _("The message is queued to be sent again."))
        back = reverse("clinics:messages", args=[clinic.slug])
        status = _status(request.POST.get("status", ""))
        return redirect(f"{back}?{urlencode({'status': status})}" if status else back)


class PatientMessagesView(StaffRequiredMixin, View):
    """Every message sent to one patient, newest first (the patient page shows the newest)."""

    def get(self, request, pk):
        patient = selectors.get_patient_for_user(request.user, pk, via=Interface.WEB)
        page = selectors.patient_message_page(
            request.user, patient_id=patient.pk, before=keyset_cursor(request.GET.get("before"))
        )
        context = {
            "patient": patient,
            "message_log": page,
            "show_bodies": shows_bodies(request.user),
        }
        return render(request, "desk/patient_messages.html", context)
