"""Outcome scores for melasma: MASI and modified MASI. Pure Python, no Django.

MASI (Kimbrough-Green et al., Arch Dermatol 1994): four regions weighted forehead 0.3, right
malar 0.3, left malar 0.3, chin 0.1; area A graded 0–6 (0 none, 1 <10 %, 2 10–29 %, 3 30–49 %,
4 50–69 %, 5 70–89 %, 6 90–100 %); darkness D and homogeneity H graded 0–4.
MASI = Σ weight × A × (D + H), 0–48. mMASI (Pandya et al., JAAD 2011;64:78) drops homogeneity:
Σ weight × A × D, 0–24. Weights are exact tenths, so the scores are exact Decimals.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

REGIONS = {
    "forehead": Decimal("0.3"),
    "right_malar": Decimal("0.3"),
    "left_malar": Decimal("0.3"),
    "chin": Decimal("0.1"),
}
AREA_MAX, DARKNESS_MAX, HOMOGENEITY_MAX = 6, 4, 4


class InvalidGrades(ValueError):
    """Grades that cannot be scored; `errors` maps "region.grade" to what is wrong."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class RegionGrades:
    area: int
    darkness: int
    homogeneity: int = 0


def _check(grades: Mapping[str, RegionGrades], *, homogeneity: bool) -> None:
    errors = {}
    for region in REGIONS:
        if region not in grades:
            errors[region] = "Grade every region (0 where there is no melasma)."
    for region in grades:
        if region not in REGIONS:
            errors[region] = f"Unknown region; use: {', '.join(REGIONS)}."
    for region, g in grades.items():
        limits = [("area", AREA_MAX), ("darkness", DARKNESS_MAX)]
        if homogeneity:
            limits.append(("homogeneity", HOMOGENEITY_MAX))
        for name, top in limits:
            value = getattr(g, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top:
                errors[f"{region}.{name}"] = f"A whole number from 0 to {top}."
    if errors:
        raise InvalidGrades(errors)


def masi(grades: Mapping[str, RegionGrades]) -> Decimal:
    _check(grades, homogeneity=True)
    return sum(
        (REGIONS[r] * g.area * (g.darkness + g.homogeneity) for r, g in grades.items()),
        Decimal(0),
    )


def mmasi(grades: Mapping[str, RegionGrades]) -> Decimal:
    _check(grades, homogeneity=False)
    return sum((REGIONS[r] * g.area * g.darkness for r, g in grades.items()), Decimal(0))
