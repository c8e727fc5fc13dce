"""The contraindication engine's edges and the words of its refusals (found by `make mutation`).

A rule read from the seed file or a clinic's row must keep every part of itself (its scope
above all: a rule that silently loses its indication scope fires for every treatment, one that
loses its ingredient scope for every cocktail), and every refusal must say exactly what is wrong.
"""

import pytest

from mesoclinic.care.rules import (
    TRIGGER_KINDS,
    UNKNOWN_INGREDIENT,
    Decision,
    Facts,
    InvalidRule,
    Policy,
    Rule,
    Severity,
    evaluate,
    rule_errors,
    rule_from_mapping,
    trigger_error,
)

SCOPED = {
    "code": "keloid_fat_dissolving",
    "severity": "relative",
    "triggers": ["condition:keloid_tendency"],
    "ingredients": ["deoxycholic_acid"],
    "indications": ["localized_fat"],
    "message_en": "Keloids: review before dissolving fat.",
    "message_ur": "کیلوئیڈ: چربی گھلانے سے پہلے جائزہ۔",
    "source": "CLINICAL.md: test",
    "unverified": True,
}


def test_it_reads_every_part_of_a_rule_from_data():
    assert rule_from_mapping(SCOPED) == Rule(
        code="keloid_fat_dissolving",
        severity=Severity.RELATIVE,
        triggers=("condition:keloid_tendency",),
        message_en="Keloids: review before dissolving fat.",
        message_ur="کیلوئیڈ: چربی گھلانے سے پہلے جائزہ۔",
        source="CLINICAL.md: test",
        ingredients=frozenset({"deoxycholic_acid"}),
        indications=frozenset({"localized_fat"}),
        unverified=True,
    )


def test_a_rule_read_from_data_keeps_its_indication_scope():
    policy = Policy(rules=(rule_from_mapping(SCOPED),))
    facts = Facts(conditions={"keloid_tendency"})
    planned = ["deoxycholic_acid"]
    fat = evaluate(facts, policy, ingredients=planned, indication="localized_fat")
    assert [reason.code for reason in fat.reasons] == ["keloid_fat_dissolving"]
    assert fat.reasons[0].unverified is True
    melasma = evaluate(facts, policy, ingredients=planned, indication="melasma")
    assert melasma.decision == Decision.ELIGIBLE


def test_a_rule_read_from_data_without_optional_keys_applies_to_everything_and_is_verified():
    data = {key: value for key, value in SCOPED.items() if key in {"code", "severity"}} | {
        "triggers": ["flag:pregnant"],
        "message_en": "Pregnancy.",
        "message_ur": "حمل۔",
        "source": "CLINICAL.md",
    }
    rule = rule_from_mapping(data)
    assert (rule.ingredients, rule.indications, rule.unverified) == (
        frozenset(),
        frozenset(),
        False,
    )


@pytest.mark.parametrize("key", ["ingredients", "indications"])
@pytest.mark.parametrize("value", ["deoxycholic_acid", 5, [1]], ids=["text", "number", "items"])
def test_it_refuses_a_scope_that_is_not_a_list_of_codes(key, value):
    with pytest.raises(InvalidRule) as raised:
        rule_from_mapping(SCOPED | {key: value})
    assert raised.value.errors == [f"'{key}' must be a list of codes."]


def test_it_names_the_type_of_a_rule_that_is_not_an_object():
    with pytest.raises(InvalidRule) as raised:
        rule_from_mapping(["pregnancy"])
    assert raised.value.errors == ["A rule must be an object, not list."]


def test_an_invalid_rule_lists_every_problem_in_its_message():
    with pytest.raises(InvalidRule) as raised:
        rule_from_mapping({"code": "x", "colour": "red"})
    assert str(raised.value) == "; ".join(raised.value.errors)
    assert str(raised.value).startswith("Unknown key 'colour'.; Missing key 'severity'.")


def test_it_says_exactly_what_is_wrong_with_a_rule():
    rule = Rule(
        code="Bad Code",
        severity="fatal",
        triggers=("flag:pregnant", "flag:pregnant"),
        message_en="",
        message_ur="x",
        source=" ",
        ingredients={"snake_oil", "toad_venom"},
        indications={"acne", "warts"},
        unverified="yes",
    )
    assert rule_errors(rule) == [
        "The code 'Bad Code' must be lower-case letters, digits and underscores, "
        "starting with a letter.",
        "The severity 'fatal' must be one of: absolute, relative.",
        "A trigger is listed more than once.",
        "Unknown ingredient codes: 'snake_oil', 'toad_venom'.",
        "Unknown indication codes: 'acne', 'warts'.",
        "The message_en must not be empty.",
        "The source must not be empty.",
        "unverified must be true or false.",
    ]


def test_it_names_the_accepted_kinds_and_codes_of_a_trigger():
    assert trigger_error("flags:pregnant") == (
        f"'flags:pregnant' has an unknown kind 'flags'; use one of: {', '.join(TRIGGER_KINDS)}."
    )
    assert trigger_error("flag:pregnant:yes") == (
        "'flag:pregnant:yes' has an unknown flag code 'pregnant:yes'; "
        f"use one of: {', '.join(TRIGGER_KINDS['flag'])}."
    )


def test_a_rule_and_a_policy_keep_what_they_are_given_frozen():
    rule = Rule(
        code="r",
        severity="absolute",
        triggers=["flag:pregnant"],
        message_en="en",
        message_ur="ur",
        source="s",
        ingredients=["tranexamic_acid"],
        indications=["melasma"],
    )
    assert rule.triggers == ("flag:pregnant",)
    assert rule.ingredients == frozenset({"tranexamic_acid"})
    assert rule.indications == frozenset({"melasma"})
    policy = Policy(rules=[rule], known_ingredients=["tranexamic_acid"])
    assert policy.rules == (rule,)
    assert policy.known_ingredients == frozenset({"tranexamic_acid"})


@pytest.mark.parametrize(
    ("build", "name"),
    [
        (lambda: evaluate(Facts(), Policy(rules=()), ingredients="biotin"), "ingredients"),
        (lambda: Policy(rules=(), known_ingredients="biotin"), "known_ingredients"),
        (lambda: Rule("r", "absolute", "flag:pregnant", "en", "ur", "s"), "triggers"),
        (
            lambda: Rule("r", "absolute", ("flag:pregnant",), "en", "ur", "s", "biotin"),
            "ingredients",
        ),
        (
            lambda: Rule("r", "absolute", ("flag:pregnant",), "en", "ur", "s", (), "melasma"),
            "indications",
        ),
    ],
    ids=["planned", "known", "triggers", "rule_ingredients", "rule_indications"],
)
def test_it_names_the_field_given_a_single_string_for_codes(build, name):
    with pytest.raises(TypeError) as raised:
        build()
    if name == "triggers":
        assert str(raised.value) == "triggers must be a collection of trigger strings"
    else:
        assert str(raised.value) == f"{name} must be a collection of codes, not a single string"


def test_an_unknown_ingredient_asks_for_review_in_both_languages_naming_each_one():
    (reason,) = evaluate(Facts(), Policy(rules=()), ingredients=["snail_mucin", "gold"]).reasons
    assert reason.code == UNKNOWN_INGREDIENT
    assert reason.depends_on_plan is True
    assert reason.message_en == (
        "Unknown ingredient (gold, snail_mucin): the clinic's rules do not cover it, "
        "so a practitioner reviews it before treatment."
    )
    assert reason.message_ur == (
        "نامعلوم جزو (gold, snail_mucin): یہ کلینک کے قواعد میں شامل نہیں، "
        "اس لیے علاج سے پہلے ڈاکٹر اس کا جائزہ لیں گے۔"
    )


def test_a_clinics_own_adult_age_keeps_the_ingredients_its_policy_knows():
    minors = Rule(
        code="minor",
        severity="relative",
        triggers=("age:minor",),
        message_en="Under the adult age.",
        message_ur="بالغ عمر سے کم۔",
        source="clinic policy",
        adult_age=18,
    )
    policy = Policy(rules=(minors,), known_ingredients={"tranexamic_acid"})
    clinic = policy.with_adult_age(16)
    assert clinic.known_ingredients == frozenset({"tranexamic_acid"})
    assert clinic.adult_age == 16
    (reason,) = evaluate(Facts(age=30), clinic, ingredients=["biotin"]).reasons
    assert reason.code == UNKNOWN_INGREDIENT
