"""The pure rule: who needs a second factor, and where a signed-in request goes."""

from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.security.second_factor_policy import (
    ADMINISTRATOR,
    ALWAYS,
    CLINIC_MANAGER,
    PATIENT,
    PRACTITIONER,
    RECEPTIONIST,
    Facts,
    Route,
    is_exempt,
    is_required,
    may_remove,
    route,
)

roles = st.frozensets(
    st.sampled_from([ADMINISTRATOR, CLINIC_MANAGER, PRACTITIONER, RECEPTIONIST, PATIENT, "other"])
)


@given(roles=roles, superuser=st.booleans(), clinic=st.booleans())
def test_it_requires_a_factor_exactly_for_the_roles_and_clinics_that_ask(roles, superuser, clinic):
    required = is_required(
        roles=roles, is_superuser=superuser, a_clinic_requires_receptionists=clinic
    )
    expected = superuser or bool(roles & ALWAYS) or (RECEPTIONIST in roles and clinic)
    assert required == expected


@given(superuser=st.booleans(), clinic=st.booleans())
def test_it_requires_administrators_managers_and_practitioners_whatever_the_clinic(
    superuser, clinic
):
    for role in (ADMINISTRATOR, CLINIC_MANAGER, PRACTITIONER):
        assert is_required(
            roles=frozenset({role}), is_superuser=superuser, a_clinic_requires_receptionists=clinic
        )


@given(clinic=st.booleans())
def test_it_never_requires_the_patient_role(clinic):
    assert not is_required(
        roles=frozenset({PATIENT}), is_superuser=False, a_clinic_requires_receptionists=clinic
    )


def test_it_requires_a_receptionist_only_when_a_clinic_asks():
    receptionist = frozenset({RECEPTIONIST})
    assert is_required(roles=receptionist, is_superuser=False, a_clinic_requires_receptionists=True)
    assert not is_required(
        roles=receptionist, is_superuser=False, a_clinic_requires_receptionists=False
    )


def test_it_requires_a_superuser_without_any_role():
    assert is_required(roles=frozenset(), is_superuser=True, a_clinic_requires_receptionists=False)


@given(verified=st.booleans(), required=st.booleans(), has_factor=st.booleans())
def test_it_routes_every_combination(verified, required, has_factor):
    where = route(Facts(verified=verified, required=required, has_factor=has_factor))
    if verified:
        assert where is Route.PASS
    elif has_factor:
        assert where is Route.VERIFY  # chose one or must: either way, prove it
    elif required:
        assert where is Route.ENROL
    else:
        assert where is Route.PASS


@given(required=st.booleans(), left=st.integers(min_value=0, max_value=5))
def test_it_refuses_removing_only_the_last_factor_of_someone_who_needs_one(required, left):
    assert may_remove(required=required, factors_left_after=left) == (not required or left > 0)


@given(path=st.text(alphabet="/abcdehilnorsuy", max_size=30))
def test_a_folder_prefix_exempts_only_paths_inside_it(path):
    prefixes = ("/hooks/", "/sitemap.xml")
    assert is_exempt(path, exempt_prefixes=prefixes) == (
        path.startswith("/hooks/") or path == "/sitemap.xml"
    )
