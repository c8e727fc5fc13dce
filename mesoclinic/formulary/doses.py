"""Dose checks: is a planned or recorded amount inside a protocol component's limits?

Pure Python, no Django. The limits are clinic data (a protocol version's components, seeded from
CLINICAL.md and editable); this module only compares numbers and names every limit crossed, so
the screen, the API and later the safety gate refuse for the same reasons. Amounts are Decimals
in millilitres; a concentration is compared after converting to the ingredient's own unit.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Limit(StrEnum):
    """Which limit an amount crossed; the code travels with the refusal and the override."""

    NOT_POSITIVE = "not_positive"
    PER_POINT_MIN = "per_point_min"
    PER_POINT_MAX = "per_point_max"
    PER_SESSION_MIN = "per_session_min"
    PER_SESSION_MAX = "per_session_max"
    SESSION_CEILING = "session_ceiling"
    MAX_POINTS = "max_points"


@dataclass(frozen=True)
class ComponentLimits:
    """A protocol component's limits; None means the protocol sets no such limit."""

    per_point_min: Decimal | None = None
    per_point_max: Decimal | None = None
    per_session_min: Decimal | None = None
    per_session_max: Decimal | None = None
    session_ceiling: Decimal | None = None
    max_points: int | None = None


@dataclass(frozen=True)
class Amount:
    """What is planned or was given for one component in one session.

    `total` is the volume for the session. When `per_point` and `points` are known too, the
    larger of the two totals is checked: a typed total cannot hide what the points add up to.
    """

    per_point: Decimal | None = None
    points: int | None = None
    total: Decimal | None = None

    @property
    def session_total(self) -> Decimal | None:
        totals = [self.total] if self.total is not None else []
        if self.per_point is not None and self.points is not None:
            totals.append(self.per_point * self.points)
        return max(totals) if totals else None


@dataclass(frozen=True)
class Violation:
    """One crossed limit: its code, the limit's value and the amount that crossed it."""

    limit: Limit
    allowed: Decimal | int | None
    given: Decimal | int | None


def check_dose(limits: ComponentLimits, amount: Amount) -> list[Violation]:
    """Every limit `amount` crosses (empty when it is within all of them).

    A non-positive volume or point count is refused outright; the minimums matter too, because
    an under-dosed session is a course that silently does not work.
    """
    given = [
        (amount.per_point, None),
        (amount.total, None),
        (Decimal(amount.points) if amount.points is not None else None, None),
    ]
    if any(value is not None and value <= 0 for value, _ in given):
        return [Violation(Limit.NOT_POSITIVE, Decimal(0), _first_non_positive(amount))]
    violations: list[Violation] = []
    per_point = amount.per_point
    if per_point is not None:
        if limits.per_point_min is not None and per_point < limits.per_point_min:
            violations.append(Violation(Limit.PER_POINT_MIN, limits.per_point_min, per_point))
        if limits.per_point_max is not None and per_point > limits.per_point_max:
            violations.append(Violation(Limit.PER_POINT_MAX, limits.per_point_max, per_point))
    total = amount.session_total
    if total is not None:
        if limits.per_session_min is not None and total < limits.per_session_min:
            violations.append(Violation(Limit.PER_SESSION_MIN, limits.per_session_min, total))
        if limits.per_session_max is not None and total > limits.per_session_max:
            violations.append(Violation(Limit.PER_SESSION_MAX, limits.per_session_max, total))
        if limits.session_ceiling is not None and total > limits.session_ceiling:
            violations.append(Violation(Limit.SESSION_CEILING, limits.session_ceiling, total))
    if (
        amount.points is not None
        and limits.max_points is not None
        and amount.points > limits.max_points
    ):
        violations.append(Violation(Limit.MAX_POINTS, limits.max_points, amount.points))
    return violations


def _first_non_positive(amount: Amount):
    for value in (amount.per_point, amount.total, amount.points):
        if value is not None and value <= 0:
            return value
    return None  # pragma: no cover - only called when one is non-positive


def limits_errors(limits: ComponentLimits) -> list[str]:
    """Why a set of limits is inconsistent (a minimum above its maximum, a ceiling below the
    per-session maximum, a non-positive limit): field names, for the form to mark."""
    errors = []
    for name in (
        "per_point_min",
        "per_point_max",
        "per_session_min",
        "per_session_max",
        "session_ceiling",
        "max_points",
    ):
        value = getattr(limits, name)
        if value is not None and value <= 0:
            errors.append(name)
    for low, high in (
        ("per_point_min", "per_point_max"),
        ("per_session_min", "per_session_max"),
        ("per_session_max", "session_ceiling"),
    ):
        a, b = getattr(limits, low), getattr(limits, high)
        if a is not None and b is not None and a > b and high not in errors:
            errors.append(high)
    return errors


# --- concentrations ---------------------------------------------------------------------------


class ConcentrationUnit(StrEnum):
    MG_PER_ML = "mg/mL"
    MCG_PER_ML = "mcg/mL"
    PERCENT = "%"  # weight per volume: 1 % = 10 mg/mL
    IU_PER_ML = "IU/mL"


#: Factor that turns a unit into mg/mL, for the units that are masses per volume.
_TO_MG_PER_ML = {
    ConcentrationUnit.MG_PER_ML: Decimal(1),
    ConcentrationUnit.MCG_PER_ML: Decimal("0.001"),
    ConcentrationUnit.PERCENT: Decimal(10),
}


class UnitMismatch(ValueError):
    """The two units measure different things (e.g. IU/mL and mg/mL): no conversion exists."""


def convert_concentration(value: Decimal, unit: str, to: str) -> Decimal:
    """`value` in `unit` expressed in `to`; raises UnitMismatch when they cannot be compared."""
    unit, to = ConcentrationUnit(unit), ConcentrationUnit(to)
    if unit == to:
        return value
    if unit not in _TO_MG_PER_ML or to not in _TO_MG_PER_ML:
        raise UnitMismatch(f"{unit} cannot be converted to {to}")
    return value * _TO_MG_PER_ML[unit] / _TO_MG_PER_ML[to]


def compatible_units(a: str, b: str) -> bool:
    try:
        convert_concentration(Decimal(1), a, b)
    except UnitMismatch:
        return False
    return True
