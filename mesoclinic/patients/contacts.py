"""The patient's consent to be contacted, as the patient page shows and records it: each
channel's current answer (from `notifications.contacts`, the one record of it) and the staff
form that records a new one. Receptionists record it too: they are the ones who ask."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from mesoclinic.notifications import contacts
from mesoclinic.notifications.models import ConsentMethod, ContactChannel, ContactConsent
from mesoclinic.patients.models import Patient

#: What staff may say about how an answer came: not the opt-out link nor the portal, which
#: the patient uses alone and which record themselves.
STAFF_METHODS = [
    (m.value, m.label)
    for m in ConsentMethod
    if m not in (ConsentMethod.OPT_OUT_LINK, ConsentMethod.PORTAL)
]


@dataclass(frozen=True)
class ChannelState:
    channel: str
    label: str
    address: str  # what is on file for it ("" when nothing is)
    consent: ContactConsent | None  # the newest answer, None when never asked

    @property
    def state(self) -> str:
        if self.consent is None:
            return "not_asked"
        return "opted_in" if self.consent.opted_in else "opted_out"


def contact_panel(patient: Patient) -> list[ChannelState]:
    """Every channel with its current answer (one query: notifications.current_consents)."""
    current = contacts.current_consents(patient_id=patient.pk)
    addresses = {
        ContactChannel.SMS: patient.mobile_display,
        ContactChannel.WHATSAPP: patient.mobile_display,
        ContactChannel.EMAIL: patient.email,
    }
    return [
        ChannelState(
            channel=channel.value,
            label=str(channel.label),
            address=addresses[channel],
            consent=current.get(channel.value),
        )
        for channel in ContactChannel
    ]


class ContactConsentForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    method = forms.ChoiceField(
        label=_("How the patient told us"), choices=STAFF_METHODS, initial=ConsentMethod.IN_PERSON
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=contacts.NOTE_MAX, strip=True
    )
    answer = forms.ChoiceField(choices=[("in", _("Opt in")), ("out", _("Opt out"))])
