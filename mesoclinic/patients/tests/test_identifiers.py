"""CNIC, mobile and MRN normalization: what clerks type on English and Urdu keyboards."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from mesoclinic.core.phones import format_phone, normalize_mobile, normalize_phone
from mesoclinic.core.text import InvalidIdentifier
from mesoclinic.patients.identifiers import format_cnic, make_mrn, normalize_cnic, parse_mrn

URDU_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
DASHES = ["-", "–", "—", "‐", " ", ""]

cnic_digits = st.text(alphabet="0123456789", min_size=13, max_size=13)


def _type_as(digits: str, alphabet: str) -> str:
    return "".join(alphabet[int(d)] for d in digits)


@given(
    cnic_digits,
    st.sampled_from(["0123456789", URDU_DIGITS, ARABIC_DIGITS]),
    st.sampled_from(DASHES),
)
def test_it_reads_a_cnic_typed_in_any_digits_with_any_dashes(digits, alphabet, dash):
    groups = [_type_as(part, alphabet) for part in (digits[:5], digits[5:12], digits[12])]
    typed = dash.join(groups)
    assert normalize_cnic(f"  {typed} ") == digits


@given(cnic_digits)
def test_it_shows_a_stored_cnic_as_5_7_1_and_reads_it_back(digits):
    shown = format_cnic(digits)
    assert shown == f"{digits[:5]}-{digits[5:12]}-{digits[12]}"
    assert normalize_cnic(shown) == digits


@given(st.text(alphabet="0123456789", min_size=0, max_size=25).filter(lambda s: len(s) != 13))
def test_it_refuses_a_cnic_without_exactly_13_digits(digits):
    with pytest.raises(InvalidIdentifier, match="13 digits"):
        normalize_cnic(digits)


@pytest.mark.parametrize("typed", ["35202-123456A-1", "3520212345671x", "CNIC 3520212345671"])
def test_it_refuses_a_cnic_with_letters(typed):
    with pytest.raises(InvalidIdentifier, match="only digits"):
        normalize_cnic(typed)


mobile_prefixes = st.sampled_from(["300", "301", "311", "321", "333", "345"])
seven_digits = st.text(alphabet="0123456789", min_size=7, max_size=7)


@given(mobile_prefixes, seven_digits, st.sampled_from(["local", "intl", "00", "urdu", "spaced"]))
def test_it_stores_a_pakistani_mobile_as_e164_however_it_is_typed(prefix, rest, style):
    typed = {
        "local": f"0{prefix}-{rest}",
        "intl": f"+92 {prefix} {rest}",
        "00": f"0092{prefix}{rest}",
        "urdu": _type_as(f"0{prefix}{rest}", URDU_DIGITS),
        "spaced": f"0{prefix} {rest[:3]} {rest[3:]}",
    }[style]
    assert normalize_mobile(typed) == f"+92{prefix}{rest}"


def test_it_shows_a_pakistani_mobile_the_local_way():
    assert format_phone("+923001234567") == "0300 1234567"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a mobile number"),
        ("12", "not a valid"),
        ("051-5550100", "landline"),
        ("hello", "Enter a mobile number"),
        ("0300-ABCDEFG", "Enter a mobile number"),
        ("0300-1234567 ext 99", "Enter a mobile number"),
        ("²0300 1234567", "Enter a mobile number"),
    ],
)
def test_it_refuses_what_is_not_a_mobile_number(typed, message):
    with pytest.raises(InvalidIdentifier, match=message):
        normalize_mobile(typed)


@given(st.integers(min_value=1, max_value=99_999_999))
def test_it_reads_back_every_mrn_it_assigns(number):
    mrn = make_mrn(number)
    assert parse_mrn(mrn) == mrn
    assert parse_mrn(mrn.lower()) == mrn


@given(
    st.integers(min_value=1, max_value=99_999_999),
    st.integers(min_value=2, max_value=9),
    st.integers(1, 9),
)
def test_it_rejects_an_mrn_with_one_digit_mistyped(number, position, delta):
    mrn = make_mrn(number)
    digit = int(mrn[position])
    typo = mrn[:position] + str((digit + delta) % 10) + mrn[position + 1 :]
    assert parse_mrn(typo) is None


def test_it_accepts_a_landline_where_any_phone_will_do():
    assert normalize_phone("051-2650100") == "+92512650100"
    assert format_phone("+92512650100") == "(051) 2650100"


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_the_fast_path_shows_every_valid_mobile_as_the_library_does(digits):
    import phonenumbers  # the library the fast path stands in for

    e164 = f"+923{digits}"
    number = phonenumbers.parse(e164, None)
    assume(phonenumbers.is_valid_number(number))
    expected = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    assert format_phone(e164) == expected
