"""POST /api/v1/screening/evaluate: the engine as JSON, strict about what it reads."""

import pytest
from rest_framework.test import APIClient

from mesoclinic.accounts.models import ApiToken
from mesoclinic.restapi.testing import SESSION_QUERIES

pytestmark = pytest.mark.django_db

URL = "/api/v1/screening/evaluate"
WOMAN = {"sex": "female", "age": 31}


def api(user, token=False):
    client = APIClient()
    if token:
        _row, key = ApiToken.issue(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    else:
        client.force_authenticate(user)
    return client


def evaluate(user, body, **extra):
    return api(user).post(URL, body, format="json", **extra)


def test_nothing_against_it_is_eligible_with_no_reasons(practitioner_user):
    response = evaluate(
        practitioner_user,
        {"patient": WOMAN, "ingredients": ["tranexamic_acid"], "indication": "melasma"},
    )
    assert response.status_code == 200
    assert response.json() == {"decision": "eligible", "reasons": []}


def test_pregnancy_is_contraindicated_with_code_severity_message_and_source(receptionist):
    body = evaluate(
        receptionist, {"patient": {**WOMAN, "pregnant": True}, "indication": "melasma"}
    ).json()
    assert body["decision"] == "contraindicated"
    [reason] = body["reasons"]
    assert (reason["code"], reason["severity"]) == ("pregnancy", "absolute")
    assert "Pregnancy" in reason["message"] and reason["source"].startswith("CLINICAL.md")


def test_an_ingredient_rule_fires_only_when_that_ingredient_is_planned(practitioner_user):
    patient = {**WOMAN, "conditions": ["thromboembolism"]}
    with_txa = evaluate(
        practitioner_user, {"patient": patient, "ingredients": ["tranexamic_acid"]}
    ).json()
    without = evaluate(
        practitioner_user, {"patient": patient, "ingredients": ["hyaluronic_acid"]}
    ).json()
    assert with_txa["decision"] == "contraindicated"
    assert [r["code"] for r in with_txa["reasons"]] == ["tranexamic_acid_thrombosis"]
    assert with_txa["reasons"][0]["ingredients"] == ["tranexamic_acid"]
    assert without["decision"] == "eligible"


def test_a_relative_reason_needs_review(practitioner_user):
    body = evaluate(
        practitioner_user, {"patient": {**WOMAN, "medications": ["anticoagulant"]}}
    ).json()
    assert body["decision"] == "needs_review"
    assert {r["severity"] for r in body["reasons"]} == {"relative"}


def test_the_message_follows_the_request_language(practitioner_user):
    body = evaluate(
        practitioner_user,
        {"patient": {**WOMAN, "pregnant": True}},
        headers={"Accept-Language": "ur"},
    ).json()
    reason = body["reasons"][0]
    assert reason["message"] == reason["message_ur"] and "حمل" in reason["message"]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"patient": {"age": 30}}, {"patient": {"sex": ["This field is required."]}}),
        ({"patient": {"sex": "male"}}, {"patient": {"age": ["This field is required."]}}),
        (
            {"patient": {**WOMAN, "conditions": ["flu"]}},
            {"patient": {"conditions": ["Unknown condition codes: 'flu'."]}},
        ),
        (
            {"patient": {**WOMAN, "pregnant": "no"}},
            {"patient": {"pregnant": ["Must be true or false."]}},
        ),
        (
            {"patient": {**WOMAN, "age": "31"}},
            {"patient": {"age": ["Age must be a whole number of years."]}},
        ),
        (
            {"patient": WOMAN, "ingredients": ["snail_slime"]},
            {"ingredients": ["Unknown ingredient codes: 'snail_slime'."]},
        ),
        ({"patient": WOMAN, "ingredients": "tranexamic_acid"}, None),
        ({"patient": WOMAN, "indication": "wrinkles"}, None),
        ({"patient": WOMAN, "planned": []}, {"planned": ["Unknown field."]}),
        ({}, None),
        ([], None),
    ],
)
def test_bad_input_is_a_400_naming_the_field(practitioner_user, body, errors):
    response = evaluate(practitioner_user, body)
    assert response.status_code == 400
    if errors is not None:
        assert response.json() == errors
    else:
        assert response.json()  # names something


def test_it_needs_a_staff_member_or_a_token(client, make_user, receptionist):
    assert APIClient().post(URL, {"patient": WOMAN}, format="json").status_code in (401, 403)
    patient_user = make_user("someone", "patient")
    assert evaluate(patient_user, {"patient": WOMAN}).status_code == 403
    token_client = api(receptionist, token=True)
    assert token_client.post(URL, {"patient": WOMAN}, format="json").status_code == 200
    assert token_client.post(URL + "/", {"patient": WOMAN}, format="json").status_code == 200


def test_it_reads_the_policy_in_a_constant_number_of_queries(
    practitioner_user, django_assert_num_queries
):
    client = api(practitioner_user)
    client.post(URL, {"patient": WOMAN}, format="json")
    # the rules, the formulary's ingredient codes (authentication is forced: no queries); the
    # throttle (restapi/testing.py)
    with django_assert_num_queries(2 + SESSION_QUERIES):
        client.post(
            URL,
            {"patient": {**WOMAN, "pregnant": True, "conditions": ["seizures"]}},
            format="json",
        )


def test_the_self_check_and_the_api_give_the_same_decision_for_the_same_facts(
    client, practitioner_user
):
    """A visitor who is breastfeeding: the self-check says not suitable now, and the API,
    from the same engine and policy, says contraindicated for the same concern's cocktail."""
    html = client.post(
        "/en/self-check/",
        {
            "concern": "melasma",
            "age": "adult",
            "pregnant": "no",
            "breastfeeding": "yes",
            "planning_pregnancy": "no",
            "allergy": "no",
            "infection": "no",
            "blood_thinners": "no",
            "isotretinoin": "no",
        },
    ).content.decode()
    api_body = evaluate(
        practitioner_user,
        {
            "patient": {**WOMAN, "breastfeeding": True},
            "ingredients": ["tranexamic_acid", "kojic_acid", "ascorbic_acid"],
            "indication": "melasma",
        },
    ).json()
    assert "Not suitable now" in html
    assert api_body["decision"] == "contraindicated"
    assert [r["code"] for r in api_body["reasons"]] == ["breastfeeding"]


def test_the_schema_documents_the_endpoint(admin_client):
    # The schema is behind sign-in (issue 20).
    paths = admin_client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    [path] = [p for p in paths if p.startswith("/api/v1/screening/evaluate")]
    assert "post" in paths[path]
