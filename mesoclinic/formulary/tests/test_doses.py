"""Dose checks are pure: hypothesis explores amounts and limits."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.formulary.doses import (
    Amount,
    ComponentLimits,
    Limit,
    UnitMismatch,
    check_dose,
    compatible_units,
    convert_concentration,
    limits_errors,
)

volumes = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("50"), places=3)
points = st.integers(min_value=1, max_value=200)


@st.composite
def limits_and_amounts(draw):
    low, high = sorted([draw(volumes), draw(volumes)])
    session_low, session_high = sorted([draw(volumes), draw(volumes)])
    limits = ComponentLimits(
        per_point_min=low,
        per_point_max=high,
        per_session_min=session_low,
        per_session_max=session_high,
        session_ceiling=session_high + draw(st.sampled_from([Decimal(0), Decimal(1)])),
        max_points=draw(points),
    )
    amount = Amount(per_point=draw(volumes), points=draw(points))
    return limits, amount


@given(limits_and_amounts())
def test_it_names_exactly_the_limits_an_amount_crosses(case):
    limits, amount = case
    crossed = {v.limit for v in check_dose(limits, amount)}
    total = amount.per_point * amount.points
    assert (Limit.PER_POINT_MIN in crossed) == (amount.per_point < limits.per_point_min)
    assert (Limit.PER_POINT_MAX in crossed) == (amount.per_point > limits.per_point_max)
    assert (Limit.PER_SESSION_MIN in crossed) == (total < limits.per_session_min)
    assert (Limit.PER_SESSION_MAX in crossed) == (total > limits.per_session_max)
    assert (Limit.SESSION_CEILING in crossed) == (total > limits.session_ceiling)
    assert (Limit.MAX_POINTS in crossed) == (amount.points > limits.max_points)


@given(limits_and_amounts())
def test_each_violation_carries_the_limit_it_crossed(case):
    limits, amount = case
    for violation in check_dose(limits, amount):
        assert violation.allowed == getattr(limits, violation.limit.value)


@given(volumes, volumes)
def test_an_amount_within_every_limit_passes(low, high):
    low, high = sorted([low, high])
    limits = ComponentLimits(per_point_min=low, per_point_max=high, session_ceiling=high * 10)
    assert check_dose(limits, Amount(per_point=low, points=10)) == []
    assert check_dose(limits, Amount(per_point=high, points=10)) == []


@given(st.decimals(max_value=Decimal("0"), places=3, allow_nan=False))
def test_it_refuses_a_volume_of_zero_or_less_outright(volume):
    violations = check_dose(ComponentLimits(), Amount(per_point=volume, points=3))
    assert [v.limit for v in violations] == [Limit.NOT_POSITIVE]


def test_no_limits_means_no_refusal():
    assert check_dose(ComponentLimits(), Amount(total=Decimal("99"))) == []


def test_the_deoxycholic_acid_label_ceiling_is_named():
    # Kybella: 0.2 mL per point, at most 50 points (10 mL) a session.
    limits = ComponentLimits(
        per_point_min=Decimal("0.2"),
        per_point_max=Decimal("0.2"),
        session_ceiling=Decimal("10"),
        max_points=50,
    )
    crossed = {v.limit: v for v in check_dose(limits, Amount(per_point=Decimal("0.2"), points=60))}
    assert crossed[Limit.MAX_POINTS].allowed == 50
    assert crossed[Limit.SESSION_CEILING].given == Decimal("12.0")


def test_inconsistent_limits_are_named_by_field():
    limits = ComponentLimits(
        per_point_min=Decimal("0.3"),
        per_point_max=Decimal("0.1"),
        per_session_max=Decimal("5"),
        session_ceiling=Decimal("4"),
        max_points=0,
    )
    assert set(limits_errors(limits)) == {"per_point_max", "session_ceiling", "max_points"}


@given(st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("100"), places=4))
def test_percent_and_mg_per_ml_convert_both_ways(value):
    as_mg = convert_concentration(value, "%", "mg/mL")
    assert as_mg == value * 10
    assert convert_concentration(as_mg, "mg/mL", "%") == value


def test_units_that_measure_different_things_do_not_convert():
    assert not compatible_units("IU/mL", "mg/mL")
    assert compatible_units("mcg/mL", "%")
    try:
        convert_concentration(Decimal(1), "IU/mL", "%")
    except UnitMismatch:
        pass
    else:  # pragma: no cover
        raise AssertionError("IU/mL converted to %")


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1"), places=2),
    points,
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("300"), places=2),
)
def test_a_typed_total_cannot_hide_what_the_points_add_up_to(per_point, n, typed_total):
    limits = ComponentLimits(session_ceiling=Decimal("10"))
    amount = Amount(per_point=per_point, points=n, total=typed_total)
    crossed = {v.limit for v in check_dose(limits, amount)}
    assert (Limit.SESSION_CEILING in crossed) == (max(per_point * n, typed_total) > 10)
