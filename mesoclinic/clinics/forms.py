"""Forms for clinic records edited by administrators (in the admin for now)."""

from django import forms

from mesoclinic.clinics.models import Clinic
from mesoclinic.core import validation


class ClinicForm(forms.ModelForm):
    class Meta:
        model = Clinic
        fields = [
            "name",
            "slug",
            "city",
            "address",
            "phone",
            "email",
            "services",
            "latitude",
            "longitude",
            "is_active",
            # Sign-in policy (issue 20).
            "staff_idle_minutes",
            "receptionists_need_second_factor",
            # What a patient may change online (issue 22).
            "portal_change_hours",
        ]

    def clean_phone(self):
        phone = validation.clean_optional_phone(self.cleaned_data["phone"])
        if not phone:
            raise forms.ValidationError("Enter the clinic's phone number.")
        return phone
