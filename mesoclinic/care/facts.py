"""Facts about a person, as the contraindication engine reads them. Pure Python, no Django.

`parse_facts` reads untrusted data (the API, a form) strictly and names every bad field;
`Facts` built directly trusts its caller. Split from `care.rules`, which re-exports these.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

from mesoclinic.care.vocabulary import CONDITIONS, FLAGS, INGREDIENTS, MEDICATIONS, SEXES

_MAX_AGE = 130


def frozen_codes(value, name: str) -> frozenset[str]:
    # A bare string is iterable too; frozenset("dutasteride") would be a set of letters and
    # silently match nothing, so it is refused instead.
    if isinstance(value, str | bytes):
        raise TypeError(f"{name} must be a collection of codes, not a single string")
    return frozenset(value)


@dataclass(frozen=True)
class Facts:
    """What is known about the person. A fact not given is false or empty.

    Build it with `parse_facts` from untrusted data; constructing it directly (services,
    tests) trusts the caller, and codes outside the vocabulary then simply match no rule.
    """

    sex: str | None = None
    age: int | None = None
    pregnant: bool = False
    breastfeeding: bool = False
    may_become_pregnant: bool = False
    unspecified_allergy: bool = False
    allergies: frozenset[str] = frozenset()
    conditions: frozenset[str] = frozenset()
    medications: frozenset[str] = frozenset()
    positive_patch_tests: frozenset[str] = frozenset()

    def __post_init__(self):
        for name in ("allergies", "conditions", "medications", "positive_patch_tests"):
            object.__setattr__(self, name, frozen_codes(getattr(self, name), name))


def unknown_codes(codes: Iterable[str], known: Iterable[str]) -> list[str]:
    """The codes outside `known`, quoted, for a message that names every one."""
    known = set(known)
    return sorted(repr(code) for code in codes if code not in known)


class InvalidFacts(ValueError):
    """Facts cannot be read; `errors` maps each bad field (or "__all__") to what is wrong."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


_CODE_LISTS = {
    "allergies": ("ingredient", INGREDIENTS),
    "positive_patch_tests": ("ingredient", INGREDIENTS),
    "conditions": ("condition", CONDITIONS),
    "medications": ("medication", MEDICATIONS),
}


def parse_facts(data: Mapping, *, ingredients: Iterable[str] = INGREDIENTS) -> Facts:
    """Read untrusted facts (a JSON object from the self-check or a form), strictly.

    Every bad field is reported at once so a form can mark them all. Booleans must be real
    booleans ("false" is a true-looking string), age a whole number from 0 to 130. No
    cross-field checks (a man marked pregnant is evaluated as given): dropping a declared
    fact could only hide a contraindication. Whether sex and age are required is the
    caller's business. `ingredients` are the codes accepted for allergies and patch tests
    (the vocabulary, plus a clinic's formulary when the caller knows it).
    """
    if not isinstance(data, Mapping):
        raise InvalidFacts({"__all__": "Expected an object of facts."})
    known = {f.name for f in fields(Facts)}
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    for key, value in data.items():
        if key not in known:
            errors[str(key)] = "Unknown field."
        elif key == "sex":
            if value is not None and value not in SEXES:
                errors[key] = f"Unknown sex {value!r}; use one of: {', '.join(SEXES)}."
            else:
                values[key] = value
        elif key == "age":
            if value is None:
                values[key] = None
            elif not isinstance(value, int) or isinstance(value, bool):
                errors[key] = "Age must be a whole number of years."
            elif not 0 <= value <= _MAX_AGE:
                errors[key] = f"Age must be between 0 and {_MAX_AGE}."
            else:
                values[key] = value
        elif key in FLAGS:
            if not isinstance(value, bool):
                errors[key] = "Must be true or false."
            else:
                values[key] = value
        else:
            label, vocabulary = _CODE_LISTS[key]
            if label == "ingredient":
                vocabulary = ingredients
            if not isinstance(value, list | tuple | set | frozenset) or not all(
                isinstance(item, str) for item in value
            ):
                errors[key] = f"Must be a list of {label} codes."
            elif bad := unknown_codes(value, vocabulary):
                errors[key] = f"Unknown {label} codes: {', '.join(bad)}."
            else:
                values[key] = frozenset(value)
    if errors:
        raise InvalidFacts(errors)
    return Facts(**values)
