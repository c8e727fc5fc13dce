"""The appointment book's forms: finding free slots, booking one, moving and cancelling.

Times travel as Karachi wall-clock values ("2026-12-14T10:30"): the pages show local times,
and Django reads a naive value in the current time zone (settings.TIME_ZONE), so a slot
button's value comes back as the instant it showed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mesoclinic.appointments.models import AppointmentType
from mesoclinic.clinics.models import Practitioner

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class PractitionerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.user.get_full_name() or obj.user.username


class SlotSearchForm(forms.Form):
    """What to look for: a type, one practitioner or any who may take it, and a day."""

    type = forms.ModelChoiceField(queryset=AppointmentType.objects.none(), label=_("Type"))
    practitioner = PractitionerChoice(
        queryset=Practitioner.objects.none(),
        required=False,
        empty_label=_("Any practitioner"),
        label=_("Practitioner"),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, clinic, practitioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = AppointmentType.objects.filter(clinic=clinic, is_active=True)
        self.fields["practitioner"].queryset = practitioners


class BookForm(SlotSearchForm):
    """The chosen slot: the search again (so a refusal re-shows it) and the start."""

    start = forms.DateTimeField(input_formats=[LOCAL_MINUTE], widget=forms.HiddenInput)


class MoveForm(forms.Form):
    """Reschedule: the new start, and the practitioner to take it (empty: anyone free). Posted
    by the slot buttons of the appointment page and by a card dropped on the day view."""

    start = forms.DateTimeField(input_formats=[LOCAL_MINUTE], label=_("New time"))
    practitioner = forms.ModelChoiceField(queryset=Practitioner.objects.none(), required=False)

    def __init__(self, *args, practitioners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].queryset = practitioners


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
