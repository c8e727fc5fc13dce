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


def test_a_protocol_without_a_maintenance_range_accepts_any_maintenance():
    no_maintenance = course.Ranges(
        sessions=(1, 3), interval_days=(28, 56), maintenance_days=(None, None)
    )
    assert course.problems(course.Plan(2, 30, 365), no_maintenance) == []
    assert [p.field for p in course.problems(course.Plan(4, 30, 365), no_maintenance)] == [
        "sessions"
    ]


def test_the_seed_rule_gives_six_weekly_sessions_and_a_recall_three_months_on():
    laid_out = course.dates(date(2026, 12, 1), course.Plan(6, 7, 90))
    assert laid_out.sessions[-1] == date(2027, 1, 5)
    assert laid_out.maintenance_due == date(2027, 4, 5)


@pytest.mark.parametrize(
    ("number", "expected_sessions", "maintenance"),
    [
        # Session 1 three days late: the rest follow from it, a week apart.
        (1, ["12-04", "12-11", "12-18", "12-25"], date(2027, 3, 25)),
        # Session 3 of 4 on 12-04: the first two keep their targets, the last follows it.
        (3, ["12-01", "12-08", "12-04", "12-11"], date(2027, 3, 11)),
        # The last session: the recall comes 90 days after the day it happened.
        (4, ["12-01", "12-08", "12-15", "12-04"], date(2027, 3, 4)),
    ],
)
def test_the_dates_to_come_follow_the_session_as_it_happened(
    number, expected_sessions, maintenance
):
    plan = course.Plan(4, 7, 90)
    targets = course.dates(date(2026, 12, 1), plan).sessions
    laid_out = course.after_session(targets, plan, date(2026, 12, 4), number)
    assert [f"{d:%m-%d}" for d in laid_out.sessions] == expected_sessions
    assert laid_out.maintenance_due == maintenance


# --- the gate -------------------------------------------------------------------------------

NOW = datetime(2026, 12, 1, 10, 0)


def component_dose(**changes) -> gate.ComponentDose:
    """Tranexamic acid planned at 2 mL a session, protocol maximum 5 mL, ceiling 8 mL."""
    return gate.ComponentDose(
        **{
            "label": "Tranexamic acid",
            "planned": Decimal(2),
            "given": Decimal(2),
            "per_session_max": Decimal(5),
            "session_ceiling": Decimal(8),
            **changes,
        }
    )


def passing_facts(**changes) -> gate.GateFacts:
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
        # The protocol's 14 days since the course's last session, to the day.
        "session_on": NOW.date(),
        "last_session_on": NOW.date() - timedelta(days=14),
        "min_interval_days": 14,
        "doses": (component_dose(),),
    }
    facts.update(changes)
    return gate.GateFacts(**facts)


def test_everything_in_order_passes():
    assert gate.check(passing_facts()) == ()


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
    gate.Condition.SAME_DAY: {"last_session_on": NOW.date()},
    gate.Condition.TOO_SOON: {"last_session_on": NOW.date() - timedelta(days=13)},
    gate.Condition.DAILY_LIMIT: {
        "doses": (component_dose(given=Decimal(2), given_earlier_today=Decimal("3.5")),)
    },
    gate.Condition.ABOVE_PLAN: {"doses": (component_dose(given=Decimal("2.5")),)},
    gate.Condition.ADVERSE_EVENT_OPEN: {"open_adverse_events": ("AE-7",)},
}


def test_every_condition_has_a_failing_case():
    assert set(FAILING) == set(gate.Condition)


@pytest.mark.parametrize("condition", list(FAILING), ids=str)
def test_each_condition_alone_is_the_one_failure_named(condition):
    assert [f.condition for f in gate.check(passing_facts(**FAILING[condition]))] == [condition]


def test_an_unusable_lot_is_named_with_why():
    lot = gate.LotState("TXA-1", Decimal("2"), Decimal("5"), ("recalled", "expired"))
    (failure,) = gate.check(passing_facts(lots=(lot,)))
    assert failure.detail == ("TXA-1:recalled+expired",)


def test_a_justified_relative_reason_passes():
    assert (
        gate.check(passing_facts(relative_reasons=("bleeding_risk",), relative_justified=True))
        == ()
    )


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
        gate.Condition.TOO_SOON,  # the last session's day, shared with SAME_DAY
        gate.Condition.ABOVE_PLAN,  # the doses, shared with DAILY_LIMIT
    }
)


@given(st.sets(st.sampled_from(INDEPENDENT)))
def test_every_failing_condition_is_named_at_once(conditions):
    change = {}
    for condition in conditions:
        change.update(FAILING[condition])
    assert {failure.condition for failure in gate.check(passing_facts(**change))} == conditions


# --- time and totals (issue 15) ------------------------------------------------------------


def _only(**changes):
    return [(f.condition, f.detail) for f in gate.check(passing_facts(**changes))]


@pytest.mark.parametrize(
    ("days_since", "expected"),
    [
        (0, [(gate.Condition.SAME_DAY, ("2026-12-01",))]),
        (-1, [(gate.Condition.SAME_DAY, ("2026-12-02",))]),  # dated before the last: never
        (1, [(gate.Condition.TOO_SOON, ("2026-11-30", "2026-12-14"))]),
        (13, [(gate.Condition.TOO_SOON, ("2026-11-18", "2026-12-02"))]),
        (14, []),  # exactly the minimum interval
        (60, []),
    ],
)
def test_the_interval_since_the_courses_last_session_names_its_date_and_the_earliest(
    days_since, expected
):
    assert _only(last_session_on=NOW.date() - timedelta(days=days_since)) == expected


def test_the_next_session_may_come_the_protocols_minimum_interval_after_the_last():
    assert gate.earliest_next(date(2026, 12, 1), 14) == date(2026, 12, 15)
    assert gate.earliest_next(date(2026, 12, 1), 0) == date(2026, 12, 1)
    assert gate.earliest_next(None, 14) is None  # before the first session


def test_a_first_session_has_no_interval_to_keep():
    assert _only(last_session_on=None) == []


def test_a_dermatologists_override_passes_too_soon_but_never_the_same_day():
    too_soon = NOW.date() - timedelta(days=7)
    assert _only(last_session_on=too_soon, interval_overridden=True) == []
    assert _only(last_session_on=NOW.date(), interval_overridden=True) == [
        (gate.Condition.SAME_DAY, ("2026-12-01",))
    ]


def test_a_zero_day_minimum_still_refuses_the_same_day():
    assert _only(last_session_on=NOW.date(), min_interval_days=0) == [
        (gate.Condition.SAME_DAY, ("2026-12-01",))
    ]
    assert _only(last_session_on=NOW.date() - timedelta(days=1), min_interval_days=0) == []


@pytest.mark.parametrize(
    ("earlier", "given", "override", "expected"),
    [
        ("3", "2", None, []),  # 5 mL in the day: exactly the maximum
        ("3.01", "2", None, ["5.01|5|Tranexamic acid"]),
        ("4", "2", None, ["6|5|Tranexamic acid"]),
        ("4", "2", "6", []),  # an override covering the day's total
        ("4", "2", "5.99", ["6|5|Tranexamic acid"]),  # one that does not
        ("6", "2", "20", []),  # 8 mL: exactly the ceiling, with an override
        ("6.5", "2", "20", ["8.5|8|Tranexamic acid"]),  # past the ceiling: no override passes it
        ("0", "2", None, []),  # nothing earlier: the session alone is checked when charted
    ],
)
def test_the_days_total_across_sessions_keeps_the_protocols_session_limits(
    earlier, given, override, expected
):
    dose = component_dose(
        given=Decimal(given),
        given_earlier_today=Decimal(earlier),
        override_total=Decimal(override) if override else None,
    )
    failures = gate.check(passing_facts(doses=(dose,)))
    assert [f.detail for f in failures if f.condition == gate.Condition.DAILY_LIMIT] == (
        [tuple(expected)] if expected else []
    )


def test_a_day_limit_without_a_ceiling_or_maximum_is_not_invented():
    dose = component_dose(
        given_earlier_today=Decimal(50), per_session_max=None, session_ceiling=None
    )
    assert gate.check(passing_facts(doses=(dose,))) == ()


@pytest.mark.parametrize(
    ("given", "override", "refused"),
    [
        ("2", None, False),  # exactly the plan
        ("1.5", None, False),  # less is fine
        ("2.01", None, True),
        ("4", "4", False),  # an override covering it
        ("4", "3.99", True),
    ],
)
def test_more_than_the_plans_volume_needs_an_override(given, override, refused):
    dose = component_dose(
        given=Decimal(given), override_total=Decimal(override) if override else None
    )
    failures = gate.check(passing_facts(doses=(dose,)))
    expected = [(gate.Condition.ABOVE_PLAN, (f"{Decimal(given).normalize():f}|2|Tranexamic acid",))]
    assert [(f.condition, f.detail) for f in failures] == (expected if refused else [])


def test_each_component_above_its_plan_is_named():
    doses = (
        component_dose(label="Tranexamic acid", given=Decimal(3)),
        component_dose(label="Vitamin C", planned=Decimal(1), given=Decimal(1)),
        component_dose(label="Glutathione", planned=Decimal(1), given=Decimal("1.5")),
    )
    (failure,) = gate.check(passing_facts(doses=doses))
    assert failure.detail == ("1.5|1|Glutathione", "3|2|Tranexamic acid")
