"""Pure rules for issue 7: course dates and the safety gate, with hypothesis."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.care import course, gate

# --- course dates ---------------------------------------------------------------------------

plans = st.builds(
    course.Plan,
    sessions=st.integers(1, 12),
    interval_days=st.integers(1, 60),
    maintenance_days=st.integers(1, 365),
)


@given(st.dates(date(2020, 1, 1), date(2035, 1, 1)), plans)
def test_sessions_are_evenly_spaced_from_the_start_and_maintenance_follows_the_last(start, plan):
    laid_out = course.dates(start, plan)
    assert len(laid_out.sessions) == plan.sessions
    assert laid_out.sessions[0] == start
    gaps = {(b - a).days for a, b in zip(laid_out.sessions, laid_out.sessions[1:], strict=False)}
    assert gaps <= {plan.interval_days}
    assert laid_out.maintenance_due - laid_out.sessions[-1] == timedelta(plan.maintenance_days)


ranges = course.Ranges(sessions=(4, 6), interval_days=(7, 14), maintenance_days=(90, 180))


@given(plans)
def test_a_plan_fits_exactly_when_every_value_is_inside_the_protocols_range(plan):
    found = {problem.field for problem in course.problems(plan, ranges)}
    assert ("sessions" in found) == (not 4 <= plan.sessions <= 6)
    assert ("interval_days" in found) == (not 7 <= plan.interval_days <= 14)
    assert ("maintenance_days" in found) == (not 90 <= plan.maintenance_days <= 180)


def test_the_seed_rule_gives_six_weekly_sessions_and_a_recall_three_months_on():
    laid_out = course.dates(date(2026, 12, 1), course.Plan(6, 7, 90))
    assert laid_out.sessions[-1] == date(2027, 1, 5)
    assert laid_out.maintenance_due == date(2027, 4, 5)


# --- the gate -------------------------------------------------------------------------------

NOW = datetime(2026, 12, 1, 10, 0)


def _passing(**changes) -> gate.GateFacts:
    facts = {
        "now": NOW,
        "screening_at": NOW - timedelta(days=3),
        "screening_max_age_days": 90,
        "screening_outdated": False,
        "pregnancy_confirmed_today": True,
        "pregnant_or_breastfeeding_today": False,
        "absolute_reasons": (),
        "relative_reasons": (),
        "relative_justified": False,
        "consent_valid": True,
        "cocktail": frozenset({"tranexamic_acid"}),
        "negative_patch_tests": frozenset({"tranexamic_acid"}),
        "positive_patch_tests": frozenset(),
        "practitioner_credentialed": True,
        "practitioner_allowed": True,
        "course_active": True,
        "lots": (gate.LotState("TXA-1", needed=Decimal("2"), balance=Decimal("5")),),
    }
    facts.update(changes)
    return gate.GateFacts(**facts)


def test_everything_in_order_passes():
    assert gate.check(_passing()) == ()


FAILING = {
    gate.Condition.SCREENING_MISSING: {"screening_at": None},
    gate.Condition.SCREENING_STALE: {"screening_at": NOW - timedelta(days=91)},
    gate.Condition.SCREENING_OUTDATED: {"screening_outdated": True},
    gate.Condition.PREGNANCY_NOT_CONFIRMED: {"pregnancy_confirmed_today": False},
    gate.Condition.PREGNANT_OR_BREASTFEEDING: {"pregnant_or_breastfeeding_today": True},
    gate.Condition.CONTRAINDICATED: {"absolute_reasons": ("pregnancy",)},
    gate.Condition.RELATIVE_NOT_JUSTIFIED: {"relative_reasons": ("bleeding_risk",)},
    gate.Condition.CONSENT_MISSING: {"consent_valid": False},
    gate.Condition.PATCH_TEST_MISSING: {"negative_patch_tests": frozenset()},
    gate.Condition.PATCH_TEST_POSITIVE: {
        "negative_patch_tests": frozenset(),
        "positive_patch_tests": frozenset({"tranexamic_acid"}),
    },
    gate.Condition.PRACTITIONER_NOT_CREDENTIALED: {"practitioner_credentialed": False},
    gate.Condition.PRACTITIONER_NOT_ALLOWED: {"practitioner_allowed": False},
    gate.Condition.LOT_UNUSABLE: {
        "lots": (gate.LotState("TXA-1", Decimal("2"), Decimal("5"), ("recalled",)),)
    },
    gate.Condition.LOT_INSUFFICIENT: {
        "lots": (gate.LotState("TXA-1", Decimal("2"), Decimal("1.5")),)
    },
    gate.Condition.COMPOSITION_UNKNOWN: {
        "lots": (gate.LotState("TXA-1", Decimal("2"), Decimal("5"), composition_known=False),)
    },
    gate.Condition.COURSE_NOT_ACTIVE: {"course_active": False},
}


def test_every_condition_has_a_failing_case():
    assert set(FAILING) == set(gate.Condition)


@pytest.mark.parametrize("condition", list(FAILING), ids=str)
def test_each_condition_alone_is_the_one_failure_named(condition):
    assert [f.condition for f in gate.check(_passing(**FAILING[condition]))] == [condition]


def test_an_unusable_lot_is_named_with_why():
    lot = gate.LotState("TXA-1", Decimal("2"), Decimal("5"), ("recalled", "expired"))
    (failure,) = gate.check(_passing(lots=(lot,)))
    assert failure.detail == ("TXA-1:recalled+expired",)


def test_a_justified_relative_reason_passes():
    assert gate.check(_passing(relative_reasons=("bleeding_risk",), relative_justified=True)) == ()


#: Conditions whose changes touch different facts, so any mix of them can be combined (the two
#: lot conditions share the lots, the two screening-age ones the screening time; a positive
#: patch test is not also "missing").
INDEPENDENT = sorted(
    set(FAILING)
    - {
        gate.Condition.LOT_INSUFFICIENT,
        gate.Condition.COMPOSITION_UNKNOWN,
        gate.Condition.PATCH_TEST_MISSING,
        gate.Condition.SCREENING_STALE,
    }
)


@given(st.sets(st.sampled_from(INDEPENDENT)))
def test_every_failing_condition_is_named_at_once(conditions):
    change = {}
    for condition in conditions:
        change.update(FAILING[condition])
    assert {failure.condition for failure in gate.check(_passing(**change))} == conditions
