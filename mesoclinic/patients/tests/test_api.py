"""/api/v1/patients/: the same scoping, validation and audit as the pages, as JSON."""

import pytest
from rest_framework.test import APIClient

from mesoclinic.accounts.models import ApiToken
from mesoclinic.audit.models import AuditEvent
from mesoclinic.patients.models import Patient
from mesoclinic.restapi.testing import FIRST_TOKEN_QUERIES

pytestmark = pytest.mark.django_db

LIST = "/api/v1/patients/"


def _client(user=None, token=False):
    client = APIClient()
    if user is not None and token:
        _row, key = ApiToken.issue(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    elif user is not None:
        client.force_authenticate(user)
    return client


def _payload(clinic, **overrides):
    return {
        "registered_clinic": clinic.slug,
        "first_name": "Iqra",
        "last_name": "Javed",
        "date_of_birth": "1998-02-14",
        "sex": "female",
        "cnic": "۳۷۴۰۵-۷۶۵۴۳۲۱-۲",
        "mobile": "0345 1230987",
        **overrides,
    }


def test_it_answers_401_without_credentials():
    assert APIClient().get(LIST).status_code == 401


def test_a_patient_role_user_gets_403(make_user, clinic_a):
    client = _client(make_user("pat", "patient", [clinic_a]))
    assert client.get(LIST).status_code == 403


def test_the_list_holds_only_the_users_clinics_patients(receptionist, patient_a, patient_b):
    response = _client(receptionist, token=True).get(LIST)
    assert response.status_code == 200
    assert [row["mrn"] for row in response.json()["results"]] == [patient_a.mrn]


def test_the_administrator_lists_every_clinic(administrator, patient_a, patient_b):
    response = _client(administrator).get(LIST)
    assert {row["mrn"] for row in response.json()["results"]} == {patient_a.mrn, patient_b.mrn}


def test_the_outsider_gets_404_for_another_clinics_patient_and_it_is_audited(outsider, patient_a):
    client = _client(outsider, token=True)
    assert client.get(f"{LIST}{patient_a.pk}/").status_code == 404
    assert client.patch(f"{LIST}{patient_a.pk}/", {"email": "x@example.com"}).status_code == 404
    assert AuditEvent.objects.filter(action="denied", actor=outsider, interface="api").count() == 2
    patient_a.refresh_from_db()
    assert patient_a.email == ""


def test_reading_a_patient_returns_canonical_identifiers_and_is_audited(receptionist, patient_a):
    response = _client(receptionist).get(f"{LIST}{patient_a.pk}/")
    body = response.json()
    assert body["cnic"] == patient_a.cnic and len(body["cnic"]) == 13
    assert body["cnic_display"] == patient_a.cnic_display
    assert body["mobile"].startswith("+92")
    assert AuditEvent.objects.filter(action="view", interface="api", actor=receptionist).exists()


def test_it_registers_a_patient_typed_with_urdu_digits(receptionist, clinic_a):
    response = _client(receptionist).post(LIST, _payload(clinic_a), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["cnic"], body["mobile"]) == ("3740576543212", "+923451230987")
    assert body["mrn"] == Patient.objects.get().mrn
    assert AuditEvent.objects.filter(action="create", interface="api").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"cnic": "12-34"}, "cnic"),
        ({"mobile": "042-1234567"}, "mobile"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "1880-01-01"}, "date_of_birth"),
        ({"sex": "unknown"}, "sex"),
        ({"first_name": ""}, "first_name"),
        # Each of these becomes two characters under NFC: 160 would not fit in 80.
        ({"first_name": "\u0958" * 80}, "first_name"),
    ],
)
def test_bad_input_gets_400_with_field_errors_and_saves_nothing(
    receptionist, clinic_a, overrides, field
):
    response = _client(receptionist).post(LIST, _payload(clinic_a, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Patient.objects.exists()


def test_a_duplicate_gets_400_naming_the_field(receptionist, clinic_a, patient_a):
    response = _client(receptionist).post(
        LIST, _payload(clinic_a, cnic=patient_a.cnic_display), format="json"
    )
    assert response.status_code == 400
    assert patient_a.mrn in response.json()["cnic"][0]


def test_a_receptionist_cannot_register_at_a_clinic_they_do_not_work_at(receptionist, clinic_b):
    response = _client(receptionist).post(LIST, _payload(clinic_b), format="json")
    assert response.status_code == 400
    assert response.json()["registered_clinic"] == ["You do not work at this clinic."]


def test_it_updates_a_patient_and_refuses_to_move_their_clinic(receptionist, patient_a, clinic_b):
    client = _client(receptionist)
    response = client.patch(
        f"{LIST}{patient_a.pk}/",
        {"mobile": "0312-9876543", "registered_clinic": clinic_b.slug},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["mobile"] == "+923129876543"
    patient_a.refresh_from_db()
    assert patient_a.registered_clinic.slug == "clinic-a"
    event = AuditEvent.objects.get(action="update")
    assert event.changed_fields == ["mobile"]


def test_search_and_cursor_pagination(receptionist, make_patient, clinic_a):
    patients = [make_patient(clinic_a, first_name="Bilal") for _ in range(3)]
    make_patient(clinic_a, first_name="Usman")
    client = _client(receptionist)
    first = client.get(LIST, {"q": "bilal", "page_size": 2}).json()
    assert [row["id"] for row in first["results"]] == [patients[2].pk, patients[1].pk]
    second = client.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [patients[0].pk]
    assert second["next"] is None


@pytest.mark.parametrize("count", [1, 25])
def test_the_list_costs_the_same_queries_however_many_patients(
    receptionist, make_patient, clinic_a, django_assert_num_queries, count
):
    for _ in range(count):
        make_patient(clinic_a)
    client = _client(receptionist, token=True)
    # token with its user, the user's groups, one page of patients, the audit insert; the
    # lockout read, the throttle and the token's last use (restapi/testing.py)
    with django_assert_num_queries(4 + FIRST_TOKEN_QUERIES):
        response = client.get(LIST)
    assert len(response.json()["results"]) == count


def test_the_detail_costs_a_fixed_number_of_queries(
    receptionist, patient_a, django_assert_num_queries
):
    client = _client(receptionist, token=True)
    # token with its user, groups, the patient, the audit insert; the lockout read, the
    # throttle and the token's last use (restapi/testing.py)
    with django_assert_num_queries(4 + FIRST_TOKEN_QUERIES):
        assert client.get(f"{LIST}{patient_a.pk}/").status_code == 200


def test_an_edit_that_changes_nothing_is_still_audited_as_a_read(receptionist, patient_a):
    response = _client(receptionist).patch(f"{LIST}{patient_a.pk}/", {}, format="json")
    assert response.status_code == 200 and response.json()["cnic"] == patient_a.cnic
    assert AuditEvent.objects.filter(action="view", object_id=str(patient_a.pk)).count() == 1


@pytest.mark.parametrize("url", [LIST, "/api/v1/practitioners/", "/api/v1/clinics/"])
def test_a_forged_cursor_is_404_not_a_server_error(receptionist, url):
    forged = "cD1hYmM="  # base64 of "p=abc"
    assert _client(receptionist).get(url, {"cursor": forged}).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"{LIST}?q=%00x",
        "/api/v1/patients/%00/",
        "/api/v1/clinics/?city=%00",
        "/api/v1/practitioners/?clinic=a%00",
        "/patients/?q=%00",
    ],
)
def test_a_null_character_in_the_url_is_400_on_every_database(client, receptionist, url):
    client.force_login(receptionist)
    assert client.get(url).status_code == 400


def test_patient_answers_are_never_cached(receptionist, patient_a, client):
    api = _client(receptionist).get(f"{LIST}{patient_a.pk}/")
    client.force_login(receptionist)
    page = client.get(f"/patients/{patient_a.pk}/")
    for response in (api, page):
        assert "no-store" in response["Cache-Control"]
