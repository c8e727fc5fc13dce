"""The contraindication engine: facts about a person plus a policy in, a decision with reasons out.

Pure Python, no Django. The public self-check uses it now and clinic screening will use it
later, so the same facts give the same answer in both places. Which conditions block and which
only need a practitioner's review is clinic data (shared/CLINICAL.md, "Contraindications
(defaults; severity editable)"): the rules arrive as a `Policy`, built from the seed file
`seed/rules_v1.json` or from the clinic's own rows, and nothing clinical is hard-coded here.

The vocabulary below (flags, conditions, medications, ingredients, indications) is a stable
contract between stored facts, stored rules and this engine: codes may be added, never renamed
or removed, because screening records and clinic rules keep referring to them.

Safety leans one way throughout: anything the engine cannot interpret is reported, never
skipped. An ingredient the policy does not know needs review; a policy with a rule the engine
cannot read refuses to be built, rather than letting that rule silently never fire.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from mesoclinic.care.facts import Facts, InvalidFacts, parse_facts, unknown_codes
from mesoclinic.care.facts import frozen_codes as _frozen_codes
from mesoclinic.care.vocabulary import (
    AGE_TRIGGER,
    CONDITIONS,
    FLAGS,
    INDICATIONS,
    INGREDIENTS,
    MEDICATIONS,
    PLANNED_TRIGGERS,
    SEXES,
    TRIGGER_KINDS,
    UNKNOWN_INGREDIENT,
)

__all__ = [
    "AGE_TRIGGER",
    "CONDITIONS",
    "FLAGS",
    "INDICATIONS",
    "INGREDIENTS",
    "MEDICATIONS",
    "PLANNED_TRIGGERS",
    "SEXES",
    "TRIGGER_KINDS",
    "UNKNOWN_INGREDIENT",
    "Decision",
    "Evaluation",
    "Facts",
    "InvalidFacts",
    "InvalidPolicy",
    "InvalidRule",
    "Policy",
    "Reason",
    "Rule",
    "Severity",
    "evaluate",
    "parse_facts",
    "rule_errors",
    "rule_from_mapping",
    "trigger_error",
]

# The vocabulary (flags, conditions, medications, ingredients, indications, trigger kinds)
# lives in vocabulary.py and is re-exported here, so callers import the engine from one place.

_CODE = re.compile(r"[a-z][a-z0-9_]*")
_MAX_ADULT_AGE = 130  # the oldest age facts may state (care.facts)


class Severity(StrEnum):
    """ABSOLUTE blocks treatment; RELATIVE asks a practitioner to review and record why."""

    ABSOLUTE = "absolute"
    RELATIVE = "relative"


class Decision(StrEnum):
    ELIGIBLE = "eligible"
    NEEDS_REVIEW = "needs_review"
    CONTRAINDICATED = "contraindicated"


# --- data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One contraindication: fires when ANY trigger matches and its scope applies.

    `ingredients` narrows the rule to cocktails containing at least one of them (tranexamic
    acid and thrombosis); `indications` narrows it to treatments for those concerns. Empty
    means the rule applies to any treatment. `unverified` rules ship flagged "clinic to
    confirm" because the published source is weak (CLINICAL.md marks them **unverified**).

    `adult_age` belongs to rules with the "age:minor" trigger, and only to them: the age in
    whole years from which a person is screened as an adult. The trigger fires when the
    person's age is known and below it (17 fires at 18; 18 does not). A clinic sets its own
    age through `Policy.with_adult_age`, without editing the chain's rule.
    """

    code: str
    severity: Severity
    triggers: tuple[str, ...]
    message_en: str
    message_ur: str
    source: str
    ingredients: frozenset[str] = frozenset()
    indications: frozenset[str] = frozenset()
    unverified: bool = False
    adult_age: int | None = None

    def __post_init__(self):
        # Lists from JSON or model fields are accepted and frozen; a bad severity is left as
        # given so that rule_errors can name it instead of the constructor raising.
        if isinstance(self.triggers, str):
            raise TypeError("triggers must be a collection of trigger strings")
        object.__setattr__(self, "triggers", tuple(self.triggers))
        object.__setattr__(self, "ingredients", _frozen_codes(self.ingredients, "ingredients"))
        object.__setattr__(self, "indications", _frozen_codes(self.indications, "indications"))
        if self.severity in tuple(Severity):
            object.__setattr__(self, "severity", Severity(self.severity))


@dataclass(frozen=True)
class Reason:
    """Why a rule fired, carrying its messages and source so the result stands on its own.

    `triggers` are the rule's triggers that matched. `ingredients` are the planned ingredients
    involved: those that put an ingredient-scoped rule in scope and those matched by an allergy
    or a positive patch test (empty for a general rule fired by other facts).

    `depends_on_plan` is true when a different cocktail could make this reason go away: the
    rule is ingredient-scoped, or it fired only through allergy/patch-test matches. It is kept
    apart from `ingredients` because a general rule fired by both a flag and an allergy names
    ingredients yet still blocks whatever the cocktail.
    """

    code: str
    severity: Severity
    message_en: str
    message_ur: str
    source: str
    triggers: tuple[str, ...] = ()
    ingredients: tuple[str, ...] = ()
    unverified: bool = False
    depends_on_plan: bool = False

    def message(self, language: str) -> str:
        """The Urdu message for "ur" (or "ur-pk", "ur_PK"), the English one otherwise."""
        base = language.replace("_", "-").split("-")[0].lower()
        return self.message_ur if base == "ur" else self.message_en


class InvalidRule(ValueError):
    """A rule (or the mapping it was read from) cannot be used; `errors` lists every problem."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


class InvalidPolicy(InvalidRule):
    """A policy holds unreadable rules or repeats a code; `errors` names the rule each time."""


@dataclass(frozen=True)
class Policy:
    """The rules a clinic applies and the ingredients it knows.

    Validated when built: a rule with a misspelt trigger would otherwise never fire, and
    duplicate codes would make two reasons indistinguishable in a stored screening.
    `known_ingredients` defaults to the vocabulary; a clinic may narrow or extend it.
    """

    rules: tuple[Rule, ...]
    known_ingredients: frozenset[str] = frozenset(INGREDIENTS)

    def __post_init__(self):
        object.__setattr__(self, "rules", tuple(self.rules))
        object.__setattr__(
            self,
            "known_ingredients",
            _frozen_codes(self.known_ingredients, "known_ingredients"),
        )
        errors = []
        seen = set()
        for rule in self.rules:
            errors.extend(f"{rule.code}: {error}" for error in rule_errors(rule))
            if rule.code in seen:
                errors.append(f"{rule.code}: the code is used by more than one rule.")
            seen.add(rule.code)
        if errors:
            raise InvalidPolicy(errors)

    @property
    def adult_age(self) -> int | None:
        """The age from which this policy screens a person as an adult: the highest
        `adult_age` of its age rules (the strictest), or None when no rule looks at age."""
        ages = [rule.adult_age for rule in self.rules if AGE_TRIGGER in rule.triggers]
        return max(ages) if ages else None

    def with_adult_age(self, adult_age: int | None) -> "Policy":
        """This policy with every age rule set to `adult_age` (a clinic's own age); None
        keeps the rules' own. The result is validated like any policy."""
        if adult_age is None:
            return self
        return Policy(
            rules=tuple(
                replace(rule, adult_age=adult_age) if AGE_TRIGGER in rule.triggers else rule
                for rule in self.rules
            ),
            known_ingredients=self.known_ingredients,
        )


@dataclass(frozen=True)
class Evaluation:
    """The decision and every reason behind it, absolute reasons first, then by code."""

    decision: Decision
    reasons: tuple[Reason, ...] = ()


# --- validation ----------------------------------------------------------------------------


def trigger_error(trigger: str) -> str | None:
    """None if `trigger` is valid ("kind:code" from the vocabulary), else what is wrong.

    Admin forms show this next to the rule being edited, so it names the accepted values.
    """
    if not isinstance(trigger, str):
        return f"A trigger must be text like 'flag:pregnant', not {trigger!r}."
    kind, colon, code = trigger.partition(":")
    if not colon:
        return f"'{trigger}' is not a trigger: write kind:code, like 'flag:pregnant'."
    if kind not in TRIGGER_KINDS:
        return f"'{trigger}' has an unknown kind '{kind}'; use one of: {', '.join(TRIGGER_KINDS)}."
    if code not in TRIGGER_KINDS[kind]:
        return (
            f"'{trigger}' has an unknown {kind} code '{code}'; "
            f"use one of: {', '.join(TRIGGER_KINDS[kind])}."
        )
    return None


def rule_errors(rule: Rule) -> list[str]:
    """Every problem with `rule`, in English; an empty list means it can be used."""
    errors = []
    if not isinstance(rule.code, str) or not _CODE.fullmatch(rule.code):
        errors.append(
            f"The code {rule.code!r} must be lower-case letters, digits and underscores, "
            "starting with a letter."
        )
    elif rule.code == UNKNOWN_INGREDIENT:
        errors.append(f"The code '{UNKNOWN_INGREDIENT}' is reserved for the engine's own reason.")
    if rule.severity not in tuple(Severity):
        errors.append(
            f"The severity {rule.severity!r} must be one of: {', '.join(tuple(Severity))}."
        )
    if not rule.triggers:
        errors.append("A rule needs at least one trigger.")
    errors.extend(error for trigger in rule.triggers if (error := trigger_error(trigger)))
    if len(set(rule.triggers)) != len(rule.triggers):
        errors.append("A trigger is listed more than once.")
    if bad := unknown_codes(rule.ingredients, INGREDIENTS):
        errors.append(f"Unknown ingredient codes: {', '.join(bad)}.")
    if bad := unknown_codes(rule.indications, INDICATIONS):
        errors.append(f"Unknown indication codes: {', '.join(bad)}.")
    for name in ("message_en", "message_ur", "source"):
        value = getattr(rule, name)
        if not isinstance(value, str) or not value.strip():
            errors.append(f"The {name} must not be empty.")
    if not isinstance(rule.unverified, bool):
        errors.append("unverified must be true or false.")
    errors.extend(_adult_age_errors(rule))
    return errors


def _adult_age_errors(rule: Rule) -> list[str]:
    """An age rule needs its age; any other rule must not carry one (it would never be read,
    and a clinic reading the rule would think it did something)."""
    age = rule.adult_age
    if AGE_TRIGGER not in rule.triggers:
        if age is not None:
            return [f"adult_age is only for rules with the '{AGE_TRIGGER}' trigger."]
        return []
    if age is None:
        return [f"A rule with the '{AGE_TRIGGER}' trigger needs its adult_age."]
    if not isinstance(age, int) or isinstance(age, bool) or not 1 <= age <= _MAX_ADULT_AGE:
        return [f"adult_age must be a whole number of years from 1 to {_MAX_ADULT_AGE}."]
    return []


_RULE_REQUIRED = ("code", "severity", "triggers", "message_en", "message_ur", "source")
_RULE_OPTIONAL = ("ingredients", "indications", "unverified", "adult_age")


def rule_from_mapping(data: Mapping) -> Rule:
    """Build a Rule from one object of the seed JSON (or a model's values).

    Checks the shape only, raising InvalidRule listing every problem: required keys present,
    no unknown keys (a misspelt "ingredient" would otherwise drop the rule's scope unseen),
    lists of strings where lists belong. What the codes mean is `rule_errors`'s job, so an
    admin form can build the Rule and show those errors next to the field; a `Policy` refuses
    a rule that still has any.
    """
    if not isinstance(data, Mapping):
        raise InvalidRule([f"A rule must be an object, not {type(data).__name__}."])
    errors = [f"Unknown key {key!r}." for key in data if key not in _RULE_REQUIRED + _RULE_OPTIONAL]
    errors += [f"Missing key '{key}'." for key in _RULE_REQUIRED if key not in data]
    for key in ("triggers", "ingredients", "indications"):
        value = data.get(key, [])
        if not isinstance(value, list | tuple | set | frozenset) or not all(
            isinstance(item, str) for item in value
        ):
            errors.append(f"'{key}' must be a list of codes.")
    if errors:
        raise InvalidRule(errors)
    return Rule(
        code=data["code"],
        severity=data["severity"],
        triggers=tuple(data["triggers"]),
        message_en=data["message_en"],
        message_ur=data["message_ur"],
        source=data["source"],
        ingredients=frozenset(data.get("ingredients", ())),
        indications=frozenset(data.get("indications", ())),
        unverified=data.get("unverified", False),
        adult_age=data.get("adult_age"),
    )


# --- evaluation ----------------------------------------------------------------------------


def _match(
    rule: Rule, trigger: str, facts: Facts, planned: frozenset[str]
) -> tuple[bool, frozenset[str]]:
    """Whether one trigger matches, and which planned ingredients it matched (if any)."""
    kind, _, code = trigger.partition(":")
    if kind == "age":
        # An unknown age cannot be judged a minor here; the services always know it (the
        # patient's date of birth), and the self-check asks it.
        return facts.age is not None and facts.age < rule.adult_age, frozenset()
    if kind == "flag":
        return getattr(facts, code) is True, frozenset()
    if kind == "condition":
        return code in facts.conditions, frozenset()
    if kind == "medication":
        return code in facts.medications, frozenset()
    if kind == "allergy":
        hits = facts.allergies & planned
        return bool(hits), hits
    if kind == "patch_test":
        hits = facts.positive_patch_tests & planned
        return bool(hits), hits
    # Policy validation makes this unreachable; fail loudly rather than skip a rule.
    raise ValueError(f"Unreadable trigger {trigger!r}")


def _check(rule: Rule, facts: Facts, planned: frozenset[str], indication) -> Reason | None:
    in_scope = rule.ingredients & planned
    if rule.ingredients and not in_scope:
        return None
    # An unknown indication (None) cannot rule out an indication-scoped rule, so it applies.
    if rule.indications and indication is not None and indication not in rule.indications:
        return None
    matched, involved, only_planned = [], set(in_scope), True
    for trigger in rule.triggers:
        hit, ingredients = _match(rule, trigger, facts, planned)
        if hit:
            matched.append(trigger)
            involved |= ingredients
            only_planned = only_planned and trigger in PLANNED_TRIGGERS
    if not matched:
        return None
    return Reason(
        code=rule.code,
        severity=rule.severity,
        message_en=rule.message_en,
        message_ur=rule.message_ur,
        source=rule.source,
        triggers=tuple(matched),
        ingredients=tuple(sorted(involved)),
        unverified=rule.unverified,
        depends_on_plan=bool(rule.ingredients) or only_planned,
    )


def _unknown_ingredient_reason(unknown: list[str]) -> Reason:
    codes = ", ".join(unknown)
    return Reason(
        code=UNKNOWN_INGREDIENT,
        severity=Severity.RELATIVE,
        message_en=(
            f"Unknown ingredient ({codes}): the clinic's rules do not cover it, "
            "so a practitioner reviews it before treatment."
        ),
        message_ur=(
            f"نامعلوم جزو ({codes}): یہ کلینک کے قواعد میں شامل نہیں، "
            "اس لیے علاج سے پہلے ڈاکٹر اس کا جائزہ لیں گے۔"
        ),
        source="mesoclinic policy: unknown ingredients need review",
        ingredients=tuple(unknown),
        depends_on_plan=True,
    )


def evaluate(
    facts: Facts,
    policy: Policy,
    *,
    ingredients: Iterable[str] = (),
    indication: str | None = None,
) -> Evaluation:
    """Check every rule once against the facts and the planned cocktail; report all that fire.

    Ingredient-scoped rules stay silent until a cocktail containing their ingredient is
    planned. The result does not depend on the order of `ingredients` or of the policy's
    rules, so a stored screening can be recomputed and compared.
    """
    planned = _frozen_codes(ingredients, "ingredients")
    if indication is not None and indication not in INDICATIONS:
        # Silently treating a misspelt indication as "none" could skip indication rules.
        raise ValueError(f"Unknown indication {indication!r}")
    reasons = [
        reason
        for rule in policy.rules
        if (reason := _check(rule, facts, planned, indication)) is not None
    ]
    if unknown := sorted(planned - policy.known_ingredients):
        reasons.append(_unknown_ingredient_reason(unknown))
    reasons.sort(key=lambda reason: (reason.severity != Severity.ABSOLUTE, reason.code))
    if any(reason.severity == Severity.ABSOLUTE for reason in reasons):
        decision = Decision.CONTRAINDICATED
    elif reasons:
        decision = Decision.NEEDS_REVIEW
    else:
        decision = Decision.ELIGIBLE
    return Evaluation(decision=decision, reasons=tuple(reasons))
