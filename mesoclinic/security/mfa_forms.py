"""The forms of the second-factor pages: a code from an authenticator app, a recovery code."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AppCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) not in (6, 8):
            raise forms.ValidationError(_("Type the 6 digits your app shows."))
        return code


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label=_("Recovery code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_recovery_code(self):
        return "".join(self.cleaned_data["recovery_code"].split()).lower()
