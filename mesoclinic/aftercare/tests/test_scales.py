"""The outcome calculators: worked examples from the papers, every bad field named, and the
properties the issue asks for (monotonic in each input; MASI 0–48, mMASI 0–24)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.aftercare import scales

REGIONS = ("forehead", "right_malar", "left_malar", "chin")


def melasma(area=0, darkness=0, homogeneity=0, *, modified=False, **regions):
    grades = {"area": area, "darkness": darkness, "homogeneity": homogeneity}
    if modified:
        del grades["homogeneity"]
    body = {region: dict(grades) for region in REGIONS}
    for region, changes in regions.items():
        body[region].update(changes)
    return body


def refused(scale, data) -> dict:
    with pytest.raises(scales.InvalidInput) as caught:
        scales.score(scale, data)
    return caught.value.errors


def test_it_scores_the_worst_melasma_48_and_24():
    assert scales.score("masi", melasma(6, 4, 4)) == scales.Result(Decimal("48"), None)
    assert scales.score("mmasi", melasma(6, 4, modified=True)).score == Decimal("24")


def test_it_weights_the_regions_as_kimbrough_green():
    # Forehead A2 (D2 + H1) = 0.3 × 2 × 3 = 1.8; chin A6 (D4 + H4) = 0.1 × 6 × 8 = 4.8.
    body = melasma(forehead={"area": 2, "darkness": 2, "homogeneity": 1})
    body["chin"] = {"area": 6, "darkness": 4, "homogeneity": 4}
    assert scales.score("masi", body).score == Decimal("6.6")
    # mMASI: right malar A3 × D3 × 0.3 = 2.7
    body = melasma(modified=True, right_malar={"area": 3, "darkness": 3})
    assert scales.score("mmasi", body).score == Decimal("2.7")


def test_it_names_every_bad_field_at_once():
    body = melasma(1, 1, 1, forehead={"area": 7, "darkness": -1})
    del body["chin"]
    body["left_malar"]["homogeneity"] = True
    errors = refused("masi", body)
    assert set(errors) == {"forehead.area", "forehead.darkness", "left_malar.homogeneity", "chin"}


def test_it_refuses_floats_and_booleans_where_grades_are_whole_numbers():
    errors = refused("masi", melasma(1, 1, 1, forehead={"area": 6.0, "darkness": False}))
    assert set(errors) == {"forehead.area", "forehead.darkness"}
    assert set(refused("gais", {"rating": True})) == {"rating"}
    assert set(refused("satisfaction", {"rating": 7.0})) == {"rating"}


def test_it_refuses_homogeneity_in_mmasi_and_unknown_fields():
    errors = refused("mmasi", melasma(1, 1, 1))
    assert set(errors) == {f"{r}.homogeneity" for r in REGIONS}
    assert "nose" in refused("masi", {**melasma(1, 1, 1), "nose": {}})


def test_it_refuses_what_is_not_an_object():
    assert set(refused("masi", [1, 2])) == {"non_field_errors"}
    assert set(refused("masi", {**melasma(), "chin": 3})) == {"chin"}


def test_it_types_the_skin_from_the_fitzpatrick_answers():
    assert scales.score("fitzpatrick", {"answers": [0] * 10}) == scales.Result(0, "I")
    assert scales.score("fitzpatrick", {"answers": [2] * 10}) == scales.Result(20, "III")
    assert scales.score("fitzpatrick", {"answers": [4] * 10}) == scales.Result(40, "VI")
    errors = refused("fitzpatrick", {"answers": [2] * 8 + [5, True]})
    assert set(errors) == {"answers.8", "answers.9"}
    assert set(refused("fitzpatrick", {"answers": [2] * 9})) == {"answers"}


def test_it_labels_gais_and_stages_hair_loss_and_photoageing():
    assert scales.score("gais", {"rating": 1}) == scales.Result(1, "very much improved")
    assert scales.score("gais", {"rating": 5}) == scales.Result(5, "worse")
    assert set(refused("gais", {"rating": 0})) == {"rating"}
    assert scales.score("norwood", {"stage": "IIIv"}) == scales.Result(6, "IIIv")
    assert scales.score("norwood", {"stage": "vii"}) == scales.Result(12, "VII")
    assert set(refused("norwood", {"stage": "VIII"})) == {"stage"}
    assert scales.score("ludwig", {"stage": "II"}) == scales.Result(2, "II")
    assert scales.score("glogau", {"type": "IV"}) == scales.Result(4, "IV")
    assert scales.score("satisfaction", {"rating": 0}) == scales.Result(0, None)
    assert set(refused("satisfaction", {"rating": 11})) == {"rating"}


def test_it_gives_hair_density_per_square_centimetre():
    assert scales.score("hair_count", {"hairs": 150, "area_cm2": 1}).score == Decimal("150.00")
    assert scales.score("hair_count", {"hairs": 100, "area_cm2": 0.7}).score == Decimal("142.86")
    errors = refused("hair_count", {"hairs": -1, "area_cm2": 0})
    assert set(errors) == {"hairs", "area_cm2"}
    assert set(refused("hair_count", {"hairs": 3, "area_cm2": float("nan")})) == {"area_cm2"}


def test_it_knows_no_other_scale():
    with pytest.raises(scales.UnknownScale):
        scales.score("dlqi", {})


# --- properties ------------------------------------------------------------------------------

AREA, GRADE = st.integers(0, 6), st.integers(0, 4)
region = st.fixed_dictionaries({"area": AREA, "darkness": GRADE, "homogeneity": GRADE})
masi_body = st.fixed_dictionaries(dict.fromkeys(REGIONS, region))


def modified(body):
    return {r: {"area": g["area"], "darkness": g["darkness"]} for r, g in body.items()}


@given(masi_body)
def test_masi_and_mmasi_stay_in_their_ranges(body):
    assert 0 <= scales.score("masi", body).score <= 48
    assert 0 <= scales.score("mmasi", modified(body)).score <= 24


@given(masi_body, st.sampled_from(REGIONS), st.sampled_from(("area", "darkness", "homogeneity")))
def test_masi_and_mmasi_never_fall_when_one_grade_rises(body, where, grade):
    top = 6 if grade == "area" else 4
    higher = {r: dict(g) for r, g in body.items()}
    higher[where][grade] = min(top, body[where][grade] + 1)
    assert scales.score("masi", higher).score >= scales.score("masi", body).score
    if grade != "homogeneity":
        assert (
            scales.score("mmasi", modified(higher)).score
            >= scales.score("mmasi", modified(body)).score
        )


@given(st.lists(st.integers(0, 4), min_size=10, max_size=10), st.integers(0, 9))
def test_fitzpatrick_total_and_type_never_fall_when_an_answer_rises(answers, item):
    higher = list(answers)
    higher[item] = min(4, answers[item] + 1)
    low, high = (
        scales.score("fitzpatrick", {"answers": answers}),
        scales.score("fitzpatrick", {"answers": higher}),
    )
    assert high.score >= low.score
    assert scales.SKIN_TYPES.index(high.band) >= scales.SKIN_TYPES.index(low.band)


@pytest.mark.parametrize(
    ("scale", "key", "values"),
    [
        ("gais", "rating", list(range(1, 6))),
        ("satisfaction", "rating", list(range(11))),
        ("norwood", "stage", list(scales.NORWOOD_STAGES)),
        ("ludwig", "stage", list(scales.LUDWIG_STAGES)),
        ("glogau", "type", list(scales.GLOGAU_TYPES)),
    ],
)
def test_single_input_scales_rise_with_their_input(scale, key, values):
    got = [scales.score(scale, {key: value}).score for value in values]
    assert got == sorted(got) and len(set(got)) == len(got)


@given(
    st.integers(0, scales.HAIRS_MAX),
    st.integers(0, scales.HAIRS_MAX),
    st.decimals("0.5", "100", places=2),
)
def test_hair_density_rises_with_the_count(one, other, area):
    low, high = sorted((one, other))
    assert (
        scales.score("hair_count", {"hairs": low, "area_cm2": area}).score
        <= scales.score("hair_count", {"hairs": high, "area_cm2": area}).score
    )


@given(
    st.integers(0, scales.HAIRS_MAX),
    st.decimals("0.5", "100", places=2),
    st.decimals("0.5", "100", places=2),
)
def test_hair_density_falls_as_the_same_count_spreads_over_more_area(hairs, one, other):
    small, large = sorted((one, other))
    assert (
        scales.score("hair_count", {"hairs": hairs, "area_cm2": large}).score
        <= scales.score("hair_count", {"hairs": hairs, "area_cm2": small}).score
    )


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
        ),
        max_leaves=12,
    ),
    st.sampled_from(scales.SCALES),
)
def test_any_json_is_scored_or_refused_with_field_errors(data, scale):
    try:
        result = scales.score(scale, data)
    except scales.InvalidInput as refused_input:
        assert refused_input.errors
    else:
        assert result.score >= 0
