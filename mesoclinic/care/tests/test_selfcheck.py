"""The public self-check's verdict from the seed rules: no database, plain data in and out."""

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.care.rules import (
    INGREDIENTS,
    Decision,
    Evaluation,
    Facts,
    Policy,
    Reason,
    Rule,
    Severity,
    evaluate,
    rule_from_mapping,
)
from mesoclinic.care.selfcheck import SelfCheckVerdict, self_check_verdict
from mesoclinic.care.tests.strategies import facts_strategy

SEED = Path(__file__).resolve().parent.parent / "seed" / "rules_v1.json"
POLICY = Policy(
    rules=tuple(rule_from_mapping(item) for item in json.loads(SEED.read_text(encoding="utf-8")))
)

# Typical agents for each concern (CLINICAL.md, "Indications and default protocols").
MELASMA = ("tranexamic_acid", "kojic_acid", "ascorbic_acid", "glutathione")
HAIR_LOSS = ("dutasteride", "minoxidil", "biotin")


def verdict(facts, ingredients=MELASMA, indication="melasma", policy=POLICY):
    evaluation = evaluate(facts, policy, ingredients=ingredients, indication=indication)
    return self_check_verdict(evaluation)


def test_it_says_not_suitable_now_during_pregnancy():
    assert verdict(Facts(sex="female", pregnant=True)) == SelfCheckVerdict.NOT_SUITABLE_NOW


def test_it_says_not_suitable_now_with_an_infection_at_the_site():
    facts = Facts(conditions={"infection_at_site"})
    assert verdict(facts) == SelfCheckVerdict.NOT_SUITABLE_NOW


def test_it_says_not_suitable_now_while_breastfeeding_by_default():
    assert verdict(Facts(breastfeeding=True)) == SelfCheckVerdict.NOT_SUITABLE_NOW


def test_it_sends_someone_on_blood_thinners_to_talk_to_a_doctor():
    facts = Facts(medications={"anticoagulant"})
    assert verdict(facts) == SelfCheckVerdict.TALK_TO_DOCTOR


def test_it_sends_a_thrombosis_history_to_a_doctor_who_may_choose_a_cocktail_without_txa():
    facts = Facts(conditions={"thromboembolism"})
    evaluation = evaluate(facts, POLICY, ingredients=MELASMA, indication="melasma")
    assert evaluation.decision == Decision.CONTRAINDICATED
    assert self_check_verdict(evaluation) == SelfCheckVerdict.TALK_TO_DOCTOR


def test_it_sends_possible_pregnancy_with_hair_loss_to_a_doctor_who_may_leave_out_dutasteride():
    facts = Facts(sex="female", may_become_pregnant=True)
    verdict_ = verdict(facts, ingredients=HAIR_LOSS, indication="androgenetic_alopecia")
    assert verdict_ == SelfCheckVerdict.TALK_TO_DOCTOR


def test_it_sends_an_allergy_to_a_typical_ingredient_to_a_doctor():
    assert verdict(Facts(allergies={"kojic_acid"})) == SelfCheckVerdict.TALK_TO_DOCTOR


def test_it_sends_a_positive_patch_test_to_a_typical_ingredient_to_a_doctor():
    facts = Facts(positive_patch_tests={"glutathione"})
    assert verdict(facts) == SelfCheckVerdict.TALK_TO_DOCTOR


def test_it_sends_an_unknown_reaction_to_a_doctor_for_a_patch_test():
    assert verdict(Facts(unspecified_allergy=True)) == SelfCheckVerdict.TALK_TO_DOCTOR


def test_it_sends_an_ingredient_the_clinic_does_not_know_to_a_doctor():
    assert verdict(Facts(), ingredients=("snail_mucin",)) == SelfCheckVerdict.TALK_TO_DOCTOR


def test_it_invites_someone_with_nothing_to_report_to_book_a_consultation():
    assert verdict(Facts(sex="female", age=31)) == SelfCheckVerdict.BOOK_CONSULTATION


def test_it_still_says_not_suitable_when_a_general_block_also_matched_an_allergy():
    rule = Rule(
        code="either",
        severity=Severity.ABSOLUTE,
        triggers=("flag:pregnant", "allergy:planned"),
        message_en="en",
        message_ur="ur",
        source="test",
    )
    facts = Facts(pregnant=True, allergies={"kojic_acid"})
    assert verdict(facts, policy=Policy(rules=(rule,))) == SelfCheckVerdict.NOT_SUITABLE_NOW


def test_it_reads_only_the_reasons():
    blocked = Reason(code="x", severity=Severity.ABSOLUTE, message_en="", message_ur="", source="")
    avoidable = Reason(
        code="y",
        severity=Severity.ABSOLUTE,
        message_en="",
        message_ur="",
        source="",
        ingredients=("dutasteride",),
        depends_on_plan=True,
    )
    contraindicated = Decision.CONTRAINDICATED
    assert self_check_verdict(Evaluation(contraindicated, (blocked, avoidable))) == (
        SelfCheckVerdict.NOT_SUITABLE_NOW
    )
    assert self_check_verdict(Evaluation(contraindicated, (avoidable,))) == (
        SelfCheckVerdict.TALK_TO_DOCTOR
    )


@given(
    facts_strategy,
    st.lists(st.sampled_from(INGREDIENTS), max_size=5),
)
def test_it_agrees_with_the_decision(facts, planned):
    evaluation = evaluate(facts, POLICY, ingredients=planned)
    result = self_check_verdict(evaluation)
    booking = result == SelfCheckVerdict.BOOK_CONSULTATION
    assert booking == (evaluation.decision == Decision.ELIGIBLE)
    if result == SelfCheckVerdict.NOT_SUITABLE_NOW:
        assert evaluation.decision == Decision.CONTRAINDICATED
    if facts.pregnant or facts.conditions & {"infection_at_site", "active_skin_disease_at_site"}:
        assert result == SelfCheckVerdict.NOT_SUITABLE_NOW


def test_it_never_gives_the_all_clear_to_someone_who_declared_a_condition():
    # G6PD deficiency only matters for vitamin C or glutathione; a hyaluronic-acid guess stays
    # silent, but the doctor may choose a vitamin cocktail, so the visitor must talk to them.
    quiet = Evaluation(decision=Decision.ELIGIBLE, reasons=())
    assert self_check_verdict(quiet, declared=True) == SelfCheckVerdict.TALK_TO_DOCTOR
    assert self_check_verdict(quiet) == SelfCheckVerdict.BOOK_CONSULTATION
