"""One search box: the system tells a CNIC from a mobile, an MRN or a name."""

import pytest

from mesoclinic.patients.identifiers import make_mrn
from mesoclinic.patients.search import classify_query


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", ("empty", "")),
        ("35202-1234567-1", ("cnic", "3520212345671")),
        ("۳۵۲۰۲۱۲۳۴۵۶۷۱", ("cnic", "3520212345671")),
        ("0300-1234567", ("mobile", "+923001234567")),
        ("+92 300 1234567", ("mobile", "+923001234567")),
        ("۰۳۰۰۱۲۳۴۵۶۷", ("mobile", "+923001234567")),
        ("35202", ("cnic_prefix", "35202")),
        ("Ayesha  Khan", ("name", "Ayesha Khan")),
        ("عائشہ", ("name", "عائشہ")),
        (make_mrn(42).lower(), ("mrn", make_mrn(42))),
    ],
)
def test_it_classifies_what_was_typed(typed, expected):
    assert classify_query(typed) == expected
