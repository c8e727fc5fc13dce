"""MASI and mMASI grades at and past their edges, and what a refusal says (found by
`make mutation`)."""

from decimal import Decimal

import pytest

from mesoclinic.care.scores import REGIONS, InvalidGrades, RegionGrades, masi, mmasi


def face(**changes):
    return {region: RegionGrades(1, 1, 1) for region in REGIONS} | changes


@pytest.mark.parametrize("homogeneity", [-1, 5])
def test_it_refuses_a_masi_homogeneity_grade_out_of_range(homogeneity):
    with pytest.raises(InvalidGrades) as raised:
        masi(face(chin=RegionGrades(2, 2, homogeneity)))
    assert raised.value.errors == {"chin.homogeneity": "A whole number from 0 to 4."}


def test_it_scores_masi_at_the_top_homogeneity_grade():
    # 0.3·1·(1+1)·3 + 0.1·2·(2+4) = 1.8 + 1.2
    assert masi(face(chin=RegionGrades(2, 2, 4))) == Decimal("3.0")


def test_mmasi_neither_uses_nor_asks_for_homogeneity():
    # mMASI drops homogeneity (Pandya 2011): whatever was recorded there is not its concern.
    assert mmasi(face(chin=RegionGrades(2, 2, 9))) == mmasi(face(chin=RegionGrades(2, 2, 0)))
    assert mmasi(face(chin=RegionGrades(2, 2, 9))) == Decimal("1.3")


@pytest.mark.parametrize("grade", [True, 1.5, "2"], ids=["bool", "fraction", "text"])
def test_it_refuses_a_grade_that_is_not_a_whole_number(grade):
    with pytest.raises(InvalidGrades) as raised:
        mmasi(face(forehead=RegionGrades(grade, 1)))
    assert raised.value.errors == {"forehead.area": "A whole number from 0 to 6."}


def test_it_says_what_is_wrong_with_each_region_and_grade():
    grades = {
        "forehead": RegionGrades(7, 1, 1),
        "nose": RegionGrades(1, 1, 1),
        "right_malar": RegionGrades(1, 5, 1),
        "left_malar": RegionGrades(1, 1, 1),
    }
    with pytest.raises(InvalidGrades) as raised:
        masi(grades)
    assert raised.value.errors == {
        "chin": "Grade every region (0 where there is no melasma).",
        "nose": "Unknown region; use: forehead, right_malar, left_malar, chin.",
        "forehead.area": "A whole number from 0 to 6.",
        "right_malar.darkness": "A whole number from 0 to 4.",
    }
    assert str(raised.value) == (
        "chin: Grade every region (0 where there is no melasma).; "
        "nose: Unknown region; use: forehead, right_malar, left_malar, chin.; "
        "forehead.area: A whole number from 0 to 6.; "
        "right_malar.darkness: A whole number from 0 to 4."
    )
