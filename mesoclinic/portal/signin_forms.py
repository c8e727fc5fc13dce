"""The sign-in pages' forms: the number and date of birth, then the code."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mesoclinic.core.phones import normalize_mobile
from mesoclinic.core.text import InvalidIdentifier, fold_digits


class NumberForm(forms.Form):
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        help_text=_("The number your clinic has on your record, like 0300-1234567."),
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr", "autofocus": True}
        ),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        help_text=_("A phone shared by a family reaches each person's own records only."),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
    )

    def clean_mobile(self):
        try:
            return normalize_mobile(fold_digits(self.cleaned_data["mobile"]))
        except InvalidIdentifier as exc:
            raise ValidationError(_("Enter a mobile number, like 0300-1234567.")) from exc


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits in the message. Never share them: the clinic will not ask."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "dir": "ltr",
                "autofocus": True,
            }
        ),
    )
