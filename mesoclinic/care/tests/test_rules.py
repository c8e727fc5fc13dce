"""The contraindication engine and its seed rules: no database, plain data in and out."""

import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mesoclinic.care.rules import (
    AGE_TRIGGER,
    CONDITIONS,
    FLAGS,
    INDICATIONS,
    INGREDIENTS,
    MEDICATIONS,
    TRIGGER_KINDS,
    UNKNOWN_INGREDIENT,
    Decision,
    Facts,
    InvalidFacts,
    InvalidPolicy,
    InvalidRule,
    Policy,
    Reason,
    Rule,
    Severity,
    evaluate,
    parse_facts,
    rule_errors,
    rule_from_mapping,
    trigger_error,
)
from mesoclinic.care.tests.strategies import facts_strategy

SEED = Path(__file__).resolve().parent.parent / "seed" / "rules_v1.json"
SEED_DATA = json.loads(SEED.read_text(encoding="utf-8"))
SEED_POLICY = Policy(rules=tuple(rule_from_mapping(item) for item in SEED_DATA))
SEED_RULES = {rule.code: rule for rule in SEED_POLICY.rules}

RANK = {Decision.ELIGIBLE: 0, Decision.NEEDS_REVIEW: 1, Decision.CONTRAINDICATED: 2}
ALL_TRIGGERS = tuple(f"{kind}:{code}" for kind, codes in TRIGGER_KINDS.items() for code in codes)


def codes(evaluation):
    return [reason.code for reason in evaluation.reasons]


def make_rule(code="test_rule", severity=Severity.RELATIVE, triggers=("flag:pregnant",), **extra):
    return Rule(
        code=code,
        severity=severity,
        triggers=triggers,
        message_en=extra.pop("message_en", f"{code} in English."),
        message_ur=extra.pop("message_ur", f"{code} اردو میں۔"),
        source=extra.pop("source", "test"),
        **extra,
    )


# --- the seed file ---------------------------------------------------------------------------


def test_it_seeds_rules_that_validate_with_unique_codes():
    assert all(rule_errors(rule) == [] for rule in SEED_POLICY.rules)
    all_codes = [item["code"] for item in SEED_DATA]
    assert len(all_codes) == len(set(all_codes))


def test_it_seeds_every_contraindication_of_clinical_md():
    assert set(SEED_RULES) == {
        "pregnancy",
        "breastfeeding",
        "infection_at_site",
        "active_skin_disease_at_site",
        "ingredient_allergy",
        "positive_patch_test",
        "dutasteride_pregnancy_potential",
        "tranexamic_acid_thrombosis",
        "bleeding_risk",
        "tranexamic_acid_caution",
        "isotretinoin",
        "immunosuppression",
        "uncontrolled_diabetes",
        "keloid_tendency",
        "autoimmune_disease",
        "g6pd_vitamin_c_glutathione",
        "unspecified_allergy",
        "minor",  # not in CLINICAL.md: mesoclinic default, clinic to confirm
    }


def test_it_seeds_blocks_as_absolute_and_the_rest_as_relative():
    absolute = {code for code, rule in SEED_RULES.items() if rule.severity == Severity.ABSOLUTE}
    assert absolute == {
        "pregnancy",
        "breastfeeding",  # "default block, overridable by the clinic's policy only"
        "infection_at_site",
        "active_skin_disease_at_site",
        "ingredient_allergy",
        "positive_patch_test",
        "dutasteride_pregnancy_potential",
        "tranexamic_acid_thrombosis",
    }


def test_it_marks_the_rules_resting_on_unverified_facts_for_the_clinic_to_confirm():
    # Autoimmune disease and the patch-test protocol are marked unverified in CLINICAL.md.
    # The minor rule's age has no source in CLINICAL.md: mesoclinic default, clinic to confirm.
    unverified = {code for code, rule in SEED_RULES.items() if rule.unverified}
    assert unverified == {"autoimmune_disease", "unspecified_allergy", "minor"}


def test_it_says_where_breastfeeding_can_be_overridden():
    assert "overridable by the clinic's policy" in SEED_RULES["breastfeeding"].source


def test_it_cites_clinical_md_for_every_seeded_rule():
    assert all("CLINICAL.md" in rule.source for rule in SEED_POLICY.rules)


@pytest.mark.parametrize("code", sorted(SEED_RULES))
def test_it_writes_urdu_messages_in_urdu_letters(code):
    message = SEED_RULES[code].message_ur
    # Arabic yeh, kaf and heh look alike but break Urdu search and shaping.
    assert not set(message) & {"\u064a", "\u0643", "\u0647"}
    assert message.endswith("۔")
    assert "." not in message
    assert SEED_RULES[code].message_en.endswith(".")


# Each seeded rule: facts and a planned cocktail that fire it...
FIRES = [
    ("pregnancy", Facts(pregnant=True), ()),
    ("breastfeeding", Facts(breastfeeding=True), ()),
    ("infection_at_site", Facts(conditions={"infection_at_site"}), ()),
    ("active_skin_disease_at_site", Facts(conditions={"active_skin_disease_at_site"}), ()),
    ("ingredient_allergy", Facts(allergies={"kojic_acid"}), ("tranexamic_acid", "kojic_acid")),
    ("positive_patch_test", Facts(positive_patch_tests={"glutathione"}), ("glutathione",)),
    ("dutasteride_pregnancy_potential", Facts(pregnant=True), ("dutasteride",)),
    ("dutasteride_pregnancy_potential", Facts(breastfeeding=True), ("dutasteride", "biotin")),
    ("dutasteride_pregnancy_potential", Facts(may_become_pregnant=True), ("dutasteride",)),
    ("tranexamic_acid_thrombosis", Facts(conditions={"thromboembolism"}), ("tranexamic_acid",)),
    ("tranexamic_acid_thrombosis", Facts(conditions={"thrombophilia"}), ("tranexamic_acid",)),
    ("bleeding_risk", Facts(medications={"anticoagulant"}), ()),
    ("bleeding_risk", Facts(medications={"antiplatelet"}), ()),
    ("bleeding_risk", Facts(conditions={"bleeding_disorder"}), ()),
    (
        "tranexamic_acid_caution",
        Facts(medications={"hormonal_contraception"}),
        ("tranexamic_acid",),
    ),
    ("tranexamic_acid_caution", Facts(conditions={"seizures"}), ("tranexamic_acid",)),
    ("tranexamic_acid_caution", Facts(conditions={"renal_impairment"}), ("tranexamic_acid",)),
    ("isotretinoin", Facts(medications={"isotretinoin_last_6_months"}), ()),
    ("immunosuppression", Facts(conditions={"immunosuppression"}), ()),
    ("uncontrolled_diabetes", Facts(conditions={"uncontrolled_diabetes"}), ()),
    ("keloid_tendency", Facts(conditions={"keloid_tendency"}), ()),
    ("autoimmune_disease", Facts(conditions={"autoimmune_disease"}), ()),
    ("g6pd_vitamin_c_glutathione", Facts(conditions={"g6pd_deficiency"}), ("ascorbic_acid",)),
    ("g6pd_vitamin_c_glutathione", Facts(conditions={"g6pd_deficiency"}), ("glutathione",)),
    ("unspecified_allergy", Facts(unspecified_allergy=True), ()),
    ("minor", Facts(age=14), ()),
]

# ...and a case just outside it, where it must stay silent.
SILENT = [
    ("pregnancy", Facts(may_become_pregnant=True), ()),
    ("breastfeeding", Facts(pregnant=True), ()),
    ("infection_at_site", Facts(conditions={"active_skin_disease_at_site"}), ()),
    ("active_skin_disease_at_site", Facts(conditions={"infection_at_site"}), ()),
    ("ingredient_allergy", Facts(allergies={"kojic_acid"}), ("tranexamic_acid",)),
    ("ingredient_allergy", Facts(positive_patch_tests={"kojic_acid"}), ("kojic_acid",)),
    ("positive_patch_test", Facts(positive_patch_tests={"glutathione"}), ("ascorbic_acid",)),
    ("positive_patch_test", Facts(allergies={"glutathione"}), ("glutathione",)),
    ("dutasteride_pregnancy_potential", Facts(may_become_pregnant=True), ("minoxidil",)),
    ("dutasteride_pregnancy_potential", Facts(sex="male"), ("dutasteride",)),
    ("tranexamic_acid_thrombosis", Facts(conditions={"thromboembolism"}), ("kojic_acid",)),
    ("tranexamic_acid_thrombosis", Facts(conditions={"bleeding_disorder"}), ("tranexamic_acid",)),
    ("bleeding_risk", Facts(medications={"hormonal_contraception"}), ()),
    ("tranexamic_acid_caution", Facts(medications={"hormonal_contraception"}), ("kojic_acid",)),
    ("tranexamic_acid_caution", Facts(medications={"anticoagulant"}), ("tranexamic_acid",)),
    ("isotretinoin", Facts(medications={"anticoagulant"}), ()),
    ("immunosuppression", Facts(conditions={"autoimmune_disease"}), ()),
    ("uncontrolled_diabetes", Facts(conditions={"g6pd_deficiency"}), ()),
    ("keloid_tendency", Facts(conditions={"immunosuppression"}), ()),
    ("autoimmune_disease", Facts(conditions={"immunosuppression"}), ()),
    ("g6pd_vitamin_c_glutathione", Facts(conditions={"g6pd_deficiency"}), ("tranexamic_acid",)),
    ("g6pd_vitamin_c_glutathione", Facts(conditions={"seizures"}), ("glutathione",)),
    ("unspecified_allergy", Facts(allergies={"kojic_acid"}), ("kojic_acid",)),
    ("minor", Facts(age=18), ()),
]


def _case_id(case):
    return case[0]


@pytest.mark.parametrize("case", FIRES, ids=_case_id)
def test_it_fires_each_seeded_rule_on_its_facts(case):
    code, facts, planned = case
    evaluation = evaluate(facts, SEED_POLICY, ingredients=planned)
    assert code in codes(evaluation)
    expected = {
        Severity.ABSOLUTE: Decision.CONTRAINDICATED,
        Severity.RELATIVE: Decision.NEEDS_REVIEW,
    }[SEED_RULES[code].severity]
    assert RANK[evaluation.decision] >= RANK[expected]


@pytest.mark.parametrize("case", SILENT, ids=_case_id)
def test_it_keeps_each_seeded_rule_silent_just_outside_it(case):
    code, facts, planned = case
    assert code not in codes(evaluate(facts, SEED_POLICY, ingredients=planned))


def test_it_has_a_firing_case_for_every_seeded_trigger_and_a_silent_case_for_every_rule():
    fired = set()
    for code, facts, planned in FIRES:
        reasons = {r.code: r for r in evaluate(facts, SEED_POLICY, ingredients=planned).reasons}
        fired |= {(code, trigger) for trigger in reasons[code].triggers}
    assert fired == {(r.code, t) for r in SEED_POLICY.rules for t in r.triggers}
    assert {code for code, _, _ in SILENT} == set(SEED_RULES)


def test_it_finds_nothing_for_a_person_with_no_contraindications():
    melasma = ("tranexamic_acid", "kojic_acid", "ascorbic_acid", "glutathione")
    evaluation = evaluate(Facts(sex="female", age=34), SEED_POLICY, ingredients=melasma)
    assert evaluation.decision == Decision.ELIGIBLE
    assert evaluation.reasons == ()


# --- the engine ------------------------------------------------------------------------------


def test_it_reports_every_firing_rule_absolute_first_then_by_code():
    facts = Facts(
        pregnant=True,
        medications={"anticoagulant", "hormonal_contraception"},
        conditions={"thromboembolism", "keloid_tendency"},
    )
    evaluation = evaluate(facts, SEED_POLICY, ingredients=["tranexamic_acid"])
    assert evaluation.decision == Decision.CONTRAINDICATED
    assert codes(evaluation) == [
        "pregnancy",
        "tranexamic_acid_thrombosis",
        "bleeding_risk",
        "keloid_tendency",
        "tranexamic_acid_caution",
    ]


def test_it_needs_review_when_only_relative_rules_fire():
    evaluation = evaluate(Facts(medications={"antiplatelet"}), SEED_POLICY)
    assert evaluation.decision == Decision.NEEDS_REVIEW
    assert codes(evaluation) == ["bleeding_risk"]


def test_it_lists_only_the_triggers_that_matched():
    facts = Facts(breastfeeding=True, may_become_pregnant=True)
    reasons = {r.code: r for r in evaluate(facts, SEED_POLICY, ingredients=["dutasteride"]).reasons}
    assert reasons["dutasteride_pregnancy_potential"].triggers == (
        "flag:breastfeeding",
        "flag:may_become_pregnant",
    )


def test_it_names_the_planned_ingredients_behind_a_reason():
    facts = Facts(
        allergies={"lidocaine", "kojic_acid", "biotin"},
        conditions={"g6pd_deficiency", "bleeding_disorder"},
    )
    planned = ["lidocaine", "glutathione", "kojic_acid", "ascorbic_acid"]
    reasons = {r.code: r for r in evaluate(facts, SEED_POLICY, ingredients=planned).reasons}
    assert reasons["ingredient_allergy"].ingredients == ("kojic_acid", "lidocaine")
    assert reasons["g6pd_vitamin_c_glutathione"].ingredients == ("ascorbic_acid", "glutathione")
    assert reasons["bleeding_risk"].ingredients == ()


def test_it_tells_reasons_a_different_cocktail_could_avoid():
    facts = Facts(
        pregnant=True,
        allergies={"kojic_acid"},
        conditions={"thromboembolism"},
    )
    planned = ["kojic_acid", "tranexamic_acid"]
    reasons = {r.code: r for r in evaluate(facts, SEED_POLICY, ingredients=planned).reasons}
    assert not reasons["pregnancy"].depends_on_plan
    assert reasons["ingredient_allergy"].depends_on_plan
    assert reasons["tranexamic_acid_thrombosis"].depends_on_plan


def test_it_does_not_let_an_allergy_match_hide_a_general_trigger():
    rule = make_rule(severity=Severity.ABSOLUTE, triggers=("flag:pregnant", "allergy:planned"))
    facts = Facts(pregnant=True, allergies={"biotin"})
    (reason,) = evaluate(facts, Policy(rules=(rule,)), ingredients=["biotin"]).reasons
    assert reason.ingredients == ("biotin",)
    assert not reason.depends_on_plan


def test_it_carries_the_rules_messages_source_and_verification_into_the_reason():
    (reason,) = evaluate(Facts(conditions={"autoimmune_disease"}), SEED_POLICY).reasons
    rule = SEED_RULES["autoimmune_disease"]
    assert (reason.message_en, reason.message_ur, reason.source) == (
        rule.message_en,
        rule.message_ur,
        rule.source,
    )
    assert reason.unverified


@pytest.mark.parametrize(
    ("language", "urdu"),
    [("ur", True), ("ur-pk", True), ("ur_PK", True), ("UR", True), ("en", False), ("de", False)],
)
def test_it_gives_a_reasons_message_in_the_asked_language(language, urdu):
    reason = Reason(
        code="x", severity=Severity.RELATIVE, message_en="en", message_ur="ur", source="s"
    )
    assert reason.message(language) == ("ur" if urdu else "en")


def test_it_asks_for_review_of_an_ingredient_the_policy_does_not_know():
    evaluation = evaluate(Facts(), SEED_POLICY, ingredients=["snail_mucin", "kojic_acid", "gold"])
    assert evaluation.decision == Decision.NEEDS_REVIEW
    (reason,) = evaluation.reasons
    assert reason.code == UNKNOWN_INGREDIENT
    assert reason.severity == Severity.RELATIVE
    assert reason.ingredients == ("gold", "snail_mucin")
    assert "snail_mucin" in reason.message_en
    assert "snail_mucin" in reason.message_ur
    assert reason.source == "mesoclinic policy: unknown ingredients need review"


def test_it_treats_an_ingredient_outside_a_narrowed_policy_as_unknown():
    policy = Policy(rules=SEED_POLICY.rules, known_ingredients={"hyaluronic_acid"})
    evaluation = evaluate(Facts(), policy, ingredients=["hyaluronic_acid", "biotin"])
    assert codes(evaluation) == [UNKNOWN_INGREDIENT]
    assert evaluation.reasons[0].ingredients == ("biotin",)


def test_it_keeps_ingredient_rules_silent_until_a_cocktail_is_planned():
    facts = Facts(conditions={"thromboembolism"}, may_become_pregnant=True)
    assert evaluate(facts, SEED_POLICY).decision == Decision.ELIGIBLE


def test_it_applies_an_indication_scoped_rule_only_to_that_indication_or_an_unknown_one():
    rule = make_rule(triggers=("condition:keloid_tendency",), indications={"localized_fat"})
    policy = Policy(rules=(rule,))
    facts = Facts(conditions={"keloid_tendency"})
    assert codes(evaluate(facts, policy, indication="localized_fat")) == ["test_rule"]
    assert codes(evaluate(facts, policy, indication=None)) == ["test_rule"]
    assert codes(evaluate(facts, policy, indication="melasma")) == []


def test_it_refuses_an_unknown_indication():
    with pytest.raises(ValueError, match="indication"):
        evaluate(Facts(), SEED_POLICY, indication="acne")


def test_it_refuses_a_single_string_as_the_planned_ingredients():
    with pytest.raises(TypeError):
        evaluate(Facts(), SEED_POLICY, ingredients="dutasteride")


def test_it_refuses_a_policy_with_repeated_codes():
    with pytest.raises(InvalidPolicy, match="more than one rule"):
        Policy(rules=(make_rule(), make_rule()))


def test_it_refuses_a_policy_with_a_rule_it_cannot_read():
    with pytest.raises(InvalidPolicy) as raised:
        Policy(rules=(make_rule(triggers=("condition:pregnant",)),))
    assert raised.value.errors[0].startswith("test_rule: ")


# --- validating rules ------------------------------------------------------------------------


@pytest.mark.parametrize("trigger", ALL_TRIGGERS)
def test_it_accepts_every_trigger_in_the_vocabulary(trigger):
    assert trigger_error(trigger) is None


@pytest.mark.parametrize(
    ("trigger", "complaint"),
    [
        ("pregnant", "kind:code"),
        ("flags:pregnant", "unknown kind 'flags'"),
        ("condition:pregnant", "unknown condition code 'pregnant'"),
        ("medication:aspirin", "unknown medication code 'aspirin'"),
        ("allergy:kojic_acid", "unknown allergy code 'kojic_acid'"),
        ("patch_test:", "unknown patch_test code ''"),
        ("Flag:pregnant", "unknown kind 'Flag'"),
        (None, "must be text"),
    ],
)
def test_it_says_what_is_wrong_with_a_trigger(trigger, complaint):
    assert complaint in trigger_error(trigger)


def test_it_lists_every_problem_with_a_rule():
    rule = Rule(
        code="Bad Code",
        severity="fatal",
        triggers=("flag:pregnant", "flag:pregnant", "condition:flu"),
        message_en=" ",
        message_ur="",
        source="",
        ingredients={"kojic_acid", "snake_oil"},
        indications={"acne"},
    )
    errors = rule_errors(rule)
    assert len(errors) == 9
    assert any("'snake_oil'" in error for error in errors)
    assert any("'acne'" in error for error in errors)
    assert any("'condition:flu'" in error for error in errors)


def test_it_refuses_a_rule_without_triggers_or_with_the_reserved_code():
    errors = rule_errors(make_rule(code=UNKNOWN_INGREDIENT, triggers=()))
    assert errors == [
        "The code 'unknown_ingredient' is reserved for the engine's own reason.",
        "A rule needs at least one trigger.",
    ]


def test_it_builds_a_rule_from_a_seed_object():
    rule = rule_from_mapping(
        {
            "code": "tranexamic_acid_thrombosis",
            "severity": "absolute",
            "triggers": ["condition:thromboembolism"],
            "ingredients": ["tranexamic_acid"],
            "message_en": "en",
            "message_ur": "ur",
            "source": "CLINICAL.md",
        }
    )
    assert rule.severity is Severity.ABSOLUTE
    assert rule.triggers == ("condition:thromboembolism",)
    assert rule.ingredients == frozenset({"tranexamic_acid"})
    assert rule.indications == frozenset()
    assert rule.unverified is False


def test_it_refuses_a_rule_object_with_missing_unknown_or_mistyped_keys():
    with pytest.raises(InvalidRule) as raised:
        rule_from_mapping(
            {"code": "x", "severity": "relative", "triggers": "flag:pregnant", "ingredient": []}
        )
    assert raised.value.errors == [
        "Unknown key 'ingredient'.",
        "Missing key 'message_en'.",
        "Missing key 'message_ur'.",
        "Missing key 'source'.",
        "'triggers' must be a list of codes.",
    ]


def test_it_refuses_a_rule_that_is_not_an_object():
    with pytest.raises(InvalidRule, match="must be an object"):
        rule_from_mapping(["pregnancy"])


# --- parsing facts ---------------------------------------------------------------------------


def test_it_has_a_facts_field_for_every_flag():
    facts = Facts()
    assert all(getattr(facts, flag) is False for flag in FLAGS)


def test_it_reads_complete_facts():
    facts = parse_facts(
        {
            "sex": "female",
            "age": 29,
            "pregnant": False,
            "breastfeeding": True,
            "may_become_pregnant": True,
            "unspecified_allergy": False,
            "allergies": ["kojic_acid"],
            "conditions": ["seizures", "seizures"],
            "medications": [],
            "positive_patch_tests": ["glutathione"],
        }
    )
    assert facts == Facts(
        sex="female",
        age=29,
        breastfeeding=True,
        may_become_pregnant=True,
        allergies=frozenset({"kojic_acid"}),
        conditions=frozenset({"seizures"}),
        positive_patch_tests=frozenset({"glutathione"}),
    )


def test_it_reads_missing_facts_as_false_or_empty():
    assert parse_facts({}) == Facts()
    assert parse_facts({"sex": None, "age": None}) == Facts()


def test_it_names_every_bad_field_at_once():
    with pytest.raises(InvalidFacts) as raised:
        parse_facts(
            {
                "sex": "other",
                "age": -1,
                "pregnant": "yes",
                "breastfeeding": None,
                "allergies": ["kojic_acid", "peanuts"],
                "conditions": "seizures",
                "medications": ["aspirin", "anticoagulant", "warfarin"],
                "positive_patch_tests": [1],
                "colour": "blue",
                "may_become_pregnant": False,
            }
        )
    errors = raised.value.errors
    assert set(errors) == {
        "sex",
        "age",
        "pregnant",
        "breastfeeding",
        "allergies",
        "conditions",
        "medications",
        "positive_patch_tests",
        "colour",
    }
    assert "'peanuts'" in errors["allergies"]
    assert "'kojic_acid'" not in errors["allergies"]
    assert errors["medications"] == "Unknown medication codes: 'aspirin', 'warfarin'."
    assert errors["colour"] == "Unknown field."


@pytest.mark.parametrize("age", [True, 29.0, "29", -1, 131])
def test_it_refuses_an_age_that_is_not_a_whole_number_from_0_to_130(age):
    with pytest.raises(InvalidFacts) as raised:
        parse_facts({"age": age})
    assert set(raised.value.errors) == {"age"}


@pytest.mark.parametrize("age", [0, 130])
def test_it_accepts_the_edge_ages(age):
    assert parse_facts({"age": age}).age == age


@pytest.mark.parametrize("value", [1, 0, "true", "false", None])
def test_it_accepts_only_real_booleans_for_flags(value):
    with pytest.raises(InvalidFacts) as raised:
        parse_facts({"pregnant": value})
    assert set(raised.value.errors) == {"pregnant"}


def test_it_refuses_facts_that_are_not_an_object():
    with pytest.raises(InvalidFacts) as raised:
        parse_facts(["pregnant"])
    assert set(raised.value.errors) == {"__all__"}


def test_it_refuses_a_single_string_where_codes_belong():
    with pytest.raises(TypeError):
        Facts(conditions="seizures")


# --- properties ------------------------------------------------------------------------------

planned_strategy = st.lists(
    st.sampled_from((*INGREDIENTS, "snail_mucin", "placenta_extract")), max_size=6
)
known_planned_strategy = st.lists(st.sampled_from(INGREDIENTS), max_size=6)
indication_strategy = st.none() | st.sampled_from(INDICATIONS)


@st.composite
def policies(draw):
    """The seed policy, or a random one built from the whole vocabulary."""
    if draw(st.booleans()):
        return SEED_POLICY
    count = draw(st.integers(0, 8))
    rules = []
    for n in range(count):
        triggers = tuple(draw(st.lists(st.sampled_from(ALL_TRIGGERS), min_size=1, unique=True)))
        rules.append(
            make_rule(
                code=f"rule_{n}",
                severity=draw(st.sampled_from(tuple(Severity))),
                triggers=triggers,
                ingredients=draw(st.frozensets(st.sampled_from(INGREDIENTS), max_size=3)),
                indications=draw(st.frozensets(st.sampled_from(INDICATIONS), max_size=2)),
                adult_age=draw(st.integers(1, 130)) if AGE_TRIGGER in triggers else None,
            )
        )
    return Policy(rules=tuple(rules))


@st.composite
def one_more_fact(draw, facts):
    """`facts` with one more true flag, condition, medication, allergy or positive patch test."""
    kind = draw(st.sampled_from(("flag", "conditions", "medications", "allergies", "patches")))
    if kind == "flag":
        return Facts(**{**vars(facts), draw(st.sampled_from(FLAGS)): True})
    name, vocabulary = {
        "conditions": ("conditions", CONDITIONS),
        "medications": ("medications", MEDICATIONS),
        "allergies": ("allergies", INGREDIENTS),
        "patches": ("positive_patch_tests", INGREDIENTS),
    }[kind]
    added = getattr(facts, name) | {draw(st.sampled_from(vocabulary))}
    return Facts(**{**vars(facts), name: added})


@given(st.data(), facts_strategy, policies(), planned_strategy, indication_strategy)
def test_it_never_lowers_the_decision_when_a_fact_is_added(
    data, facts, policy, planned, indication
):
    worse = data.draw(one_more_fact(facts))
    before = evaluate(facts, policy, ingredients=planned, indication=indication)
    after = evaluate(worse, policy, ingredients=planned, indication=indication)
    assert RANK[after.decision] >= RANK[before.decision]
    assert set(codes(before)) <= set(codes(after))


@given(facts_strategy, policies(), planned_strategy, indication_strategy)
def test_it_is_eligible_exactly_when_there_are_no_reasons(facts, policy, planned, indication):
    evaluation = evaluate(facts, policy, ingredients=planned, indication=indication)
    assert (evaluation.decision == Decision.ELIGIBLE) == (evaluation.reasons == ())
    severities = {reason.severity for reason in evaluation.reasons}
    if Severity.ABSOLUTE in severities:
        assert evaluation.decision == Decision.CONTRAINDICATED
    elif severities:
        assert evaluation.decision == Decision.NEEDS_REVIEW


@given(facts_strategy, policies(), planned_strategy, indication_strategy)
def test_it_orders_reasons_absolute_first_then_by_code_each_once(
    facts, policy, planned, indication
):
    reasons = evaluate(facts, policy, ingredients=planned, indication=indication).reasons
    keys = [(reason.severity != Severity.ABSOLUTE, reason.code) for reason in reasons]
    assert keys == sorted(keys)
    assert len({reason.code for reason in reasons}) == len(reasons)


@given(
    facts_strategy,
    policies(),
    known_planned_strategy,
    st.lists(st.text(min_size=1).filter(lambda s: s not in INGREDIENTS), min_size=1, max_size=3),
    indication_strategy,
)
def test_it_never_finds_an_unknown_ingredient_eligible(facts, policy, planned, strange, indication):
    evaluation = evaluate(facts, policy, ingredients=planned + strange, indication=indication)
    assert evaluation.decision != Decision.ELIGIBLE
    assert UNKNOWN_INGREDIENT in codes(evaluation)


@given(st.data(), facts_strategy, policies(), planned_strategy, indication_strategy)
def test_it_answers_the_same_whatever_the_order_of_ingredients_or_rules(
    data, facts, policy, planned, indication
):
    first = evaluate(facts, policy, ingredients=planned, indication=indication)
    assert evaluate(facts, policy, ingredients=planned, indication=indication) == first
    shuffled = data.draw(st.permutations(planned))
    reordered = Policy(
        rules=tuple(data.draw(st.permutations(policy.rules))),
        known_ingredients=policy.known_ingredients,
    )
    assert evaluate(facts, reordered, ingredients=shuffled, indication=indication) == first
    assert evaluate(facts, policy, ingredients=iter(shuffled), indication=indication) == first


@given(facts_strategy)
def test_it_reads_back_facts_it_could_have_been_sent_as_json(facts):
    data = {
        name: sorted(value) if isinstance(value, frozenset) else value
        for name, value in vars(facts).items()
    }
    assert parse_facts(json.loads(json.dumps(data))) == facts


# --- minors ----------------------------------------------------------------------------------


def minor_rule(adult_age=18, **extra):
    return make_rule(code="minor", triggers=(AGE_TRIGGER,), adult_age=adult_age, **extra)


@given(st.none() | st.integers(0, 130), st.integers(1, 130))
@example(age=17, adult_age=18)  # the day before the 18th birthday
@example(age=18, adult_age=18)  # the birthday itself: an adult
@example(age=0, adult_age=1)
@example(age=None, adult_age=18)
def test_it_asks_review_exactly_below_the_adult_age(age, adult_age):
    evaluation = evaluate(Facts(age=age), Policy(rules=(minor_rule(adult_age),)))
    minor = age is not None and age < adult_age
    assert codes(evaluation) == (["minor"] if minor else [])
    assert evaluation.decision == (Decision.NEEDS_REVIEW if minor else Decision.ELIGIBLE)
    if minor:
        assert evaluation.reasons[0].triggers == (AGE_TRIGGER,)
        assert not evaluation.reasons[0].depends_on_plan  # no cocktail makes a child an adult


@given(st.integers(0, 130), st.integers(1, 130), st.integers(1, 130))
def test_a_clinics_own_adult_age_replaces_the_chains(age, chain_age, clinic_age):
    chain = Policy(rules=(minor_rule(chain_age), SEED_RULES["bleeding_risk"]))
    clinic = chain.with_adult_age(clinic_age)
    assert clinic.adult_age == clinic_age
    assert SEED_RULES["bleeding_risk"] in clinic.rules  # other rules untouched
    assert ("minor" in codes(evaluate(Facts(age=age), clinic))) == (age < clinic_age)
    assert chain.with_adult_age(None) is chain


def test_the_seeded_minor_rule_makes_a_14_year_old_need_review_and_an_18_year_old_not():
    assert SEED_POLICY.adult_age == 18
    assert SEED_RULES["minor"].severity == Severity.RELATIVE
    assert "clinic to confirm" in SEED_RULES["minor"].source
    assert evaluate(Facts(age=14), SEED_POLICY).decision == Decision.NEEDS_REVIEW
    assert evaluate(Facts(age=17), SEED_POLICY).decision == Decision.NEEDS_REVIEW
    assert evaluate(Facts(age=18), SEED_POLICY).decision == Decision.ELIGIBLE
    # A clinic that sets 16 treats a 17-year-old as an adult.
    assert evaluate(Facts(age=17), SEED_POLICY.with_adult_age(16)).decision == Decision.ELIGIBLE


def test_a_policy_without_an_age_rule_has_no_adult_age():
    assert Policy(rules=(SEED_RULES["pregnancy"],)).adult_age is None


@pytest.mark.parametrize(
    ("triggers", "adult_age", "complaint"),
    [
        ((AGE_TRIGGER,), None, "needs its adult_age"),
        ((AGE_TRIGGER,), 0, "from 1 to 130"),
        ((AGE_TRIGGER,), 131, "from 1 to 130"),
        ((AGE_TRIGGER,), True, "from 1 to 130"),
        ((AGE_TRIGGER,), 17.5, "from 1 to 130"),
        (("flag:pregnant",), 18, "only for rules with the 'age:minor' trigger"),
    ],
)
def test_it_refuses_an_age_rule_without_a_usable_age_and_an_age_on_another_rule(
    triggers, adult_age, complaint
):
    (error,) = rule_errors(make_rule(triggers=triggers, adult_age=adult_age))
    assert complaint in error
    with pytest.raises(InvalidPolicy):
        Policy(rules=(make_rule(triggers=triggers, adult_age=adult_age),))


def test_it_reads_the_adult_age_from_a_seed_object():
    rule = rule_from_mapping(
        {
            "code": "minor",
            "severity": "relative",
            "triggers": [AGE_TRIGGER],
            "message_en": "en",
            "message_ur": "ur",
            "source": "s",
            "adult_age": 18,
        }
    )
    assert rule.adult_age == 18
    assert rule_errors(rule) == []
