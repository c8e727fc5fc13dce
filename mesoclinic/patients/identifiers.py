"""Pakistani patient identifiers: CNIC and mobile number. Pure functions, no Django.

CNIC (computerized national identity card): 13 digits, shown 5-7-1 as 12345-1234567-1
(shared/CLINICAL.md, "Pakistan"). Clerks type it with ASCII or Urdu digits and any dashes;
it is stored as the 13 digits alone.
Mobile: typed as 0300-1234567, +92 300 1234567 or in Urdu digits; stored E.164 (+923001234567).
"""

import phonenumbers

from mesoclinic.core.text import SEPARATORS, fold_digits

CNIC_LENGTH = 13
DEFAULT_REGION = "PK"


class InvalidIdentifier(ValueError):
    """The text cannot be read as the identifier; the message says why, for the person typing.

    `code` and `params` let the form layer show the same message in Urdu.
    """

    def __init__(self, message: str, code: str, **params):
        super().__init__(message % params if params else message)
        self.message, self.code, self.params = message, code, params


def normalize_cnic(raw: str) -> str:
    """Return the 13 ASCII digits of a CNIC typed in any digits with any separators."""
    folded = fold_digits(raw.strip())
    digits = []
    for char in folded:
        if char.isdigit() and char.isascii():
            digits.append(char)
        elif char in SEPARATORS:
            continue
        else:
            raise InvalidIdentifier(
                "A CNIC has only digits and dashes, like 12345-1234567-1.", "cnic_characters"
            )
    if len(digits) != CNIC_LENGTH:
        raise InvalidIdentifier(
            "A CNIC has 13 digits, like 12345-1234567-1; this has %(count)d.",
            "cnic_length",
            count=len(digits),
        )
    return "".join(digits)


def format_cnic(digits: str) -> str:
    """12345-1234567-1 from the stored 13 digits (anything else is returned unchanged)."""
    if len(digits) != CNIC_LENGTH or not digits.isdigit():
        return digits
    return f"{digits[:5]}-{digits[5:12]}-{digits[12]}"


#: Besides digits and separators, a typed phone number may hold a leading + and brackets.
_PHONE_PUNCTUATION = frozenset("+()")


def _parse_phone(raw: str, region: str, *, unreadable: InvalidIdentifier):
    """Parse a number typed with any digits and separators; letters and extensions are refused
    (phonenumbers would otherwise read 'ABC' as keypad digits and drop 'ext 12' silently)."""
    text = fold_digits(raw.strip())
    if any(
        not ((c.isascii() and c.isdigit()) or c in SEPARATORS or c in _PHONE_PUNCTUATION)
        for c in text
    ):
        raise unreadable
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise unreadable from exc
    if number.extension:
        raise unreadable
    return number


def normalize_mobile(raw: str, region: str = DEFAULT_REGION) -> str:
    """Return the E.164 form of a mobile number; local numbers are read as Pakistani."""
    if not raw.strip():
        raise InvalidIdentifier("Enter a mobile number, like 0300-1234567.", "mobile_missing")
    number = _parse_phone(
        raw,
        region,
        unreadable=InvalidIdentifier(
            "Enter a mobile number, like 0300-1234567 or +92 300 1234567.", "mobile_unreadable"
        ),
    )
    if not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier(
            "This is not a valid mobile number; check the digits.", "mobile_invalid"
        )
    kind = phonenumbers.number_type(number)
    if kind not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidIdentifier(
            "This looks like a landline; enter a mobile number.", "mobile_landline"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """E.164 form of any valid phone number, landline or mobile (clinic and emergency numbers)."""
    number = _parse_phone(
        raw,
        region,
        unreadable=InvalidIdentifier(
            "Enter a phone number, like 051-5550100 or 0300-1234567.", "phone_unreadable"
        ),
    )
    if not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier(
            "This is not a valid phone number; check the digits.", "phone_invalid"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_mobile(e164: str) -> str:
    """Show a Pakistani mobile the way people write it (0300 1234567), others internationally."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 92:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


MRN_PREFIX = "MC"


def _luhn_check_digit(digits: str) -> int:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def make_mrn(number: int) -> str:
    """The medical record number for the patient's sequence number: MC, 8 digits, a check digit.

    The Luhn check digit lets a search tell a mistyped MRN from another patient's.
    """
    body = f"{number:08d}"
    return f"{MRN_PREFIX}{body}{_luhn_check_digit(body)}"


def parse_mrn(raw: str) -> str | None:
    """The canonical MRN if `raw` is one (any case, spaces, Urdu digits, check digit valid)."""
    text = "".join(fold_digits(raw).upper().split()).replace("-", "")
    if not text.startswith(MRN_PREFIX):
        return None
    digits = text[len(MRN_PREFIX) :]
    if len(digits) < 2 or not digits.isdigit() or not digits.isascii():
        return None
    body, check = digits[:-1], int(digits[-1])
    if _luhn_check_digit(body) != check:
        return None
    return f"{MRN_PREFIX}{body}{check}"
