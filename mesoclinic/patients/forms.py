"""The staff form for registering and editing a patient. Field rules live in validation.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mesoclinic.core import validation as shared_validation
from mesoclinic.notifications.models import ContactChannel
from mesoclinic.patients import validation
from mesoclinic.patients.models import Patient
from mesoclinic.patients.services import EDITABLE_FIELDS


def _max_length(field: str) -> int:
    return Patient._meta.get_field(field).max_length


class PatientForm(forms.ModelForm):
    cnic = forms.CharField(
        label=_("CNIC"),
        required=False,
        max_length=30,
        help_text=_("13 digits, e.g. 35202-1234567-1; Urdu digits are fine."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    mobile = forms.CharField(
        label=_("Mobile"),
        max_length=30,
        help_text=_("e.g. 0300-1234567"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    emergency_contact_phone = forms.CharField(
        label=_("Emergency phone"), required=False, max_length=30
    )

    class Meta:
        model = Patient
        fields = EDITABLE_FIELDS
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "name_ur": forms.TextInput(attrs={"dir": "rtl", "lang": "ur"}),
        }

    def __init__(self, *args, clinics=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["cnic"] = self.instance.cnic_display
            self.initial["mobile"] = self.instance.mobile_display
            self.initial["emergency_contact_phone"] = self.instance.emergency_phone_display
        if clinics is not None:
            # Registering: choose the clinic, among those the user works at.
            self.fields["registered_clinic"] = forms.ModelChoiceField(
                queryset=clinics, label=_("Clinic"), empty_label=None
            )
            self.order_fields(["registered_clinic"])
            # Registering: the channels the patient agreed to at the desk (consent to be
            # contacted, recorded with the registration; later answers on the patient page).
            self.fields["opt_in_channels"] = forms.MultipleChoiceField(
                label=_("Agrees to messages by"),
                required=False,
                choices=ContactChannel.choices,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Ask the patient; tick only what they agreed to."),
            )

    def clean_first_name(self):
        return validation.clean_name(self.cleaned_data["first_name"], _max_length("first_name"))

    def clean_last_name(self):
        return validation.clean_name(self.cleaned_data["last_name"], _max_length("last_name"))

    def clean_name_ur(self):
        return validation.clean_name(self.cleaned_data["name_ur"], _max_length("name_ur"))

    def clean_cnic(self):
        return validation.clean_cnic(self.cleaned_data["cnic"])

    def clean_mobile(self):
        return shared_validation.clean_mobile(self.cleaned_data["mobile"])

    def clean_emergency_contact_phone(self):
        return shared_validation.clean_optional_phone(self.cleaned_data["emergency_contact_phone"])

    def clean_date_of_birth(self):
        return validation.clean_date_of_birth(self.cleaned_data["date_of_birth"])

    def validate_unique(self):
        # Duplicates are the service's job (it knows what the user may be told and audits what
        # it discloses); the database constraints back it up.
        pass

    def validate_constraints(self):
        # Same reason: the name + birth date + mobile constraint is checked by the service.
        pass

    def patient_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}
