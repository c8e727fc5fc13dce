"""MASI and mMASI: exact, bounded, and refusing grades they cannot score."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.care.scores import REGIONS, InvalidGrades, RegionGrades, masi, mmasi

grades = st.fixed_dictionaries(
    {
        region: st.builds(
            RegionGrades,
            area=st.integers(0, 6),
            darkness=st.integers(0, 4),
            homogeneity=st.integers(0, 4),
        )
        for region in REGIONS
    }
)


def test_the_worst_face_scores_48_and_24():
    worst = {region: RegionGrades(6, 4, 4) for region in REGIONS}
    assert masi(worst) == Decimal("48.0") and mmasi(worst) == Decimal("24.0")


def test_a_worked_example():
    # Forehead A2 D2 H1, each malar A3 D3 H2, chin clear:
    # MASI = 0.3·2·3 + 2·(0.3·3·5) = 1.8 + 9.0 = 10.8; mMASI = 0.3·2·2 + 2·(0.3·3·3) = 6.6
    g = {
        "forehead": RegionGrades(2, 2, 1),
        "right_malar": RegionGrades(3, 3, 2),
        "left_malar": RegionGrades(3, 3, 2),
        "chin": RegionGrades(0, 0, 0),
    }
    assert masi(g) == Decimal("10.8") and mmasi(g) == Decimal("6.6")


@given(grades)
def test_scores_stay_in_range_and_mmasi_never_exceeds_masi(g):
    assert 0 <= mmasi(g) <= masi(g) <= 48 and mmasi(g) <= 24


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"chin": RegionGrades(7, 0, 0)}, "chin.area"),
        ({"forehead": RegionGrades(1, 5, 0)}, "forehead.darkness"),
        ({"nose": RegionGrades(1, 1, 1)}, "nose"),
    ],
)
def test_it_names_each_grade_it_cannot_score(changes, key):
    g = {region: RegionGrades(1, 1, 1) for region in REGIONS} | changes
    with pytest.raises(InvalidGrades) as excinfo:
        masi(g)
    assert key in excinfo.value.errors


def test_every_region_must_be_graded():
    with pytest.raises(InvalidGrades) as excinfo:
        mmasi({"forehead": RegionGrades(1, 1)})
    assert set(excinfo.value.errors) == {"right_malar", "left_malar", "chin"}
