"""The server's common behaviour, seen through Patient: authentication, the CapabilityStatement,
search Bundles and paging, reads, and errors as OperationOutcomes."""

import pytest

from mesoclinic.audit.models import AuditEvent
from mesoclinic.fhir.tests.conftest import BASE, FHIR_JSON
from mesoclinic.fhir.tests.validator import assert_valid

pytestmark = pytest.mark.django_db


def test_it_refuses_anonymous_requests_with_401_and_an_outcome(client, patient_a):
    response = client.get(f"{BASE}/Patient")
    assert response.status_code == 401
    assert response["Content-Type"].startswith(FHIR_JSON)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["resourceType"] == "OperationOutcome"
    assert response.json()["issue"][0]["code"] == "login"
    assert_valid(response.json())


def test_it_serves_the_capability_statement_without_sign_in(client):
    response = client.get(f"{BASE}/metadata")
    assert response.status_code == 200
    body = response.json()
    assert body["resourceType"] == "CapabilityStatement"
    assert body["fhirVersion"] == "4.0.1"
    assert "Patient" in {item["type"] for item in body["rest"][0]["resource"]}
    assert_valid(body)


def test_it_searches_patients_of_the_users_clinics_only(
    fhir_as, receptionist, patient_a, patient_b
):
    response = fhir_as(receptionist).fhir_get("Patient")
    assert response.status_code == 200
    bundle = response.json()
    assert bundle["type"] == "searchset"
    assert [entry["resource"]["id"] for entry in bundle["entry"]] == [str(patient_a.pk)]
    assert "total" not in bundle
    assert_valid(bundle)


def test_it_reads_a_patient_with_its_version_and_audits_it(fhir_as, receptionist, patient_a):
    response = fhir_as(receptionist).fhir_get(f"Patient/{patient_a.pk}")
    assert response.status_code == 200
    resource = response.json()
    assert resource["meta"]["versionId"]
    assert response["ETag"] == f'W/"{resource["meta"]["versionId"]}"'
    assert_valid(resource)
    assert AuditEvent.objects.filter(
        action="view", interface="fhir", object_id=str(patient_a.pk)
    ).exists()


def test_it_answers_another_clinics_patient_with_404(fhir_as, receptionist, patient_b):
    response = fhir_as(receptionist).fhir_get(f"Patient/{patient_b.pk}")
    assert response.status_code == 404
    assert response.json()["issue"][0]["code"] == "not-found"
    assert AuditEvent.objects.filter(action="denied", object_id=str(patient_b.pk)).exists()


def test_it_pages_with_next_links_that_survive_inserts(
    fhir_as, receptionist, make_patient, clinic_a
):
    first = [make_patient(clinic_a) for _ in range(5)]
    api = fhir_as(receptionist)
    page_one = api.fhir_get("Patient", {"_count": 2}).json()
    make_patient(clinic_a)  # inserted while the client pages
    seen = [entry["resource"]["id"] for entry in page_one["entry"]]
    link = next(link["url"] for link in page_one["link"] if link["relation"] == "next")
    while link:
        page = api.get(link).json()
        seen += [entry["resource"]["id"] for entry in page.get("entry", [])]
        link = next((item["url"] for item in page["link"] if item["relation"] == "next"), None)
    assert seen == [str(patient.pk) for patient in reversed(first)]


def test_it_reports_unknown_parameters_and_ignores_them(fhir_as, receptionist, patient_a):
    bundle = fhir_as(receptionist).fhir_get("Patient", {"favourite-colour": "blue"}).json()
    outcome = [e for e in bundle["entry"] if e["search"]["mode"] == "outcome"]
    assert "favourite-colour" in outcome[0]["resource"]["issue"][0]["diagnostics"]
    assert_valid(bundle)
    assert [e["resource"]["id"] for e in bundle["entry"] if e["search"]["mode"] == "match"] == [
        str(patient_a.pk)
    ]


@pytest.mark.parametrize("count", ["many", "-1", "1.5"])
def test_it_refuses_a_malformed_count_with_400(fhir_as, receptionist, count):
    response = fhir_as(receptionist).fhir_get("Patient", {"_count": count})
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_it_answers_unknown_types_and_paths_with_an_outcome_404(fhir_as, receptionist):
    api = fhir_as(receptionist)
    for path in ("Spaceship", "Patient/1/_history/2", "nothing/here"):
        response = api.fhir_get(path)
        assert response.status_code == 404, path
        assert response.json()["resourceType"] == "OperationOutcome"


def test_it_counts_when_asked_for_a_total(fhir_as, receptionist, patient_a):
    bundle = fhir_as(receptionist).fhir_get("Patient", {"_total": "accurate"}).json()
    assert bundle["total"] == 1


def test_it_searches_by_cnic_identifier(fhir_as, receptionist, patient_a, make_patient, clinic_a):
    make_patient(clinic_a)
    bundle = (
        fhir_as(receptionist)
        .fhir_get(
            "Patient", {"identifier": f"https://fhir.mesoclinic.pk/sid/cnic|{patient_a.cnic}"}
        )
        .json()
    )
    assert [e["resource"]["id"] for e in bundle["entry"]] == [str(patient_a.pk)]
