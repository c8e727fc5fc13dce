"""Hypothesis strategies shared by the engine's tests."""

from hypothesis import strategies as st

from mesoclinic.care.rules import CONDITIONS, INGREDIENTS, MEDICATIONS, Facts

#: Any facts the vocabulary can express.
facts_strategy = st.builds(
    Facts,
    sex=st.sampled_from((None, "female", "male")),
    age=st.none() | st.integers(0, 130),
    pregnant=st.booleans(),
    breastfeeding=st.booleans(),
    may_become_pregnant=st.booleans(),
    unspecified_allergy=st.booleans(),
    allergies=st.frozensets(st.sampled_from(INGREDIENTS)),
    conditions=st.frozensets(st.sampled_from(CONDITIONS)),
    medications=st.frozensets(st.sampled_from(MEDICATIONS)),
    positive_patch_tests=st.frozensets(st.sampled_from(INGREDIENTS)),
)
