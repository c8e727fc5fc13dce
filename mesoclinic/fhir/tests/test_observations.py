"""Observation: outcome scores ("score-"), the Fitzpatrick skin type ("fitz-") and the
screening's baseline grade ("baseline-"), three sources searched and paged as one type."""

from decimal import Decimal

import pytest
from django.utils import timezone

from mesoclinic.aftercare.services.scores import record_score
from mesoclinic.care.models import Consultation
from mesoclinic.fhir.tests.clinical_fixtures import (
    VIA,
    ids,
    mmasi_inputs,
    next_link,
    queries_of,
    read,
)
from mesoclinic.fhir.tests.validator import assert_valid

pytestmark = pytest.mark.django_db

SCALE = "https://fhir.mesoclinic.pk/CodeSystem/outcome-scale"


@pytest.fixture
def observed(scored, patient_a):
    """Patient A's scores and the consultation their skin type and baseline come from."""
    scores = scored(patient_a)
    return scores, Consultation.objects.get(patient=patient_a)


def expected_ids(scores: dict, consultation) -> list[str]:
    """Sources in order (scores, skin types, baselines), each newest first."""
    return [
        *(f"score-{s.pk}" for s in sorted(scores.values(), key=lambda s: -s.pk)),
        f"fitz-{consultation.pk}",
        f"baseline-{consultation.pk}",
    ]


def test_it_searches_every_source_in_order(fhir_as, dermatologist, observed):
    scores, consultation = observed
    bundle = fhir_as(dermatologist.user).fhir_get("Observation").json()
    assert ids(bundle) == expected_ids(scores, consultation)
    assert all(e["resource"]["resourceType"] == "Observation" for e in bundle["entry"])


def test_it_pages_across_the_sources_without_gaps_or_repeats(fhir_as, dermatologist, observed):
    scores, consultation = observed
    api = fhir_as(dermatologist.user)
    seen, link, pages = [], None, 0
    page = api.fhir_get("Observation", {"_count": 2}).json()
    while True:
        pages += 1
        seen += ids(page)
        link = next_link(page)
        if not link:
            break
        page = api.get(link).json()
    assert seen == expected_ids(scores, consultation)
    assert pages == 3


def test_it_reads_a_session_score_with_its_scale_and_value(fhir_as, dermatologist, observed):
    scores, _consultation = observed
    score = scores["mmasi"]
    response = fhir_as(dermatologist.user).fhir_get(f"Observation/score-{score.pk}")
    assert response.status_code == 200
    observation = response.json()
    assert_valid(observation)
    assert observation["id"] == f"score-{score.pk}"
    assert observation["status"] == "final"
    assert observation["code"]["coding"][0]["system"] == SCALE
    assert observation["code"]["coding"][0]["code"] == "mmasi"
    assert Decimal(str(observation["valueQuantity"]["value"])) == score.value
    assert observation["category"][0]["coding"][0]["code"] == "exam"
    assert observation["subject"] == {"reference": f"Patient/{score.patient_id}"}


def test_it_reads_a_patient_rated_score_as_a_survey_with_its_band(fhir_as, dermatologist, observed):
    gais = observed[0]["gais"]
    observation = read(fhir_as(dermatologist.user), f"Observation/score-{gais.pk}")
    assert observation["category"][0]["coding"][0]["code"] == "survey"
    assert observation["valueQuantity"]["value"] == 2
    assert observation["interpretation"] == [{"text": "much improved"}]


def test_it_reads_the_fitzpatrick_type_from_the_questionnaire(fhir_as, dermatologist, observed):
    _scores, consultation = observed
    observation = read(fhir_as(dermatologist.user), f"Observation/fitz-{consultation.pk}")
    assert observation["code"]["coding"][0]["code"] == "fitzpatrick-skin-type"
    assert observation["valueCodeableConcept"]["coding"][0]["code"] == "II"
    assert observation["component"][0]["valueInteger"] == 12
    assert observation["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{consultation.pk}"}]
    assert observation["category"][0]["coding"][0]["code"] == "survey"


def test_it_reads_the_screenings_baseline(fhir_as, dermatologist, observed):
    _scores, consultation = observed
    observation = read(fhir_as(dermatologist.user), f"Observation/baseline-{consultation.pk}")
    assert observation["code"]["coding"][0]["code"] == "mmasi"
    value = Decimal(str(observation["valueQuantity"]["value"]))
    assert value == consultation.baseline_value


@pytest.mark.parametrize("ident", ["12", "fitz-", "fitz-abc", "score-x1", "other-1"])
def test_it_answers_ids_no_source_serves_with_404(fhir_as, dermatologist, observed, ident):
    response = fhir_as(dermatologist.user).fhir_get(f"Observation/{ident}")
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_it_shows_a_receptionist_no_observations(fhir_as, receptionist, observed):
    scores, consultation = observed
    api = fhir_as(receptionist)
    assert ids(api.fhir_get("Observation").json()) == []
    assert api.fhir_get(f"Observation/score-{scores['mmasi'].pk}").status_code == 404
    assert api.fhir_get(f"Observation/fitz-{consultation.pk}").status_code == 404


def test_it_answers_another_clinics_observations_with_404(fhir_as, outsider, observed):
    scores, consultation = observed
    api = fhir_as(outsider)
    assert ids(api.fhir_get("Observation").json()) == []
    assert api.fhir_get(f"Observation/score-{scores['mmasi'].pk}").status_code == 404
    assert api.fhir_get(f"Observation/baseline-{consultation.pk}").status_code == 404


def test_it_searches_observations_by_each_parameter(
    fhir_as, dermatologist, observed, scored, make_patient, clinic_a
):
    scores, consultation = observed
    other = make_patient(clinic_a)
    scored(other)
    api = fhir_as(dermatologist.user)

    def search(**params):
        return ids(
            api.fhir_get("Observation", {"patient": str(consultation.patient_id), **params}).json()
        )

    mine = expected_ids(scores, consultation)
    assert search() == mine
    assert ids(api.fhir_get("Observation", {"subject": f"Patient/{other.pk}"}).json()) not in (
        [],
        mine,
    )
    assert search(code=f"{SCALE}|mmasi") == [
        f"score-{scores['mmasi'].pk}",
        f"score-{scores['baseline'].pk}",
        f"baseline-{consultation.pk}",
    ]
    assert search(code="fitzpatrick-skin-type") == [f"fitz-{consultation.pk}"]
    assert search(code="gais,fitzpatrick-skin-type") == [
        f"score-{scores['gais'].pk}",
        f"fitz-{consultation.pk}",
    ]
    assert search(code="http://loinc.org|mmasi") == []
    assert search(category="survey") == [f"score-{scores['gais'].pk}", f"fitz-{consultation.pk}"]
    assert search(category="exam") == [
        f"score-{scores['mmasi'].pk}",
        f"score-{scores['baseline'].pk}",
        f"baseline-{consultation.pk}",
    ]
    assert search(status="final") == mine
    assert search(status="preliminary") == []
    assert search(date=timezone.localtime(consultation.recorded_at).date().isoformat()) == mine
    assert search(date="lt2001") == []
    assert api.fhir_get("Observation", {"_total": "accurate"}).json()["total"] == 2 * len(mine)


def test_it_moves_the_version_when_a_score_is_corrected(fhir_as, dermatologist, observed):
    scores, _consultation = observed
    score = scores["mmasi"]
    api = fhir_as(dermatologist.user)
    before = read(api, f"Observation/score-{score.pk}")
    corrected = record_score(
        acting_user=dermatologist.user,
        via=VIA,
        course=score.course,
        session=score.session,
        scale="mmasi",
        inputs=mmasi_inputs(1, 1),
    )
    assert corrected.pk == score.pk
    after = read(api, f"Observation/score-{score.pk}")
    assert after["meta"]["versionId"] != before["meta"]["versionId"]
    assert after["valueQuantity"]["value"] != before["valueQuantity"]["value"]


def test_it_pages_observations_at_a_constant_query_count(
    fhir_as, dermatologist, observed, scored, make_patient, clinic_a
):
    api = fhir_as(dermatologist.user)
    _bundle, few = queries_of(api, "Observation")
    scored(make_patient(clinic_a))
    bundle, many = queries_of(api, "Observation")
    assert len(ids(bundle)) == 10
    # Token and user, roles, one page query per source (scores, skin types, baselines: no
    # relations read), the audit row.
    assert len(few) == len(many) == 6
    assert [
        table in query
        for table, query in zip(
            ("aftercare_outcomescore", "care_consultation", "care_consultation"),
            many[2:5],
            strict=True,
        )
    ] == [True, True, True]
