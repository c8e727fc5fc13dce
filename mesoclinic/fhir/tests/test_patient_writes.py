"""Patient create and update over FHIR: the pages' services and checks, every refusal as an
OperationOutcome naming the element at fault, conditional create and update."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mesoclinic.accounts.models import ApiToken, TokenScope
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.fhir.mapping.common import CNIC_SYSTEM, MRN_SYSTEM
from mesoclinic.fhir.mapping.patient import patient_resource
from mesoclinic.fhir.tests.conftest import BASE, FhirClient
from mesoclinic.fhir.tests.validator import assert_valid
from mesoclinic.patients import services as patient_services
from mesoclinic.patients.models import Patient
from mesoclinic.restapi.testing import TOKEN_QUERIES

pytestmark = pytest.mark.django_db


def new_patient(**changes) -> dict:
    resource = {
        "resourceType": "Patient",
        "identifier": [
            {"system": "https://example.org/other", "value": "X-1"},
            {"system": CNIC_SYSTEM, "value": "61101-7654321-3"},
        ],
        "name": [{"use": "official", "family": "Malik", "given": ["Sana"]}],
        "telecom": [{"system": "phone", "value": "0301-7654321", "use": "mobile"}],
        "gender": "female",
        "birthDate": "1992-03-04",
    }
    resource.update(changes)
    return {key: value for key, value in resource.items() if value is not None}


def issues_of(response) -> list[dict]:
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert_valid(body)
    return body["issue"]


def expressions(response) -> set[str]:
    return {path for item in issues_of(response) for path in item.get("expression", [])}


# --- create -------------------------------------------------------------------------------


def test_it_creates_a_patient_through_the_registration_service(fhir_as, receptionist, clinic_a):
    response = fhir_as(receptionist).fhir_post("Patient", new_patient())
    assert response.status_code == 201
    resource = response.json()
    assert_valid(resource)
    patient = Patient.objects.get(pk=resource["id"])
    assert patient.registered_clinic == clinic_a
    assert (patient.cnic, patient.mobile, patient.first_name) == (
        "6110176543213",
        "+923017654321",
        "Sana",
    )
    assert {"system": MRN_SYSTEM, "value": patient.mrn}.items() <= next(
        i for i in resource["identifier"] if i["system"] == MRN_SYSTEM
    ).items()
    assert resource["managingOrganization"]["reference"] == f"Organization/{clinic_a.pk}"
    assert response["Location"].endswith(f"{BASE}/Patient/{patient.pk}")
    event = AuditEvent.objects.get(action="create", object_id=str(patient.pk))
    assert event.interface == Interface.FHIR


def test_it_refuses_an_invalid_cnic_naming_its_identifier(fhir_as, receptionist):
    identifier = [{"system": "x"}, {"system": CNIC_SYSTEM, "value": "12345"}]
    response = fhir_as(receptionist).fhir_post("Patient", new_patient(identifier=identifier))
    assert response.status_code == 422
    [problem] = issues_of(response)
    assert problem["expression"] == ["Patient.identifier[1]"]
    assert "13 digits" in problem["diagnostics"]
    assert not Patient.objects.exists()


def test_it_refuses_a_gender_outside_the_value_set_with_400(fhir_as, receptionist):
    response = fhir_as(receptionist).fhir_post("Patient", new_patient(gender="woman"))
    assert response.status_code == 400
    [problem] = issues_of(response)
    assert (problem["code"], problem["expression"]) == ("code-invalid", ["Patient.gender"])


def test_it_refuses_unknown_gender_which_it_cannot_store(fhir_as, receptionist):
    response = fhir_as(receptionist).fhir_post("Patient", new_patient(gender="unknown"))
    assert response.status_code == 422
    [problem] = issues_of(response)
    assert problem["expression"] == ["Patient.gender"]
    assert "female, male or other" in problem["diagnostics"]


def test_it_names_every_missing_element_at_once(fhir_as, receptionist):
    resource = {"resourceType": "Patient", "gender": "male"}
    response = fhir_as(receptionist).fhir_post("Patient", resource)
    assert response.status_code == 422
    assert expressions(response) == {"Patient.name", "Patient.telecom", "Patient.birthDate"}
    assert {item["code"] for item in issues_of(response)} == {"required"}


def test_it_refuses_a_partial_birth_date_and_one_that_does_not_exist(fhir_as, receptionist):
    api = fhir_as(receptionist)
    partial = api.fhir_post("Patient", new_patient(birthDate="1992-03"))
    assert partial.status_code == 422
    assert expressions(partial) == {"Patient.birthDate"}
    impossible = api.fhir_post("Patient", new_patient(birthDate="1992-02-30"))
    assert impossible.status_code == 400
    assert expressions(impossible) == {"Patient.birthDate"}


def test_it_refuses_what_the_staff_form_refuses_naming_the_element(fhir_as, receptionist):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    telecom = [{"system": "phone", "value": "051-5550100", "use": "mobile"}]  # a landline
    response = fhir_as(receptionist).fhir_post(
        "Patient", new_patient(birthDate=future, telecom=telecom)
    )
    assert response.status_code == 422
    assert expressions(response) == {"Patient.birthDate", "Patient.telecom[0].value"}


def test_it_refuses_control_characters_and_an_overlong_email(fhir_as, receptionist):
    api = fhir_as(receptionist)
    nul = api.fhir_post("Patient", new_patient(name=[{"family": "Ma\x00lik", "given": ["Sana"]}]))
    assert nul.status_code == 400
    assert expressions(nul) == {"Patient.name[0].family"}
    telecom = [
        {"system": "phone", "value": "0301-7654321"},
        {"system": "email", "value": "a" * 250 + "@example.org"},
    ]
    long_email = api.fhir_post("Patient", new_patient(telecom=telecom))
    assert long_email.status_code == 422
    assert expressions(long_email) == {"Patient.telecom[1].value"}


def test_it_refuses_a_user_without_a_staff_role_with_403(fhir_as, make_user, clinic_a):
    nobody = make_user("nobody", None, [clinic_a])
    response = fhir_as(nobody).fhir_post("Patient", new_patient())
    assert response.status_code == 403
    assert issues_of(response)[0]["code"] == "forbidden"
    assert not Patient.objects.exists()


def test_it_refuses_another_resource_type_and_malformed_json_with_400(fhir_as, receptionist):
    api = fhir_as(receptionist)
    wrong_type = api.fhir_post("Patient", {"resourceType": "Observation"})
    assert wrong_type.status_code == 400
    assert issues_of(wrong_type)[0]["expression"] == ["resourceType"]
    malformed = api.post(f"{BASE}/Patient", "{not json", content_type="application/fhir+json")
    assert malformed.status_code == 400
    assert issues_of(malformed)[0]["code"] == "structure"
    wrong_shape = api.fhir_post("Patient", new_patient(name="Sana Malik"))
    assert wrong_shape.status_code == 400
    assert "Patient.name" in expressions(wrong_shape)


def test_it_registers_at_the_named_clinic_only_if_the_user_works_there(
    fhir_as, receptionist, clinic_a, clinic_b
):
    api = fhir_as(receptionist)
    elsewhere = {"reference": f"Organization/{clinic_b.pk}"}
    response = api.fhir_post("Patient", new_patient(managingOrganization=elsewhere))
    assert response.status_code == 422
    assert expressions(response) == {"Patient.managingOrganization"}
    assert "not a clinic you work at" in issues_of(response)[0]["diagnostics"]
    here = {"reference": f"Organization/{clinic_a.pk}"}
    assert api.fhir_post("Patient", new_patient(managingOrganization=here)).status_code == 201


def test_it_needs_the_clinic_named_when_the_user_works_at_several(
    fhir_as, administrator, clinic_a, clinic_b
):
    api = fhir_as(administrator)
    response = api.fhir_post("Patient", new_patient())
    assert response.status_code == 422
    assert expressions(response) == {"Patient.managingOrganization"}
    named = new_patient(managingOrganization={"reference": f"Organization/{clinic_b.pk}"})
    created = api.fhir_post("Patient", named)
    assert created.status_code == 201
    assert Patient.objects.get(pk=created.json()["id"]).registered_clinic == clinic_b


def test_it_answers_a_duplicate_cnic_with_409_naming_the_identifier(
    fhir_as, receptionist, patient_a
):
    identifier = [{"system": CNIC_SYSTEM, "value": patient_a.cnic}]
    response = fhir_as(receptionist).fhir_post("Patient", new_patient(identifier=identifier))
    assert response.status_code == 409
    [problem] = issues_of(response)
    assert problem["code"] == "duplicate"
    assert problem["expression"] == ["Patient.identifier[0]"]
    assert patient_a.mrn in problem["diagnostics"]  # the receptionist may see that patient
    assert Patient.objects.count() == 1


def test_it_does_not_name_another_clinics_patient_in_a_409(fhir_as, outsider, patient_a):
    identifier = [{"system": CNIC_SYSTEM, "value": patient_a.cnic}]
    response = fhir_as(outsider).fhir_post("Patient", new_patient(identifier=identifier))
    assert response.status_code == 409
    assert patient_a.mrn not in issues_of(response)[0]["diagnostics"]
    assert "another clinic" in issues_of(response)[0]["diagnostics"]


def test_it_answers_the_same_name_birth_date_and_mobile_with_409(fhir_as, receptionist, patient_a):
    resource = new_patient(
        identifier=None,
        name=[{"family": patient_a.last_name, "given": [patient_a.first_name]}],
        birthDate=patient_a.date_of_birth.isoformat(),
        telecom=[{"system": "phone", "value": patient_a.mobile}],
    )
    response = fhir_as(receptionist).fhir_post("Patient", resource)
    assert response.status_code == 409
    assert expressions(response) == {
        "Patient.name[0].given",
        "Patient.birthDate",
        "Patient.telecom[0].value",
    }


def test_it_creates_conditionally_on_if_none_exist(fhir_as, receptionist, patient_a, make_patient):
    api = fhir_as(receptionist)
    unknown = f"identifier={CNIC_SYSTEM}|6110176543213"
    created = api.fhir_post("Patient", new_patient(), HTTP_IF_NONE_EXIST=unknown)
    assert created.status_code == 201
    known = f"identifier={CNIC_SYSTEM}|{patient_a.cnic}"
    again = api.fhir_post("Patient", new_patient(identifier=None), HTTP_IF_NONE_EXIST=known)
    assert again.status_code == 200
    assert again.json()["id"] == str(patient_a.pk)
    assert Patient.objects.count() == 2
    # The match is answered in full, so it is a read of the record: audited as one.
    assert AuditEvent.objects.filter(
        action="view", interface="fhir", object_id=str(patient_a.pk), actor=receptionist
    ).exists()
    make_patient(patient_a.registered_clinic)  # born the same day as patient_a
    several = api.fhir_post(
        "Patient", new_patient(identifier=None), HTTP_IF_NONE_EXIST="birthdate=1990-05-17"
    )
    assert several.status_code == 412
    assert issues_of(several)[0]["code"] == "conflict"
    assert Patient.objects.count() == 3


def test_it_refuses_writes_with_a_read_only_token(receptionist, patient_a):
    api = FhirClient(receptionist)
    _row, key = ApiToken.issue(user=receptionist, scope=TokenScope.READ)
    api.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    assert api.fhir_get(f"Patient/{patient_a.pk}").status_code == 200
    created = api.fhir_post("Patient", new_patient())
    assert created.status_code == 403
    assert issues_of(created)[0]["code"] == "forbidden"
    resource = api.fhir_get(f"Patient/{patient_a.pk}").json()
    assert api.fhir_put(f"Patient/{patient_a.pk}", resource).status_code == 403
    assert Patient.objects.count() == 1


# --- update -------------------------------------------------------------------------------


def test_it_updates_a_patient_and_moves_its_version(fhir_as, receptionist, patient_a):
    api = fhir_as(receptionist)
    before = api.fhir_get(f"Patient/{patient_a.pk}").json()
    changed = {**before, "telecom": [{"system": "phone", "value": "0333-1112223", "use": "mobile"}]}
    response = api.fhir_put(
        f"Patient/{patient_a.pk}", changed, HTTP_IF_MATCH=f'W/"{before["meta"]["versionId"]}"'
    )
    assert response.status_code == 200
    after = response.json()
    assert_valid(after)
    patient_a.refresh_from_db()
    assert patient_a.mobile == "+923331112223"
    assert after["meta"]["versionId"] != before["meta"]["versionId"]
    assert after["meta"]["lastUpdated"] > before["meta"]["lastUpdated"]
    assert response["ETag"] == f'W/"{after["meta"]["versionId"]}"'
    event = AuditEvent.objects.get(action="update", object_id=str(patient_a.pk))
    assert (event.interface, event.changed_fields) == (Interface.FHIR, ["mobile"])


def test_it_reads_back_what_it_writes(fhir_as, receptionist, clinic_a):
    """Every element the server writes reads back to the same fields: a PUT of a resource as
    read changes nothing, not even the version."""
    api = fhir_as(receptionist)
    full = new_patient(
        name=[
            {"use": "official", "family": "Malik", "given": ["Sana", "Bibi"]},
            {"use": "usual", "text": "ثنا ملک"},
        ],
        telecom=[
            {"system": "phone", "value": "0301-7654321", "use": "mobile"},
            {"system": "email", "value": "sana@example.org"},
        ],
        contact=[
            {
                "relationship": [{"text": "Sister"}],
                "name": {"text": "Hina Malik"},
                "telecom": [{"system": "phone", "value": "0302-1234567"}],
            }
        ],
        communication=[{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "en"}]}}],
    )
    created = api.fhir_post("Patient", full).json()
    assert_valid(created)
    patient = Patient.objects.get(pk=created["id"])
    assert (patient.first_name, patient.name_ur, patient.email, patient.preferred_language) == (
        "Sana Bibi",
        "ثنا ملک",
        "sana@example.org",
        "en",
    )
    assert (patient.emergency_contact_relation, patient.emergency_contact_phone) == (
        "Sister",
        "+923021234567",
    )
    again = api.fhir_put(f"Patient/{patient.pk}", created)
    assert again.status_code == 200
    assert again.json() == created


def test_it_clears_what_an_update_leaves_out(fhir_as, receptionist, patient_a):
    api = fhir_as(receptionist)
    resource = api.fhir_get(f"Patient/{patient_a.pk}").json()
    resource["identifier"] = [i for i in resource["identifier"] if i["system"] != CNIC_SYSTEM]
    assert api.fhir_put(f"Patient/{patient_a.pk}", resource).status_code == 200
    patient_a.refresh_from_db()
    assert patient_a.cnic is None


def test_it_refuses_an_update_on_a_stale_version_with_412(fhir_as, receptionist, patient_a):
    api = fhir_as(receptionist)
    resource = api.fhir_get(f"Patient/{patient_a.pk}").json()
    patient_services.update_patient(
        acting_user=receptionist, via=Interface.WEB, patient=patient_a, data={"last_name": "Raza"}
    )
    stale = f'W/"{resource["meta"]["versionId"]}"'
    response = api.fhir_put(f"Patient/{patient_a.pk}", resource, HTTP_IF_MATCH=stale)
    assert response.status_code == 412
    assert issues_of(response)[0]["code"] == "conflict"
    patient_a.refresh_from_db()
    assert patient_a.last_name == "Raza"


def test_it_keeps_the_registering_clinic(fhir_as, receptionist, patient_a, clinic_b):
    api = fhir_as(receptionist)
    resource = api.fhir_get(f"Patient/{patient_a.pk}").json()
    resource["managingOrganization"] = {"reference": f"Organization/{clinic_b.pk}"}
    response = api.fhir_put(f"Patient/{patient_a.pk}", resource)
    assert response.status_code == 422
    assert expressions(response) == {"Patient.managingOrganization"}


def test_it_refuses_to_archive_through_an_update(fhir_as, receptionist, patient_a):
    api = fhir_as(receptionist)
    resource = {**api.fhir_get(f"Patient/{patient_a.pk}").json(), "active": False}
    response = api.fhir_put(f"Patient/{patient_a.pk}", resource)
    assert response.status_code == 422
    assert expressions(response) == {"Patient.active"}


def test_it_answers_a_duplicate_cnic_on_update_with_409(
    fhir_as, receptionist, patient_a, make_patient, clinic_a
):
    other = make_patient(clinic_a)
    api = fhir_as(receptionist)
    resource = api.fhir_get(f"Patient/{other.pk}").json()
    resource["identifier"] = [{"system": CNIC_SYSTEM, "value": patient_a.cnic}]
    response = api.fhir_put(f"Patient/{other.pk}", resource)
    assert response.status_code == 409
    assert expressions(response) == {"Patient.identifier[0]"}


def test_it_answers_an_outsiders_update_with_404(fhir_as, outsider, patient_a):
    resource = patient_resource(patient_a)
    response = fhir_as(outsider).fhir_put(f"Patient/{patient_a.pk}", resource)
    assert response.status_code == 404
    patient_a.refresh_from_db()
    assert patient_a.updated_at.isoformat()  # unchanged row, still there


def test_it_answers_an_archived_patient_with_410_for_clinic_staff(
    fhir_as, receptionist, administrator, patient_a
):
    patient_services.archive_patient(
        acting_user=administrator, via=Interface.ADMIN, patient=patient_a, reason="Duplicate"
    )
    api = fhir_as(receptionist)
    response = api.fhir_get(f"Patient/{patient_a.pk}")
    assert response.status_code == 410
    assert issues_of(response)[0]["code"] == "deleted"
    refused = AuditEvent.objects.get(action="denied", object_id=str(patient_a.pk))
    assert refused.detail == {"archived": True}
    resource = patient_resource(patient_a)
    assert api.fhir_put(f"Patient/{patient_a.pk}", resource).status_code == 410


# --- includes and the CapabilityStatement ----------------------------------------------------


def test_it_includes_the_patients_clinics_in_one_query(
    fhir_as, receptionist, make_patient, clinic_a, django_assert_num_queries
):
    for _ in range(3):
        make_patient(clinic_a)
    api = fhir_as(receptionist)
    api.fhir_get("Patient")  # the token's first use writes its last-used time
    # The token's and the throttle's (TOKEN_QUERIES), then: 1 the token and its user, 2 the
    # user's roles (scoping), 3 the patients' page, 4 the included clinics, 5 the audit row.
    with django_assert_num_queries(5 + TOKEN_QUERIES):
        bundle = api.fhir_get("Patient", {"_include": "Patient:organization"}).json()
    assert_valid(bundle)
    included = [e["resource"] for e in bundle["entry"] if e["search"]["mode"] == "include"]
    assert [(r["resourceType"], r["id"]) for r in included] == [("Organization", str(clinic_a.pk))]


def test_it_lists_patient_writes_in_the_capability_statement(client):
    statement = client.get(f"{BASE}/metadata").json()
    patient = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Patient")
    assert {"create", "update"} <= {i["code"] for i in patient["interaction"]}
    assert patient["searchInclude"] == ["Patient:organization"]


def test_it_refuses_a_conditional_create_whose_condition_cannot_be_searched(
    fhir_as, receptionist, patient_a
):
    """If-None-Exist arrives in a header, past the checks of the query string: a count of
    thousands of digits and a NUL character are 400s, never a 500."""
    api = fhir_as(receptionist)
    for condition in ("_id=1&_count=" + "9" * 4400, "name=%00a"):
        response = api.fhir_post("Patient", new_patient(), HTTP_IF_NONE_EXIST=condition)
        assert response.status_code == 400
        assert issues_of(response)[0]["code"] == "invalid"
    assert Patient.objects.count() == 1
