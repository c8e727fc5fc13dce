"""Field rules for patient data, shared by the staff form, the API serializer and the admin.

Each raises Django's ValidationError with a message for the person typing; DRF turns those into
400 responses with field errors, forms show them beside the field.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.core.text import InvalidIdentifier, squash_spaces
from mesoclinic.core.validation import identifier_error
from mesoclinic.patients.identifiers import normalize_cnic

OLDEST_AGE_YEARS = 120


def clean_cnic(value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    try:
        return normalize_cnic(str(value))
    except InvalidIdentifier as exc:
        raise identifier_error(exc) from exc


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
