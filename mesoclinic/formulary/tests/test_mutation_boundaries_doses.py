"""Dose checks at their edges, and the numbers each violation carries (found by
`make mutation`): the screen and the override show the limit and the amount, so both matter."""

from decimal import Decimal

import pytest

from mesoclinic.formulary.doses import (
    Amount,
    ComponentLimits,
    Limit,
    UnitMismatch,
    Violation,
    check_dose,
    compatible_units,
    convert_concentration,
    limits_errors,
)

D = Decimal


@pytest.mark.parametrize(
    ("amount", "given"),
    [
        (Amount(points=0), 0),
        (Amount(per_point=D("0.1"), points=0), 0),
        (Amount(per_point=D("0"), points=5), D("0")),
        (Amount(total=D("-1")), D("-1")),
        (Amount(per_point=D("0.5"), total=D("-1")), D("-1")),
        (Amount(per_point=D("-0.2"), total=D("-1")), D("-0.2")),
    ],
    ids=["zero_points_alone", "zero_points", "zero_volume", "negative_total", "after_0_5", "first"],
)
def test_it_refuses_a_non_positive_amount_naming_the_first_one(amount, given):
    assert check_dose(ComponentLimits(max_points=50), amount) == [
        Violation(Limit.NOT_POSITIVE, D(0), given)
    ]


def test_each_violation_carries_the_limit_and_the_amount_that_crossed_it():
    limits = ComponentLimits(
        per_point_min=D("0.05"),
        per_point_max=D("0.1"),
        per_session_min=D("3"),
        per_session_max=D("4"),
        session_ceiling=D("5"),
        max_points=20,
    )
    assert check_dose(limits, Amount(per_point=D("0.04"), points=10)) == [
        Violation(Limit.PER_POINT_MIN, D("0.05"), D("0.04")),
        Violation(Limit.PER_SESSION_MIN, D("3"), D("0.40")),
    ]
    assert check_dose(limits, Amount(per_point=D("0.3"), points=30)) == [
        Violation(Limit.PER_POINT_MAX, D("0.1"), D("0.3")),
        Violation(Limit.PER_SESSION_MAX, D("4"), D("9.0")),
        Violation(Limit.SESSION_CEILING, D("5"), D("9.0")),
        Violation(Limit.MAX_POINTS, 20, 30),
    ]


def test_an_amount_exactly_at_each_limit_passes():
    limits = ComponentLimits(
        per_point_min=D("0.2"),
        per_point_max=D("0.2"),
        per_session_min=D("10"),
        per_session_max=D("10"),
        session_ceiling=D("10"),
        max_points=50,
    )
    assert check_dose(limits, Amount(per_point=D("0.2"), points=50)) == []


def test_a_minimum_equal_to_its_maximum_is_consistent():
    # Deoxycholic acid: exactly 0.2 mL a point (Kybella label).
    limits = ComponentLimits(
        per_point_min=D("0.2"),
        per_point_max=D("0.2"),
        per_session_min=D("10"),
        per_session_max=D("10"),
        session_ceiling=D("10"),
    )
    assert limits_errors(limits) == []


def test_it_says_which_units_cannot_be_compared():
    with pytest.raises(UnitMismatch) as raised:
        convert_concentration(D(1), "IU/mL", "mg/mL")
    assert str(raised.value) == "IU/mL cannot be converted to mg/mL"
    assert compatible_units("IU/mL", "IU/mL")
