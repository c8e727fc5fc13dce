"""Field rules for patient data, shared by the staff form, the API serializer and the admin.

Each raises Django's ValidationError with a message for the person typing; DRF turns those into
400 responses with field errors, forms show them beside the field.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mesoclinic.core.text import squash_spaces
from mesoclinic.patients.identifiers import InvalidIdentifier, normalize_cnic, normalize_mobile
from mesoclinic.patients.identifiers import normalize_phone as _normalize_phone

OLDEST_AGE_YEARS = 120

#: The identifier module's messages (pure, English), by code, for translation into Urdu.
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


def _invalid(exc: InvalidIdentifier) -> ValidationError:
    return ValidationError(
        IDENTIFIER_MESSAGES.get(exc.code, exc.message), code=exc.code, params=exc.params or None
    )


def clean_cnic(value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    try:
        return normalize_cnic(str(value))
    except InvalidIdentifier as exc:
        raise _invalid(exc) from exc


def clean_mobile(value: str) -> str:
    try:
        return normalize_mobile(str(value or ""))
    except InvalidIdentifier as exc:
        raise _invalid(exc) from exc


def clean_optional_phone(value: str | None) -> str:
    if value is None or not str(value).strip():
        return ""
    try:
        return _normalize_phone(str(value))
    except InvalidIdentifier as exc:
        raise _invalid(exc) from exc


def clean_name(value: str | None, max_length: int) -> str:
    """Trim and NFC-normalize a name, then check the length it will be stored with."""
    name = squash_spaces(value or "")
    if len(name) > max_length:
        raise ValidationError(
            _("Keep this under %(max)s characters.") % {"max": max_length}, code="too_long"
        )
    return name


def clean_date_of_birth(value: date, today: date | None = None) -> date:
    today = today or timezone.localdate()
    if value > today:
        raise ValidationError(_("The date of birth is in the future."), code="dob_future")
    try:
        oldest = today.replace(year=today.year - OLDEST_AGE_YEARS)
    except ValueError:  # 29 February
        oldest = today.replace(year=today.year - OLDEST_AGE_YEARS, day=28)
    if value < oldest:
        raise ValidationError(
            _("The date of birth is more than %(years)s years ago; check the year.")
            % {"years": OLDEST_AGE_YEARS},
            code="dob_too_old",
        )
    return value
