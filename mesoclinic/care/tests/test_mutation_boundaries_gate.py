"""The safety gate at its edges, and what each failure names (found by `make mutation`).

Hypothesis seldom draws an exact boundary, so each one is written out: a screening exactly at
its maximum age, a lot holding exactly the amount needed. A failure must name every reason,
ingredient and lot concerned, in a stable order, or the practitioner cannot put it right.
"""

from datetime import timedelta
from decimal import Decimal

from mesoclinic.care import gate
from mesoclinic.care.tests.test_course_and_gate import NOW, component_dose, passing_facts


def _only(facts):
    (failure,) = gate.check(facts)
    return failure


def test_it_accepts_a_screening_exactly_at_its_maximum_age():
    assert gate.check(passing_facts(screening_at=NOW - timedelta(days=90))) == ()


def test_it_refuses_a_screening_one_second_past_its_maximum_age():
    failure = _only(passing_facts(screening_at=NOW - timedelta(days=90, seconds=1)))
    assert failure == gate.Failure(gate.Condition.SCREENING_STALE)


def test_it_accepts_a_lot_holding_exactly_the_amount_needed():
    lot = gate.LotState("TXA-1", needed=Decimal("2.0"), balance=Decimal("2"))
    assert gate.check(passing_facts(lots=(lot,))) == ()


def test_it_names_only_the_lots_short_of_what_is_needed():
    lots = (
        gate.LotState("TXA-9", needed=Decimal("2"), balance=Decimal("1.99")),
        gate.LotState("TXA-1", needed=Decimal("2"), balance=Decimal("2")),
        gate.LotState("HA-3", needed=Decimal("1"), balance=Decimal("0")),
    )
    assert _only(passing_facts(lots=lots)) == gate.Failure(
        gate.Condition.LOT_INSUFFICIENT, ("HA-3", "TXA-9")
    )


def test_it_names_every_lot_whose_composition_is_unknown():
    lots = (
        gate.LotState("MIX-2", Decimal("1"), Decimal("5"), composition_known=False),
        gate.LotState("TXA-1", Decimal("2"), Decimal("5")),
        gate.LotState("MIX-1", Decimal("1"), Decimal("5"), composition_known=False),
    )
    assert _only(passing_facts(lots=lots)) == gate.Failure(
        gate.Condition.COMPOSITION_UNKNOWN, ("MIX-1", "MIX-2")
    )


def test_it_names_every_absolute_reason():
    failure = _only(passing_facts(absolute_reasons=("pregnancy", "infection_at_site")))
    assert failure == gate.Failure(
        gate.Condition.CONTRAINDICATED, ("infection_at_site", "pregnancy")
    )


def test_it_names_every_relative_reason_not_yet_justified():
    failure = _only(passing_facts(relative_reasons=("tranexamic_acid_caution", "bleeding_risk")))
    assert failure == gate.Failure(
        gate.Condition.RELATIVE_NOT_JUSTIFIED, ("bleeding_risk", "tranexamic_acid_caution")
    )


def test_it_names_the_ingredients_with_a_positive_patch_test():
    cocktail = frozenset({"tranexamic_acid", "glutathione", "vitamin_c"})
    failure = _only(
        passing_facts(
            cocktail=cocktail,
            negative_patch_tests=frozenset({"vitamin_c"}),
            positive_patch_tests=frozenset({"tranexamic_acid", "glutathione", "biotin"}),
        )
    )
    # Biotin is not in tonight's cocktail: its positive test is not this session's problem.
    assert failure == gate.Failure(
        gate.Condition.PATCH_TEST_POSITIVE, ("glutathione", "tranexamic_acid")
    )


def test_it_names_the_ingredients_without_a_valid_negative_patch_test():
    cocktail = frozenset({"tranexamic_acid", "glutathione", "vitamin_c"})
    failure = _only(passing_facts(cocktail=cocktail, negative_patch_tests=frozenset({"vitamin_c"})))
    assert failure == gate.Failure(
        gate.Condition.PATCH_TEST_MISSING, ("glutathione", "tranexamic_acid")
    )


def _daily(**changes):
    dose = component_dose(**changes)
    failures = gate.check(passing_facts(doses=(dose,)))
    return [f.detail for f in failures if f.condition == gate.Condition.DAILY_LIMIT]


def test_a_session_alone_is_not_a_days_total():
    # Nothing given earlier that day: the protocol's own check at charting judges this amount.
    assert _daily(given=Decimal(9), planned=Decimal(9), given_earlier_today=Decimal(0)) == []


def test_even_half_a_millilitre_earlier_that_day_counts_toward_the_limit():
    assert _daily(given=Decimal(5), planned=Decimal(5), given_earlier_today=Decimal("0.5")) == [
        ("5.5|5|Tranexamic acid",)
    ]


def test_it_names_the_exact_credential_and_permission_problems():
    failures = gate.check(
        passing_facts(
            practitioner_credentialed=False,
            credential_problems=("expired:2026-11-30", "body:pnmc"),
            practitioner_allowed=False,
            permission_problems=("step:plan",),
        )
    )
    assert failures == (
        gate.Failure(
            gate.Condition.PRACTITIONER_NOT_CREDENTIALED, ("body:pnmc", "expired:2026-11-30")
        ),
        gate.Failure(gate.Condition.PRACTITIONER_NOT_ALLOWED, ("step:plan",)),
    )
