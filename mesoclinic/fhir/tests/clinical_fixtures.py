"""Clinical records for the FHIR tests, built through the care and aftercare services: a
screening with answers, allergies and a baseline; a patient ready for treatment (course and
consent); scores at a session. The FHIR tests' conftest imports the fixtures (`__all__`);
test modules import the helpers by name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mesoclinic.aftercare.services.scores import record_score
from mesoclinic.audit.services import Interface
from mesoclinic.care.scores import RegionGrades
from mesoclinic.care.tests.conftest import (
    chart_session,
    consent_texts,
    consult,
    make_ready,
    melasma_version,
    screening_rules,
)
from mesoclinic.fhir.tests.validator import assert_valid
from mesoclinic.formulary.models import Ingredient

__all__ = [
    "consent_texts",
    "consult",
    "make_ready",
    "melasma_version",
    "outsiders_screening",
    "scored",
    "screened",
    "screening_rules",
]

VIA = Interface.WEB
FITZPATRICK_ANSWERS = [2, 2, 2, 2, 1, 1, 1, 1, 0, 0]  # total 12: type II
MMASI = {
    region: RegionGrades(area=2, darkness=1)
    for region in ("forehead", "right_malar", "left_malar", "chin")
}


@pytest.fixture
def screened(consult, dermatologist, patient_a):
    """`screened(**overrides)`: patient A screened for melasma by the dermatologist, with the
    Fitzpatrick questionnaire answered, a keloid tendency, an mMASI baseline and concerns."""

    def screen(patient=None, user=None, **overrides):
        data = {
            "fitzpatrick_answers": FITZPATRICK_ANSWERS,
            "fitzpatrick_type": None,
            "conditions": ["keloid_tendency"],
            "baseline_scale": "mmasi",
            "baseline_grades": MMASI,
            "text": {"concerns": "Dark patches on both cheeks."},
            **overrides,
        }
        return consult(user or dermatologist.user, patient or patient_a, **data)

    return screen


@pytest.fixture
def outsiders_screening(consult, make_practitioner, clinic_b, patient_b):
    """Patient B (clinic B) screened by a clinic B dermatologist."""
    derm_b = make_practitioner("derm_b", clinic_b)
    return consult(derm_b.user, patient_b, new_allergies=[Ingredient.objects.get(code="biotin")])


def mmasi_inputs(area: int, darkness: int) -> dict:
    return {region: {"area": area, "darkness": darkness} for region in MMASI}


@pytest.fixture
def scored(make_ready, dermatologist, lot_a):
    """`scored(patient)`: the patient screened (Fitzpatrick answers, an mMASI baseline), ready,
    a session charted, and scored through the service: the course's mMASI baseline, the
    session's mMASI and the patient's GAIS. Returns the three scores."""

    def make(patient):
        course = make_ready(
            patient,
            fitzpatrick_answers=FITZPATRICK_ANSWERS,
            baseline_scale="mmasi",
            baseline_grades=MMASI,
        )
        session = chart_session(dermatologist.user, course, lot_a)

        def score(scale, inputs, *, at=None, rater="clinician"):
            return record_score(
                acting_user=dermatologist.user,
                via=VIA,
                course=course,
                session=at,
                scale=scale,
                inputs=inputs,
                rater=rater,
            )

        return {
            "baseline": score("mmasi", mmasi_inputs(3, 2)),
            "mmasi": score("mmasi", mmasi_inputs(2, 1), at=session),
            "gais": score("gais", {"rating": 2}, at=session, rater="patient"),
        }

    return make


def ingredient(code: str) -> Ingredient:
    return Ingredient.objects.get(code=code)


def ids(bundle: dict) -> list[str]:
    """The ids of a search Bundle's matches, once the Bundle is checked valid FHIR R4."""
    assert_valid(bundle)
    return [e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


def read(api, path: str) -> dict:
    """A read that must succeed, its resource checked valid FHIR R4."""
    response = api.fhir_get(path)
    assert response.status_code == 200, response.content
    resource = response.json()
    assert_valid(resource)
    return resource


def next_link(bundle: dict) -> str | None:
    return next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)


def queries_of(api, path: str, data=None) -> tuple[dict, list[str]]:
    """The search's Bundle and the SQL it ran for the search itself: the token's `last_used_at`
    is written at most every few minutes (a first request is warmed away), and the rate
    limiter's rows in the shared cache table (their number follows the clock's window) are
    left out."""
    api.fhir_get(path, data)
    with CaptureQueriesContext(connection) as captured:
        response = api.fhir_get(path, data)
    assert response.status_code == 200, response.content
    sql = [query["sql"] for query in captured.captured_queries]
    return response.json(), [
        query
        for query in sql
        if "mesoclinic_shared_cache" not in query and "SAVEPOINT" not in query
    ]
