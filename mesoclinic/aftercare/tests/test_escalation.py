"""The escalation rules, pure: each trigger on its own, each non-trigger, and properties."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.aftercare import escalation
from mesoclinic.aftercare.escalation import Effect, Rules, Trigger, decide
from mesoclinic.aftercare.vocabulary import EFFECTS

SESSION = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
RULES = Rules()


def judged(*effects, hours=24):
    return decide(
        effects, session_ended_at=SESSION, reported_at=SESSION + timedelta(hours=hours), rules=RULES
    )


def test_it_logs_an_expected_mild_effect_within_72_hours_without_alarm():
    decision = judged(Effect("erythema", grade=1), Effect("bruising", grade=1), hours=48)
    assert not decision.escalate and decision.checklist == ()


def test_it_escalates_a_grade_two_effect_on_its_own():
    decision = judged(Effect("swelling", grade=2), hours=24)
    assert decision.triggers == ((Trigger.GRADE, "swelling"),)
    assert "review_in_person" in decision.checklist and decision.checklist[-1] == "report_lots"


def test_a_grade_below_the_threshold_does_not_escalate_but_a_lower_threshold_does():
    assert not judged(Effect("pain_burning", grade=1)).escalate
    strict = decide(
        [Effect("pain_burning", grade=1)],
        session_ended_at=SESSION,
        reported_at=SESSION + timedelta(hours=2),
        rules=Rules(escalate_grade=1),
    )
    assert strict.triggers == ((Trigger.GRADE, "pain_burning"),)


def test_an_expected_effect_still_present_after_72_hours_escalates_and_at_72_it_does_not():
    assert not judged(Effect("bruising", grade=1), hours=72).escalate
    late = judged(Effect("bruising", grade=1), hours=73)
    assert late.triggers == ((Trigger.PERSISTING, "bruising"),)


def test_an_expected_effect_gone_by_then_does_not_escalate():
    assert not judged(Effect("bruising", grade=1, present=False), hours=100).escalate


def test_a_nodule_appearing_after_seven_days_escalates_with_the_ntm_work_up():
    onset = SESSION + timedelta(days=8)
    decision = judged(Effect("nodule", onset=onset), hours=24 * 21)
    assert decision.triggers == ((Trigger.LATE_INFECTION, "nodule"),)
    assert {"acid_fast_smear", "culture", "biopsy"} <= set(decision.checklist)


def test_a_nodule_that_began_within_seven_days_is_not_a_late_infection():
    onset = SESSION + timedelta(days=6)
    decision = judged(Effect("nodule", grade=1, onset=onset), hours=24 * 7)
    assert Trigger.LATE_INFECTION not in {t for t, _ in decision.triggers}


def test_a_nodule_reported_late_with_no_onset_is_judged_at_the_report():
    decision = judged(Effect("abscess_discharge"), hours=24 * 8)
    assert (Trigger.LATE_INFECTION, "abscess_discharge") in decision.triggers


@pytest.mark.parametrize("code", ["rash_hives", "breathing_face_swelling"])
def test_any_sign_of_an_allergic_reaction_escalates_whatever_its_grade(code):
    decision = judged(Effect(code, grade=1, present=False), hours=1)
    assert (Trigger.ALLERGIC, code) in decision.triggers
    assert decision.checklist[0] == "assess_airway"


def test_only_breathing_or_a_swelling_face_sends_the_patient_to_emergency_care():
    assert judged(Effect("breathing_face_swelling")).emergency
    assert not judged(Effect("rash_hives")).emergency
    assert not judged(Effect("swelling", grade=3)).emergency


def test_the_clinic_can_move_an_effect_between_lists():
    rules = Rules(expected=frozenset(), late_infection=frozenset({"nodule", "papules"}))
    decision = decide(
        [Effect("papules", onset=SESSION + timedelta(days=10))],
        session_ended_at=SESSION,
        reported_at=SESSION + timedelta(days=10),
        rules=rules,
    )
    assert decision.triggers == ((Trigger.LATE_INFECTION, "papules"),)


effect_strategy = st.builds(
    Effect,
    code=st.sampled_from(EFFECTS),
    grade=st.none() | st.integers(1, 5),
    present=st.booleans(),
    onset=st.none() | st.integers(0, 84 * 24).map(lambda h: SESSION + timedelta(hours=h)),
)


@given(st.lists(effect_strategy, max_size=6), st.integers(1, 84 * 24))
def test_adding_an_effect_never_removes_a_trigger(effects, hours):
    reported = SESSION + timedelta(hours=hours)
    base = decide(effects[:-1], session_ended_at=SESSION, reported_at=reported, rules=RULES)
    more = decide(effects, session_ended_at=SESSION, reported_at=reported, rules=RULES)
    assert set(base.triggers) <= set(more.triggers)


@given(st.lists(effect_strategy, max_size=6), st.integers(1, 84 * 24))
def test_every_escalation_ends_its_checklist_with_the_lots_and_none_without(effects, hours):
    decision = decide(
        effects, session_ended_at=SESSION, reported_at=SESSION + timedelta(hours=hours), rules=RULES
    )
    assert (decision.checklist[-1:] == ("report_lots",)) == decision.escalate
    assert len(decision.checklist) == len(set(decision.checklist))


@given(st.lists(st.integers(-5, 3000), max_size=5))
def test_a_check_in_schedule_is_accepted_only_when_whole_ascending_and_in_range(hours):
    good = bool(hours) and hours == sorted(set(hours)) and all(1 <= h <= 2016 for h in hours)
    assert (escalation.check_in_offsets(hours) == []) == good


def test_a_cluster_is_reached_at_the_threshold_and_not_below():
    now = SESSION
    two = [now - timedelta(days=1), now - timedelta(days=40)]
    assert not escalation.cluster_reached(two, now=now, window_days=42, threshold=3)
    three = [*two, now - timedelta(days=41)]
    assert escalation.cluster_reached(three, now=now, window_days=42, threshold=3)
    outside = [*two, now - timedelta(days=43)]
    assert not escalation.cluster_reached(outside, now=now, window_days=42, threshold=3)


def test_an_emergency_sign_escalates_even_when_the_clinic_lists_no_allergic_sign():
    rules = Rules(allergic=frozenset(), escalate_grade=5)
    decision = decide(
        [Effect("breathing_face_swelling", grade=1)],
        session_ended_at=SESSION,
        reported_at=SESSION + timedelta(hours=1),
        rules=rules,
    )
    assert decision.emergency and decision.escalate
    assert decision.triggers == ((Trigger.ALLERGIC, "breathing_face_swelling"),)


@given(st.lists(effect_strategy, max_size=6), st.integers(1, 84 * 24))
def test_an_emergency_never_goes_without_an_escalation(effects, hours):
    decision = decide(
        effects,
        session_ended_at=SESSION,
        reported_at=SESSION + timedelta(hours=hours),
        rules=Rules(allergic=frozenset(), escalate_grade=5, late_infection=frozenset()),
    )
    assert not decision.emergency or decision.escalate
