"""Field rules shared by every app's forms and serializers, speaking the staff member's language.

Pure modules (core/phones.py, patients/identifiers.py) explain refusals in English with a code;
here each code gets its translated message and becomes Django's ValidationError, which forms
show beside the field and DRF turns into a 400 with field errors.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from mesoclinic.core.phones import normalize_mobile, normalize_phone
from mesoclinic.core.text import InvalidIdentifier

#: The pure modules' messages, by code, for translation into Urdu.
IDENTIFIER_MESSAGES = {
    "cnic_characters": gettext_lazy("A CNIC has only digits and dashes, like 12345-1234567-1."),
    "cnic_length": gettext_lazy("A CNIC has 13 digits, like 12345-1234567-1; this has %(count)d."),
    "mobile_missing": gettext_lazy("Enter a mobile number, like 0300-1234567."),
    "mobile_unreadable": gettext_lazy(
        "Enter a mobile number, like 0300-1234567 or +92 300 1234567."
    ),
    "mobile_invalid": gettext_lazy("This is not a valid mobile number; check the digits."),
    "mobile_landline": gettext_lazy("This looks like a landline; enter a mobile number."),
    "phone_unreadable": gettext_lazy("Enter a phone number, like 051-5550100 or 0300-1234567."),
    "phone_invalid": gettext_lazy("This is not a valid phone number; check the digits."),
}


def identifier_error(exc: InvalidIdentifier) -> ValidationError:
    return ValidationError(
        IDENTIFIER_MESSAGES.get(exc.code, exc.message), code=exc.code, params=exc.params or None
    )


def clean_mobile(value: str) -> str:
    try:
        return normalize_mobile(str(value or ""))
    except InvalidIdentifier as exc:
        raise identifier_error(exc) from exc


def clean_optional_phone(value: str | None) -> str:
    if value is None or not str(value).strip():
        return ""
    try:
        return normalize_phone(str(value))
    except InvalidIdentifier as exc:
        raise identifier_error(exc) from exc
