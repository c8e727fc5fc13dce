"""Condition, QuestionnaireResponse and AllergyIntolerance: the consultation's indication, its
screening answers and the patient's allergies, read and searched through the scoping rule
(clinical records: nothing for a receptionist, 404 for another clinic)."""

import pytest
from django.utils import timezone

from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.models import Allergy
from mesoclinic.care.services import allergies
from mesoclinic.fhir.tests.clinical_fixtures import (
    FITZPATRICK_ANSWERS,
    VIA,
    ids,
    ingredient,
    next_link,
    queries_of,
    read,
)
from mesoclinic.fhir.tests.validator import assert_valid

pytestmark = pytest.mark.django_db

ICD10 = "http://hl7.org/fhir/sid/icd-10"
SNOMED = "http://snomed.info/sct"


# --- Condition ---------------------------------------------------------------------------


def test_it_reads_the_indication_as_a_condition_with_its_icd10_code(
    fhir_as, dermatologist, screened
):
    consultation = screened()
    response = fhir_as(dermatologist.user).fhir_get(f"Condition/{consultation.pk}")
    assert response.status_code == 200
    condition = response.json()
    assert_valid(condition)
    assert condition["code"]["coding"][0] == {"system": ICD10, "code": "L81.1"}
    assert condition["code"]["text"] == "Melasma"
    assert condition["subject"] == {"reference": f"Patient/{consultation.patient_id}"}
    assert condition["clinicalStatus"]["coding"][0]["code"] == "active"
    assert condition["category"][0]["coding"][0]["code"] == "encounter-diagnosis"
    assert response["ETag"] == f'W/"{condition["meta"]["versionId"]}"'
    assert AuditEvent.objects.filter(
        action="view", interface="fhir", object_type="care.consultation"
    ).exists()


def test_it_codes_alopecia_in_snomed_too(fhir_as, dermatologist, screened):
    consultation = screened(indication="alopecia_areata", baseline_scale="", baseline_grades=None)
    condition = read(fhir_as(dermatologist.user), f"Condition/{consultation.pk}")
    codings = {(c["system"], c["code"]) for c in condition["code"]["coding"]}
    assert {(ICD10, "L63.9"), (SNOMED, "68225006")} <= codings


def test_it_searches_conditions_by_code_patient_and_date(
    fhir_as, dermatologist, screened, make_patient, clinic_a
):
    melasma = screened()
    other = make_patient(clinic_a)
    alopecia = screened(
        patient=other, indication="androgenetic_alopecia", baseline_scale="", baseline_grades=None
    )
    api = fhir_as(dermatologist.user)
    assert ids(api.fhir_get("Condition").json()) == [str(alopecia.pk), str(melasma.pk)]
    by_icd = api.fhir_get("Condition", {"code": f"{ICD10}|L81.1"}).json()
    assert ids(by_icd) == [str(melasma.pk)]
    by_snomed = api.fhir_get("Condition", {"code": f"{SNOMED}|87872006"}).json()
    assert ids(by_snomed) == [str(alopecia.pk)]
    assert ids(api.fhir_get("Condition", {"code": "L64.9,L81.1"}).json()) == [
        str(alopecia.pk),
        str(melasma.pk),
    ]
    assert ids(api.fhir_get("Condition", {"code": f"{SNOMED}|L81.1"}).json()) == []
    by_patient = api.fhir_get("Condition", {"patient": f"Patient/{other.pk}"}).json()
    assert ids(by_patient) == [str(alopecia.pk)]
    assert ids(api.fhir_get("Condition", {"subject": str(other.pk)}).json()) == [str(alopecia.pk)]
    day = timezone.localtime(melasma.recorded_at).date().isoformat()
    assert len(ids(api.fhir_get("Condition", {"recorded-date": day}).json())) == 2
    assert ids(api.fhir_get("Condition", {"recorded-date": "lt2020-01-01"}).json()) == []
    assert len(ids(api.fhir_get("Condition", {"category": "encounter-diagnosis"}).json())) == 2
    assert ids(api.fhir_get("Condition", {"category": "problem-list-item"}).json()) == []
    assert len(ids(api.fhir_get("Condition", {"clinical-status": "active"}).json())) == 2
    assert ids(api.fhir_get("Condition", {"clinical-status": "resolved"}).json()) == []


def test_it_shows_a_receptionist_no_conditions_and_answers_404(fhir_as, receptionist, screened):
    consultation = screened()
    api = fhir_as(receptionist)
    assert ids(api.fhir_get("Condition").json()) == []
    assert api.fhir_get(f"Condition/{consultation.pk}").status_code == 404
    assert api.fhir_get(f"QuestionnaireResponse/{consultation.pk}").status_code == 404
    assert ids(api.fhir_get("AllergyIntolerance").json()) == []


def test_it_answers_another_clinics_condition_with_404(
    fhir_as, dermatologist, screened, outsiders_screening
):
    mine = screened()
    api = fhir_as(dermatologist.user)
    assert ids(api.fhir_get("Condition").json()) == [str(mine.pk)]
    response = api.fhir_get(f"Condition/{outsiders_screening.pk}")
    assert response.status_code == 404
    assert response.json()["issue"][0]["code"] == "not-found"
    assert api.fhir_get(f"QuestionnaireResponse/{outsiders_screening.pk}").status_code == 404


def test_it_hides_an_archived_patients_records(
    fhir_as, dermatologist, screened, patient_a, administrator
):
    from mesoclinic.patients import services as patient_services

    consultation = screened()
    patient_services.archive_patient(
        acting_user=administrator, via=VIA, patient=patient_a, reason="Moved abroad."
    )
    api = fhir_as(dermatologist.user)
    assert ids(api.fhir_get("Condition").json()) == []
    assert api.fhir_get(f"Condition/{consultation.pk}").status_code == 404


def test_it_pages_conditions_at_a_constant_query_count(
    fhir_as, dermatologist, screened, make_patient, clinic_a
):
    screened()
    api = fhir_as(dermatologist.user)
    _bundle, few = queries_of(api, "Condition")
    for _ in range(3):
        screened(patient=make_patient(clinic_a))
    bundle, many = queries_of(api, "Condition", {"_count": 2})
    assert len(ids(bundle)) == 2 and next_link(bundle)
    # The token with its user, the user's roles, the page of consultations (joined to the
    # patient for the scoping and in-care rules), the audit row: no query per row.
    assert len(few) == len(many) == 4
    assert "care_consultation" in many[2] and "audit_auditevent" in many[3]


# --- QuestionnaireResponse ---------------------------------------------------------------


def test_it_reads_the_screening_answers_as_a_questionnaire_response(
    fhir_as, dermatologist, screened
):
    consultation = screened(medications=["antiplatelet"])
    response = fhir_as(dermatologist.user).fhir_get(f"QuestionnaireResponse/{consultation.pk}")
    assert response.status_code == 200
    answers = response.json()
    assert_valid(answers)
    assert answers["status"] == "completed"
    assert answers["questionnaire"] == "https://fhir.mesoclinic.pk/Questionnaire/screening"
    items = {item["linkId"]: item for item in answers["item"]}
    assert items["pregnant"]["answer"] == [{"valueBoolean": False}]
    assert items["conditions"]["answer"][0]["valueCoding"]["code"] == "keloid_tendency"
    assert items["medications"]["answer"][0]["valueCoding"]["code"] == "antiplatelet"
    assert "answer" not in items["allergies"]  # none ticked
    assert items["concerns"]["answer"] == [{"valueString": "Dark patches on both cheeks."}]
    fitzpatrick = [item["answer"][0]["valueInteger"] for item in items["fitzpatrick"]["item"]]
    assert fitzpatrick == FITZPATRICK_ANSWERS


def test_it_searches_questionnaire_responses(
    fhir_as, dermatologist, screened, make_patient, clinic_a
):
    first = screened()
    other = make_patient(clinic_a)
    second = screened(patient=other)
    api = fhir_as(dermatologist.user)
    everything = api.fhir_get("QuestionnaireResponse").json()
    assert ids(everything) == [str(second.pk), str(first.pk)]
    assert ids(api.fhir_get("QuestionnaireResponse", {"patient": str(other.pk)}).json()) == [
        str(second.pk)
    ]
    assert ids(api.fhir_get("QuestionnaireResponse", {"subject": str(other.pk)}).json()) == [
        str(second.pk)
    ]
    assert len(ids(api.fhir_get("QuestionnaireResponse", {"status": "completed"}).json())) == 2
    assert ids(api.fhir_get("QuestionnaireResponse", {"status": "in-progress"}).json()) == []
    assert ids(api.fhir_get("QuestionnaireResponse", {"authored": "gt2999"}).json()) == []
    day = timezone.localtime(first.recorded_at).date().isoformat()
    assert len(ids(api.fhir_get("QuestionnaireResponse", {"authored": day}).json())) == 2
    questionnaire = "https://fhir.mesoclinic.pk/Questionnaire/screening"
    assert (
        len(ids(api.fhir_get("QuestionnaireResponse", {"questionnaire": questionnaire}).json()))
        == 2
    )
    _bundle, few = queries_of(api, "QuestionnaireResponse", {"_count": 1})
    screened(patient=make_patient(clinic_a))
    _bundle, many = queries_of(api, "QuestionnaireResponse", {"_count": 5})
    assert len(few) == len(many) == 4  # token and user, roles, the page, the audit row


# --- AllergyIntolerance ------------------------------------------------------------------


@pytest.fixture
def allergic(screened, dermatologist):
    """Patient A screened with allergies to tranexamic acid and biotin (reported)."""
    screened(new_allergies=[ingredient("tranexamic_acid"), ingredient("biotin")])
    return {a.ingredient.code: a for a in Allergy.objects.select_related("ingredient")}


def test_it_reads_a_reported_allergy_as_unconfirmed_and_active(fhir_as, dermatologist, allergic):
    allergy = allergic["biotin"]
    resource = read(fhir_as(dermatologist.user), f"AllergyIntolerance/{allergy.pk}")
    assert resource["code"]["coding"][0]["code"] == "biotin"
    assert resource["clinicalStatus"]["coding"][0]["code"] == "active"
    assert resource["verificationStatus"]["coding"][0]["code"] == "unconfirmed"
    assert resource["patient"] == {"reference": f"Patient/{allergy.patient_id}"}
    assert resource["category"] == ["medication"]


def test_it_moves_the_allergys_version_when_it_is_retracted(fhir_as, dermatologist, allergic):
    allergy = allergic["biotin"]
    api = fhir_as(dermatologist.user)
    before = read(api, f"AllergyIntolerance/{allergy.pk}")
    allergies.retract_allergy(
        acting_user=dermatologist.user, via=VIA, allergy=allergy, reason="Ticked in error."
    )
    after = read(api, f"AllergyIntolerance/{allergy.pk}")
    assert after["meta"]["versionId"] != before["meta"]["versionId"]
    assert after["meta"]["lastUpdated"] > before["meta"]["lastUpdated"]
    assert after["verificationStatus"]["coding"][0]["code"] == "entered-in-error"
    assert "clinicalStatus" not in after  # FHIR's ait-2: none on an entry in error
    assert after["note"] == [{"text": "Retracted: Ticked in error."}]


def test_it_searches_allergies_by_each_parameter(
    fhir_as, dermatologist, allergic, outsiders_screening
):
    txa, biotin = allergic["tranexamic_acid"], allergic["biotin"]
    allergies.retract_allergy(
        acting_user=dermatologist.user, via=VIA, allergy=biotin, reason="Ticked in error."
    )
    api = fhir_as(dermatologist.user)

    def search(**params):
        return sorted(ids(api.fhir_get("AllergyIntolerance", params).json()))

    both = sorted([str(txa.pk), str(biotin.pk)])
    assert search() == both  # not the other clinic's
    assert search(patient=f"Patient/{txa.patient_id}") == both
    assert search(code="https://fhir.mesoclinic.pk/CodeSystem/ingredient|biotin") == [
        str(biotin.pk)
    ]
    assert search(**{"clinical-status": "active"}) == [str(txa.pk)]
    assert search(**{"verification-status": "unconfirmed"}) == [str(txa.pk)]
    assert search(**{"verification-status": "entered-in-error"}) == [str(biotin.pk)]
    assert search(**{"verification-status": "confirmed"}) == []
    assert search(date=timezone.localtime(txa.recorded_at).date().isoformat()) == both
    assert search(date="lt2000") == []
    assert search(category="medication") == both
    assert search(category="food") == []
    assert search(type="allergy") == both
    other = outsiders_screening.patient_id
    assert api.fhir_get("AllergyIntolerance", {"patient": str(other)}).json().get("entry") is None


def test_it_pages_allergies_at_a_constant_query_count(
    fhir_as, dermatologist, screened, make_patient, clinic_a
):
    screened(new_allergies=[ingredient("biotin")])
    api = fhir_as(dermatologist.user)
    _bundle, few = queries_of(api, "AllergyIntolerance")
    other = make_patient(clinic_a)
    screened(patient=other, new_allergies=[ingredient("biotin"), ingredient("tranexamic_acid")])
    bundle, many = queries_of(api, "AllergyIntolerance")
    assert len(ids(bundle)) == 3
    # Token and user, roles, the allergies with their ingredient (select_related), the audit.
    assert len(few) == len(many) == 4
