"""Outcome scales: one entry point, `score(scale, data) -> Result`, for every scale a course can
be scored on. Pure Python, no Django: the API, the entry forms' live value and the service that
stores a score all call this, so the number a clinician sees while typing is the number stored.

Sources (shared/CLINICAL.md, "Outcome scales"):
- MASI (Kimbrough-Green et al., Arch Dermatol 1994) and mMASI (Pandya et al., JAAD 2011;64:78):
  computed by `care.scores` (the screening's calculator, reused). No banding is cited for either,
  so their band is None rather than an invented "mild/moderate/severe".
- Fitzpatrick 10-item questionnaire: `care.fitzpatrick` (banding pinned there), band I–VI.
- GAIS: 1 very much improved, 2 much improved, 3 improved, 4 no change, 5 worse. Who rated
  (patient or investigator) is stored beside the score, not part of it.
- Norwood–Hamilton I–VII with the A and vertex variants; Ludwig I–III: the score is the stage's
  place in the published order (1 = least loss), the band the stage as written.
- Hair count in a marked area: hairs / area (cm²) = density per cm², to two decimals.
- Glogau photoageing I (no wrinkles) – IV (only wrinkles).
- Patient satisfaction 0–10.

Every bad field is named at once (`InvalidInput.errors`, keyed by dotted path such as
"forehead.area" or "answers.3"), so a form or a client fixes everything in one go. Booleans
are not numbers here, and a float is refused where a whole number is asked (6.0 is not a grade).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from mesoclinic.care import fitzpatrick, scores

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")

GAIS_LABELS = {
    1: "very much improved",
    2: "much improved",
    3: "improved",
    4: "no change",
    5: "worse",
}
GAIS_BANDS = tuple(GAIS_LABELS.values())
SKIN_TYPES = ROMAN[:6]
NORWOOD_STAGES = ("I", "II", "IIa", "III", "IIIa", "IIIv", "IV", "IVa", "V", "Va", "VI", "VII")
LUDWIG_STAGES = ("I", "II", "III")
GLOGAU_TYPES = ("I", "II", "III", "IV")
GLOGAU_LABELS = {
    "I": "no wrinkles",
    "II": "wrinkles in motion",
    "III": "wrinkles at rest",
    "IV": "only wrinkles",
}
HAIRS_MAX = 10_000
AREA_MIN, AREA_MAX = Decimal("0.5"), Decimal("100")
SATISFACTION_MAX = 10

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Result:
    score: Decimal | int
    band: str | None


class InvalidInput(ValueError):
    """Input that cannot be scored; `errors` maps each bad field's dotted path to what is wrong."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class UnknownScale(LookupError):
    """No such scale (the API answers 404)."""


@dataclass(frozen=True)
class Field:
    """One input of a scale, for the validator and for the entry forms that draw it.

    kind: "whole" (an integer lo–hi), "choice" (one of `choices`, in their published order) or
    "number" (an integer or decimal lo–hi)."""

    path: str
    kind: str
    lo: Decimal | int = 0
    hi: Decimal | int = 0
    choices: tuple[str, ...] = ()


def _region_fields(homogeneity: bool) -> tuple[Field, ...]:
    grades = [("area", scores.AREA_MAX), ("darkness", scores.DARKNESS_MAX)]
    if homogeneity:
        grades.append(("homogeneity", scores.HOMOGENEITY_MAX))
    return tuple(
        Field(f"{region}.{name}", "whole", 0, top)
        for region in scores.REGIONS
        for name, top in grades
    )


FIELDS: dict[str, tuple[Field, ...]] = {
    "masi": _region_fields(homogeneity=True),
    "mmasi": _region_fields(homogeneity=False),
    "fitzpatrick": tuple(
        Field(f"answers.{i}", "whole", 0, fitzpatrick.ITEM_MAX) for i in range(fitzpatrick.ITEMS)
    ),
    "gais": (Field("rating", "whole", 1, 5),),
    "norwood": (Field("stage", "choice", choices=NORWOOD_STAGES),),
    "ludwig": (Field("stage", "choice", choices=LUDWIG_STAGES),),
    "hair_count": (
        Field("hairs", "whole", 0, HAIRS_MAX),
        Field("area_cm2", "number", AREA_MIN, AREA_MAX),
    ),
    "glogau": (Field("type", "choice", choices=GLOGAU_TYPES),),
    "satisfaction": (Field("rating", "whole", 0, SATISFACTION_MAX),),
}
SCALES = tuple(FIELDS)

#: The scales that measure each indication's outcome (care's indication codes), most used first;
#: satisfaction fits every course. Hair-loss stages are drawn for one sex (`care.vocabulary`).
SCALES_FOR_INDICATION = {
    "melasma": ("mmasi", "masi", "satisfaction"),
    "hyperpigmentation": ("mmasi", "masi", "satisfaction"),
    "skin_rejuvenation": ("gais", "glogau", "satisfaction"),
    "androgenetic_alopecia": ("norwood", "ludwig", "hair_count", "satisfaction"),
    "alopecia_areata": ("hair_count", "gais", "satisfaction"),
}
OTHER_INDICATIONS = ("gais", "satisfaction")


def scales_for(indication: str) -> tuple[str, ...]:
    return SCALES_FOR_INDICATION.get(indication, OTHER_INDICATIONS)


_OBJECT = "Send an object."
_REQUIRED = "This field is required."
_UNKNOWN = "Unknown field."


def _whole(value, lo, hi) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"A whole number from {lo} to {hi}."
    if not lo <= value <= hi:
        return f"{value} is outside {lo} to {hi}; give a whole number from {lo} to {hi}."
    return None


def _number(value, lo, hi) -> tuple[Decimal | None, str | None]:
    message = f"A number from {lo} to {hi}."
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None, message
    number = Decimal(str(value))
    if not number.is_finite() or not lo <= number <= hi:
        return None, message
    return number, None


def _read(scale: str, data) -> dict[str, object]:
    """The scale's fields from `data` as {dotted path: value}, or InvalidInput naming every bad
    field: not an object, missing, unknown, of the wrong kind or out of range."""
    fields = FIELDS[scale]
    if not isinstance(data, Mapping):
        raise InvalidInput({"non_field_errors": _OBJECT})
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    if scale == "fitzpatrick":
        # A list, not an object: each item is answers.<index from 0>.
        answers = data.get("answers")
        errors.update({key: _UNKNOWN for key in data if key != "answers"})
        if answers is None:
            errors["answers"] = _REQUIRED
        elif not isinstance(answers, list) or len(answers) != fitzpatrick.ITEMS:
            errors["answers"] = f"A list of {fitzpatrick.ITEMS} answers, each 0 to 4."
        else:
            data = {"answers": {str(i): answer for i, answer in enumerate(answers)}}
    groups = {f.path.split(".")[0] for f in fields if "." in f.path}
    tops = {f.path.split(".")[0] for f in fields}
    errors.update({str(key): _UNKNOWN for key in data if key not in tops})
    for group in groups:
        if group in errors:
            continue
        if group not in data:
            errors[group] = _REQUIRED
        elif not isinstance(data[group], Mapping):
            errors[group] = _OBJECT
        else:
            names = {f.path.split(".", 1)[1] for f in fields if f.path.startswith(group + ".")}
            errors.update({f"{group}.{k}": _UNKNOWN for k in data[group] if k not in names})
    for field in fields:
        group, _, name = field.path.rpartition(".")
        if group and (group in errors or not isinstance(data.get(group), Mapping)):
            continue
        container = data[group] if group else data
        if name not in container:
            errors[field.path] = _REQUIRED
            continue
        value = container[name]
        if field.kind == "whole":
            problem = _whole(value, field.lo, field.hi)
        elif field.kind == "number":
            value, problem = _number(value, field.lo, field.hi)
        else:
            value = _choice(value, field.choices)
            problem = None if value else f"One of: {', '.join(field.choices)}."
        if problem:
            errors[field.path] = problem
        else:
            values[field.path] = value
    if errors:
        raise InvalidInput(errors)
    return values


def _choice(value, choices: tuple[str, ...]) -> str | None:
    """The choice as published ("IIIv"), matched without regard to case; None when none is."""
    if not isinstance(value, str):
        return None
    return next((c for c in choices if c.lower() == value.strip().lower()), None)


def _melasma(values, *, homogeneity: bool) -> Result:
    grades = {
        region: scores.RegionGrades(
            area=values[f"{region}.area"],
            darkness=values[f"{region}.darkness"],
            homogeneity=values[f"{region}.homogeneity"] if homogeneity else 0,
        )
        for region in scores.REGIONS
    }
    try:
        value = scores.masi(grades) if homogeneity else scores.mmasi(grades)
    except scores.InvalidGrades as refused:  # pragma: no cover - _read checks the same first
        raise InvalidInput(refused.errors) from refused
    return Result(score=value, band=None)


def _stage(value: str, stages: tuple[str, ...]) -> Result:
    return Result(score=stages.index(value) + 1, band=value)


def score(scale: str, data) -> Result:
    """The score and its band (None where the scale has no cited banding) for `data`, shaped as
    the scale's FIELDS say. UnknownScale for a scale not in SCALES; InvalidInput otherwise."""
    if scale not in FIELDS:
        raise UnknownScale(scale)
    values = _read(scale, data)
    if scale in ("masi", "mmasi"):
        return _melasma(values, homogeneity=scale == "masi")
    if scale == "fitzpatrick":
        answers = [values[f"answers.{i}"] for i in range(fitzpatrick.ITEMS)]
        result = fitzpatrick.score(answers)
        return Result(score=result.total, band=ROMAN[result.skin_type - 1])
    if scale == "gais":
        return Result(score=values["rating"], band=GAIS_LABELS[values["rating"]])
    if scale == "norwood":
        return _stage(values["stage"], NORWOOD_STAGES)
    if scale == "ludwig":
        return _stage(values["stage"], LUDWIG_STAGES)
    if scale == "glogau":
        return _stage(values["type"], GLOGAU_TYPES)
    if scale == "hair_count":
        density = (Decimal(values["hairs"]) / values["area_cm2"]).quantize(CENT, ROUND_HALF_UP)
        return Result(score=density, band=None)
    return Result(score=values["rating"], band=None)  # satisfaction


def nest(flat: Mapping[str, object]) -> dict:
    """{"forehead.area": 2} -> {"forehead": {"area": 2}}; "answers.<i>" -> the answers list.
    For the entry forms, whose fields are named by dotted path."""
    data: dict = {}
    for path, value in flat.items():
        group, _, name = path.rpartition(".")
        if group:
            data.setdefault(group, {})[name] = value
        else:
            data[name] = value
    if isinstance(data.get("answers"), dict):
        items = data["answers"]
        data["answers"] = [items.get(str(i)) for i in range(len(items))]
    return data
