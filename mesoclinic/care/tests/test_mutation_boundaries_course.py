"""A course's plan and dates at their edges (found by `make mutation`)."""

from datetime import date

import pytest

from mesoclinic.care import course

RANGES = course.Ranges(sessions=(4, 6), interval_days=(14, 28), maintenance_days=(90, 180))
REFUSAL = "A course has at least one session and positive intervals."


@pytest.mark.parametrize(
    "plan",
    [course.Plan(4, 14, 90), course.Plan(6, 28, 180)],
    ids=["lowest", "highest"],
)
def test_it_accepts_a_plan_at_the_edges_of_every_range(plan):
    assert course.problems(plan, RANGES) == []


def test_it_names_each_value_outside_its_range_with_the_range():
    assert course.problems(course.Plan(3, 29, 89), RANGES) == [
        course.Problem(field="sessions", value=3, low=4, high=6),
        course.Problem(field="interval_days", value=29, low=14, high=28),
        course.Problem(field="maintenance_days", value=89, low=90, high=180),
    ]


@pytest.mark.parametrize(
    "plan",
    [course.Plan(0, 14, 90), course.Plan(4, 0, 90), course.Plan(4, 14, 0)],
    ids=["no_sessions", "zero_day_interval", "zero_day_maintenance"],
)
def test_it_refuses_to_lay_out_a_course_with_one_value_zero(plan):
    with pytest.raises(ValueError) as raised:
        course.dates(date(2026, 12, 6), plan)
    assert str(raised.value) == REFUSAL


def test_a_range_the_protocol_does_not_set_skips_only_that_value():
    no_interval = course.Ranges(
        sessions=(4, 6), interval_days=(None, None), maintenance_days=(90, 180)
    )
    assert course.problems(course.Plan(4, 3, 200), no_interval) == [
        course.Problem(field="maintenance_days", value=200, low=90, high=180)
    ]


@pytest.mark.parametrize("half", [(14, None), (None, 28)])
def test_a_range_missing_either_end_sets_no_range_rather_than_failing(half):
    ranges = course.Ranges(sessions=(4, 6), interval_days=half, maintenance_days=(90, 180))
    assert course.problems(course.Plan(4, 365, 90), ranges) == []
