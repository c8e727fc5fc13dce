"""The Fitzpatrick questionnaire's scoring and the patch-test read window are pure rules."""

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.care.fitzpatrick import BANDING_V1_NAME, InvalidAnswers, score
from mesoclinic.care.patch_tests import ReadProblem, Window, reading_problems, valid_until

answers = st.lists(st.integers(min_value=0, max_value=4), min_size=10, max_size=10)


@pytest.mark.parametrize(
    ("total", "skin_type"),
    [
        (0, 1),
        (6, 1),
        (7, 2),
        (13, 2),
        (14, 3),
        (20, 3),
        (21, 4),
        (27, 4),
        (28, 5),
        (34, 5),
        (35, 6),
        (40, 6),
    ],
)
def test_it_bands_each_boundary_as_documented(total, skin_type):
    items = [4] * (total // 4) + ([total % 4] if total % 4 else [])
    items += [0] * (10 - len(items))
    result = score(items)
    assert (result.total, result.skin_type, result.banding) == (total, skin_type, BANDING_V1_NAME)


@given(answers, st.integers(min_value=0, max_value=9))
def test_a_higher_answer_never_gives_a_lighter_skin_type(items, index):
    raised = list(items)
    raised[index] = min(4, raised[index] + 1)
    assert score(raised).skin_type >= score(items).skin_type


@pytest.mark.parametrize(
    ("items", "message"),
    [([1] * 9, "Expected 10 answers"), ([1] * 9 + [5], "Item 10: 5"), ([True] + [1] * 9, "Item 1")],
)
def test_it_refuses_answers_it_cannot_score(items, message):
    with pytest.raises(InvalidAnswers, match=message):
        score(items)


APPLIED = datetime(2026, 11, 20, 10, 0)
WINDOW = Window(opens_after_hours=24, closes_after_hours=72)


def _negative_read(read_at, *, now=None):
    """Why a negative reading stated at `read_at` and entered then (or at `now`) is refused."""
    return reading_problems(
        applied_at=APPLIED, read_at=read_at, now=now or read_at, window=WINDOW, reaction_seen=False
    )


@given(st.integers(min_value=-100, max_value=200))
def test_a_read_counts_exactly_inside_the_window(hours):
    problems = _negative_read(APPLIED + timedelta(hours=hours))
    if hours < 0:
        assert problems == [ReadProblem.BEFORE_APPLIED]
    elif hours < 24:
        assert problems == [ReadProblem.TOO_EARLY]
    elif hours > 72:
        assert problems == [ReadProblem.TOO_LATE, ReadProblem.ENTERED_AFTER_CLOSE]
    else:
        assert problems == []


def test_a_read_cannot_be_in_the_future():
    read_at = APPLIED + timedelta(hours=30)
    assert _negative_read(read_at, now=read_at - timedelta(minutes=1)) == [ReadProblem.IN_FUTURE]


def test_a_window_must_open_before_it_closes():
    with pytest.raises(ValueError):
        Window(opens_after_hours=72, closes_after_hours=24)


def test_a_reading_stays_valid_for_the_clinics_validity_period():
    assert valid_until(APPLIED, validity_days=180) == APPLIED + timedelta(days=180)
