"""Phone numbers as Pakistani clinics and patients type them. Pure functions, no Django.

Typed as 0300-1234567, +92 300 1234567, 0092… or in Urdu digits; stored E.164 (+923001234567)
(shared/CLINICAL.md, "Pakistan"); shown the local way.
"""

import phonenumbers

from mesoclinic.core.text import SEPARATORS, InvalidIdentifier, fold_digits

DEFAULT_REGION = "PK"


#: Besides digits and separators, a typed phone number may hold a leading + and brackets.
_PHONE_PUNCTUATION = frozenset("+()")


def _valid_number(
    raw: str, region: str, *, unreadable: InvalidIdentifier, invalid: InvalidIdentifier
):
    """Parse and check a number typed with any digits and separators. Letters and extensions are
    refused (phonenumbers would otherwise read 'ABC' as keypad digits and drop 'ext 12')."""
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
    if not phonenumbers.is_valid_number(number):
        raise invalid
    return number


def normalize_mobile(raw: str, region: str = DEFAULT_REGION) -> str:
    """Return the E.164 form of a mobile number; local numbers are read as Pakistani."""
    if not raw.strip():
        raise InvalidIdentifier("Enter a mobile number, like 0300-1234567.", "mobile_missing")
    number = _valid_number(
        raw,
        region,
        unreadable=InvalidIdentifier(
            "Enter a mobile number, like 0300-1234567 or +92 300 1234567.", "mobile_unreadable"
        ),
        invalid=InvalidIdentifier(
            "This is not a valid mobile number; check the digits.", "mobile_invalid"
        ),
    )
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidIdentifier(
            "This looks like a landline; enter a mobile number.", "mobile_landline"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """E.164 form of any valid phone number, landline or mobile (clinic and emergency numbers)."""
    number = _valid_number(
        raw,
        region,
        unreadable=InvalidIdentifier(
            "Enter a phone number, like 051-5550100 or 0300-1234567.", "phone_unreadable"
        ),
        invalid=InvalidIdentifier(
            "This is not a valid phone number; check the digits.", "phone_invalid"
        ),
    )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """Show a Pakistani number the way people write it (0300 1234567), others internationally.

    Pakistani mobiles, nearly every number shown, take a fast path: lists show dozens per page
    and parsing each costs more than the rest of its row (the test checks both agree)."""
    if len(e164) == 13 and e164.startswith("+923") and e164[1:].isdigit() and e164.isascii():
        return f"0{e164[3:6]} {e164[6:]}"
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 92:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
