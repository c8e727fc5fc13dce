"""The patch-test read window at its exact edges (found by `make mutation`).

The property test draws whole hours and may never draw 24 or 72; these do not rely on luck.
"""

from datetime import datetime, timedelta

import pytest

from mesoclinic.care.patch_tests import ReadProblem, Window, reading_problems

APPLIED = datetime(2026, 11, 20, 10, 0)
WINDOW = Window(opens_after_hours=24, closes_after_hours=72)
SECOND = timedelta(seconds=1)


def problem(read_at, *, now=None, window=WINDOW):
    """The first reason a negative reading stated at `read_at`, entered then (or at `now`), is
    refused; None when it counts."""
    found = reading_problems(
        applied_at=APPLIED,
        read_at=read_at,
        now=read_at if now is None else now,
        window=window,
        reaction_seen=False,
    )
    return found[0] if found else None


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (timedelta(hours=24) - SECOND, ReadProblem.TOO_EARLY),
        (timedelta(hours=24), None),
        (timedelta(hours=72), None),
        (timedelta(hours=72) + SECOND, ReadProblem.TOO_LATE),
        (-SECOND, ReadProblem.BEFORE_APPLIED),
    ],
    ids=["second_before_opening", "at_opening", "at_closing", "second_after_closing", "before"],
)
def test_it_counts_a_read_from_the_windows_opening_to_its_closing_inclusive(after, expected):
    assert problem(APPLIED + after) == expected


def test_it_accepts_a_read_stated_at_this_very_moment():
    read_at = APPLIED + timedelta(hours=48)
    assert problem(read_at, now=read_at) is None
    assert problem(read_at, now=read_at - SECOND) == ReadProblem.IN_FUTURE


def test_a_window_may_open_at_application():
    window = Window(opens_after_hours=0, closes_after_hours=72)
    assert problem(APPLIED, window=window) is None


def test_a_window_may_open_and_close_at_the_same_hour():
    window = Window(opens_after_hours=48, closes_after_hours=48)
    assert problem(APPLIED + timedelta(hours=48), window=window) is None


@pytest.mark.parametrize(("opens", "closes"), [(-1, 72), (73, 72)])
def test_it_says_why_a_window_cannot_be(opens, closes):
    with pytest.raises(ValueError) as raised:
        Window(opens_after_hours=opens, closes_after_hours=closes)
    assert str(raised.value) == (
        "A read window opens at or after application and before it closes."
    )
