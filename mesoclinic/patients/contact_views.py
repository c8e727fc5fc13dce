"""Recording a patient's consent to be contacted from the patient page (opt in, opt out)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.audit.services import Interface
from mesoclinic.core.pages import refuse_with_messages
from mesoclinic.notifications import contacts
from mesoclinic.patients import selectors
from mesoclinic.patients.contacts import ContactConsentForm


class ContactConsentView(StaffRequiredMixin, View):
    """POST: record an opt-in or opt-out for one channel. Anyone who may open the patient may
    record it (receptionists ask at the desk); another clinic's patient is a 404."""

    def post(self, request, pk):
        patient = selectors.get_patient_for_user(request.user, pk, via=Interface.WEB, action="")
        form = ContactConsentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a channel and how the patient told us."))
            return redirect("patients:detail", pk=patient.pk)
        data = form.cleaned_data
        try:
            consent = contacts.record_consent(
                patient_id=patient.pk,
                clinic_id=patient.registered_clinic_id,
                channel=data["channel"],
                opted_in=data["answer"] == "in",
                method=data["method"],
                note=data["note"],
                acting_user=request.user,
                via=Interface.WEB,
            )
        except ValidationError as exc:
            refuse_with_messages(request, exc)
        else:
            channel = consent.get_channel_display()
            if consent.opted_in:
                messages.success(
                    request, _("Recorded: agrees to messages by %(c)s.") % {"c": channel}
                )
            else:
                messages.success(request, _("Recorded: no messages by %(c)s.") % {"c": channel})
        return redirect(f"{reverse('patients:detail', args=[patient.pk])}#contact-consents")
