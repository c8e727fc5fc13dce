"""Errors across the whole server: every refusal is an OperationOutcome with the status the FHIR
RESTful API gives it, for every registered type, and never a 500. Random input (search values
and whole query strings) either works or is a 400. Another clinic's record of every type is
checked in test_capability.py, over its world with a record of every kind."""

from datetime import UTC

import pytest
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from mesoclinic.accounts import tokens
from mesoclinic.accounts.models import ApiToken, TokenScope
from mesoclinic.accounts.roles import Role
from mesoclinic.audit.services import Interface
from mesoclinic.conftest import SecondFactorClient
from mesoclinic.fhir import registry, search
from mesoclinic.fhir.outcome import FhirError
from mesoclinic.fhir.tests.conftest import BASE, FHIR_JSON, FhirClient
from mesoclinic.fhir.tests.validator import assert_valid
from mesoclinic.fhir.tests.world import context_params

pytestmark = pytest.mark.django_db

TYPES = [item.name for item in registry.all_types()]
WRITABLE = [item.name for item in registry.all_types() if item.create is not None]
UPDATABLE = [item.name for item in registry.all_types() if item.update is not None]

#: Dates that are not, or that fall off the end of the calendar once moved to UTC.
NOT_DATES = (
    "yesterday",
    "2026-13-01",
    "2026-02-30",
    "zz2026",
    "9999-12-31",
    "0001-01-01T00:00+14:00",
    "2026-01-01T10:00+99:99",
    "٢٠٢٦-٠١-٠١",
)
#: Ids and references that name no record: signs, other digits, past a 64-bit key.
NAMES_OF_NOTHING = ("-1", "²", "١٢", "99999999999999999999", "Patient/-1", "x-1", "0", " ")


def _or_none_yet(names: list[str], what: str):
    """Parameters for the tests of bodies: every type that takes them, or one explicit skip
    naming why (a body is only read where a type takes one)."""
    return names or [pytest.param(None, marks=pytest.mark.skip(f"no type offers {what} yet"))]


def assert_outcome(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith(FHIR_JSON)
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert_valid(body)
    if code is not None:
        assert body["issue"][0]["code"] == code, body
    return body


@pytest.fixture
def doctor(practitioner_user):
    return FhirClient(practitioner_user)


# --- authentication ------------------------------------------------------------------------


@pytest.mark.parametrize("type_name", TYPES)
def test_it_answers_every_type_without_credentials_with_401(client, type_name):
    for path in (type_name, f"{type_name}/1"):
        response = client.get(f"{BASE}/{path}")
        assert_outcome(response, 401, "login")
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "authorization",
    ["Bearer not-a-token", "Token not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer a b"],
)
def test_it_answers_an_unknown_or_malformed_credential_with_401(client, authorization):
    response = client.get(f"{BASE}/Patient", HTTP_AUTHORIZATION=authorization)
    assert_outcome(response, 401, "login")


@pytest.mark.parametrize("keyword", ["Bearer", "Token"])
def test_it_answers_an_expired_or_revoked_token_with_401_saying_which(
    client, practitioner_user, keyword
):
    _row, expired = ApiToken.issue(user=practitioner_user, days=0)
    row, revoked = ApiToken.issue(user=practitioner_user)
    tokens.revoke_token(acting_user=practitioner_user, token=row, via=Interface.API)
    for key, word in ((expired, "expired"), (revoked, "revoked")):
        response = client.get(f"{BASE}/Patient", HTTP_AUTHORIZATION=f"{keyword} {key}")
        body = assert_outcome(response, 401, "login")
        assert word in body["issue"][0]["diagnostics"]


def test_it_locks_out_an_address_guessing_tokens_with_429(client, settings):
    settings.API_BAD_TOKEN_LIMIT = 2
    for _guess in range(2):
        client.get(f"{BASE}/Patient", HTTP_AUTHORIZATION="Bearer guess")
    response = client.get(f"{BASE}/Patient", HTTP_AUTHORIZATION="Bearer guess")
    assert_outcome(response, 429, "throttled")
    assert int(response["Retry-After"]) >= 1


def test_it_serves_a_verified_session_and_refuses_an_unverified_one_with_an_outcome(
    client, unverified_client, practitioner_user
):
    client.force_login(practitioner_user)
    assert client.get(f"{BASE}/Patient").status_code == 200
    unverified_client.force_login(practitioner_user)
    assert_outcome(unverified_client.get(f"{BASE}/Patient"), 403, "forbidden")


def test_it_refuses_a_session_write_without_its_csrf_token_with_403(practitioner_user):
    browser = SecondFactorClient(enforce_csrf_checks=True)
    browser.force_login(practitioner_user)
    response = browser.post(
        f"{BASE}/{TYPES[0]}", {"resourceType": TYPES[0]}, content_type=FHIR_JSON
    )
    assert_outcome(response, 403, "forbidden")


@pytest.mark.parametrize("role", [Role.PATIENT, None])
def test_it_refuses_people_without_a_staff_role_with_403(make_user, role):
    person = make_user(f"no-staff-{role}", role)
    assert_outcome(FhirClient(person).fhir_get("Patient"), 403, "forbidden")


@pytest.mark.parametrize("type_name", TYPES)
def test_it_refuses_every_write_with_a_read_only_token_with_403(practitioner_user, type_name):
    _row, key = ApiToken.issue(user=practitioner_user, scope=TokenScope.READ)
    reader = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"{BASE}/{type_name}"
    body = assert_outcome(
        reader.post(url, {"resourceType": type_name}, content_type=FHIR_JSON), 403, "forbidden"
    )
    assert "read-only" in body["issue"][0]["diagnostics"]
    put = reader.put(f"{url}/1", {"resourceType": type_name, "id": "1"}, content_type=FHIR_JSON)
    assert_outcome(put, 403, "forbidden")
    context = context_params(FhirClient(practitioner_user), type_name)
    assert reader.get(url, context).status_code in (200, 400)  # reading is allowed


def test_it_throttles_a_burst_with_429_and_retry_after(doctor, settings):
    settings.API_THROTTLE_RATES = {**django_settings.API_THROTTLE_RATES, "token": "2/min"}
    assert [doctor.fhir_get("Patient").status_code for _ in range(2)] == [200, 200]
    response = doctor.fhir_get("Patient")
    assert_outcome(response, 429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= 60


# --- methods and bodies --------------------------------------------------------------------


@pytest.mark.parametrize("type_name", TYPES)
def test_it_answers_delete_and_patch_with_405(doctor, type_name):
    assert_outcome(doctor.delete(f"{BASE}/{type_name}/1"), 405, "not-supported")
    assert_outcome(
        doctor.patch(f"{BASE}/{type_name}/1", "[]", content_type="application/json-patch+json"),
        405,
        "not-supported",
    )


@pytest.mark.parametrize("type_name", _or_none_yet(WRITABLE, "create"))
def test_it_refuses_bodies_it_cannot_read_with_400_and_other_media_with_415(doctor, type_name):
    url = f"{BASE}/{type_name}"
    assert_outcome(doctor.post(url, "{not json", content_type=FHIR_JSON), 400, "structure")
    assert_outcome(doctor.post(url, "[1, 2]", content_type=FHIR_JSON), 400, "invalid")
    assert_outcome(doctor.post(url, '{"id": "1"}', content_type=FHIR_JSON), 400, "invalid")
    other = "Basic" if type_name != "Basic" else "Binary"
    body = assert_outcome(doctor.fhir_post(type_name, {"resourceType": other}), 400, "invalid")
    assert type_name in body["issue"][0]["diagnostics"]
    assert_outcome(doctor.post(url, "<Patient/>", content_type="application/fhir+xml"), 415)
    assert_outcome(doctor.post(url, "resourceType=x", content_type="text/plain"), 415)


@pytest.mark.parametrize("type_name", _or_none_yet(UPDATABLE, "update"))
def test_it_refuses_an_update_of_another_type_or_id_with_400(doctor, type_name, patient_a):
    # A record the doctor may update (patient_a: Patient is the one updatable type today): the
    # record is found first (another clinic's is a 404 whatever the body), then the body read.
    ident = doctor.fhir_get(type_name, {"_count": 1}).json()["entry"][0]["resource"]["id"]
    url = f"{BASE}/{type_name}/{ident}"
    assert_outcome(doctor.put(url, "{not json", content_type=FHIR_JSON), 400, "structure")
    other = {"resourceType": type_name, "id": f"{ident}9"}
    assert_outcome(doctor.fhir_put(f"{type_name}/{ident}", other), 400)


# --- searches and reads --------------------------------------------------------------------


@pytest.mark.parametrize("type_name", TYPES)
def test_it_reports_an_unknown_search_parameter_and_refuses_malformed_controls(doctor, type_name):
    context = context_params(doctor, type_name)
    bundle = doctor.fhir_get(type_name, {**context, "no-such-param": "1", "_sort": "x"}).json()
    assert bundle["resourceType"] == "Bundle"
    outcomes = [e for e in bundle.get("entry", []) if e["search"]["mode"] == "outcome"]
    assert "no-such-param" in outcomes[0]["resource"]["issue"][0]["diagnostics"]
    assert outcomes[0]["resource"]["issue"][0]["severity"] == "warning"
    for control in ({"_count": "x"}, {"_count": "²"}, {"_cursor": "x"}, {"_total": "x"}):
        assert_outcome(doctor.fhir_get(type_name, {**context, **control}), 400, "invalid")


@pytest.mark.parametrize("type_name", TYPES)
def test_it_refuses_a_malformed_date_with_400(doctor, type_name):
    """Every date parameter the CapabilityStatement lists for the type."""
    statement = doctor.fhir_get("metadata").json()
    entry = next(r for r in statement["rest"][0]["resource"] if r["type"] == type_name)
    for name in [p["name"] for p in entry["searchParam"] if p["type"] == "date"]:
        for value in NOT_DATES:
            query = {**context_params(doctor, type_name), name: value}
            assert_outcome(doctor.fhir_get(type_name, query), 400, "invalid")


@pytest.mark.parametrize("type_name", TYPES)
def test_it_finds_nothing_for_ids_and_references_that_name_nothing(doctor, type_name):
    references = [p.name for p in registry.get(type_name).params if p.type == "reference"]
    for name in ["_id", *references]:
        for value in NAMES_OF_NOTHING:
            response = doctor.fhir_get(
                type_name, {**context_params(doctor, type_name), name: value, "_total": "accurate"}
            )
            assert response.status_code in (200, 400), (name, value, response.content[:300])
            if response.status_code == 200:
                assert response.json()["total"] == 0, (name, value)
            else:
                assert_outcome(response, 400, "invalid")


@pytest.mark.parametrize("ident", ["0", "999999999999", "not-a-number", "x-1", "-1"])
@pytest.mark.parametrize("type_name", TYPES)
def test_it_answers_a_read_of_nothing_with_404(doctor, type_name, ident):
    assert_outcome(doctor.fhir_get(f"{type_name}/{ident}"), 404, "not-found")


# --- properties ----------------------------------------------------------------------------


def _fails_as_400(call) -> None:
    try:
        call()
    except FhirError as exc:
        assert exc.status == 400
        assert exc.issues and all(issue["diagnostics"] for issue in exc.issues)


@given(st.text())
def test_it_reads_any_search_value_or_refuses_it_with_400(value):
    _fails_as_400(lambda: search.parse_date(value, UTC))
    _fails_as_400(lambda: search.parse_cursor(value))
    _fails_as_400(lambda: search.parse_reference(value, "Patient"))
    system, _code = search.parse_token(value)
    assert (system is None) == ("|" not in value)
    parts = search.split_or(value)
    assert parts and all(isinstance(part, str) for part in parts)


DATES = st.from_regex(
    r"(eq|ne|gt|lt|ge|le|sa|eb|ap)?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?)?)?)?",
    fullmatch=True,
)


@given(DATES)
def test_it_reads_every_well_formed_date_as_a_range_or_a_400(value):
    try:
        span = search.parse_date(value, UTC)
    except FhirError as exc:
        assert exc.status == 400
    else:
        assert span.start < span.end


#: Any text a URL can carry (lone surrogates cannot be encoded; NUL and the rest can).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
NAMES = st.sampled_from(
    [
        "name",
        "family",
        "given",
        "birthdate",
        "gender",
        "identifier",
        "phone",
        "organization",
        "_id",
        "_lastUpdated",
        "_count",
        "_cursor",
        "_total",
        "_include",
        "_sort",
        "x",
    ]
)


@hypothesis_settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(NAMES, st.one_of(TEXT, st.sampled_from(NOT_DATES + NAMES_OF_NOTHING))), max_size=4
    )
)
def test_it_never_fails_on_a_random_patient_search(doctor, pairs):
    response = doctor.fhir_get("Patient", pairs)
    assert response.status_code in (200, 400), (pairs, response.content[:300])
    assert response.json()["resourceType"] == (
        "Bundle" if response.status_code == 200 else "OperationOutcome"
    )
