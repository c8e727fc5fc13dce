"""Reading an id from the query string: only ASCII whole numbers a bigint id column holds."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from mesoclinic.restapi.params import MAX_ID, as_database_id, id_filter


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("007", 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),  # one past what the column holds
        ("0", None),
        ("-1", None),
        ("-103830173789952394071309518110720", None),  # schemathesis's find (issue 16)
        (" 7", None),
        ("7 ", None),
        ("1_000", None),
        ("٧", None),  # an Arabic-Indic seven: int() takes it, an id is ASCII
        ("²", None),
        ("1.0", None),
        ("", None),
    ],
)
def test_it_takes_only_ids_the_database_can_hold(value, expected):
    assert as_database_id(value) == expected


@given(st.integers())
def test_any_whole_number_is_an_id_exactly_when_it_is_in_range(number):
    expected = number if 1 <= number <= MAX_ID else None
    assert as_database_id(str(number)) == expected


def _request(query: str) -> Request:
    return Request(APIRequestFactory().get(f"/api/v1/x/?{query}"))


def test_an_absent_filter_is_none():
    assert id_filter(_request("other=1"), "lot", what="lot") is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "Give a lot id (a whole number)."),
        ("1.5", "Give a lot id (a whole number)."),
        ("-103830173789952394071309518110720", f"A lot id is a whole number from 1 to {MAX_ID}."),
        (str(MAX_ID + 1), f"A lot id is a whole number from 1 to {MAX_ID}."),
        ("0", f"A lot id is a whole number from 1 to {MAX_ID}."),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_parameter(raw, message):
    with pytest.raises(ValidationError) as refused:
        id_filter(_request(f"lot={raw}"), "lot", what="lot")
    assert refused.value.detail == {"lot": [message]}
