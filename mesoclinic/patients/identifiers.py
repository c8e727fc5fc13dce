"""Patient identifiers: the CNIC and the medical record number. Pure functions, no Django.

CNIC (computerized national identity card): 13 digits, shown 5-7-1 as 12345-1234567-1
(shared/CLINICAL.md, "Pakistan"). Clerks type it with ASCII or Urdu digits and any dashes;
it is stored as the 13 digits alone. Phone numbers live in mesoclinic/core/phones.py.
"""

from mesoclinic.core.text import SEPARATORS, InvalidIdentifier, fold_digits

CNIC_LENGTH = 13


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
