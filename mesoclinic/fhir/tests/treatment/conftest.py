"""What the treatment tests (CarePlan, Procedure, MedicationAdministration, AdverseEvent)
share: care's set-up (a patient ready for a session, through the services), a session charted
on it, and a search that answers the ids it matched."""

import pytest

from mesoclinic.care.tests.conftest import (  # noqa: F401 (care's fixtures, for these tests)
    chart_session,
    consent_texts,
    consult,
    make_ready,
    melasma_version,
    screening_rules,
)
from mesoclinic.care.tests.worklist_fixtures import (  # noqa: F401 (make_ready's set-up)
    apply_test,
    due_everywhere,
    viewer,
)
from mesoclinic.fhir.tests.validator import assert_valid


@pytest.fixture
def charted(make_ready, patient_a, dermatologist, lot_a):  # noqa: F811
    """A session charted now for patient_a (melasma, TXA 2 mL from lot_a, left cheek)."""
    return chart_session(dermatologist.user, make_ready(patient_a), lot_a)


@pytest.fixture
def reader(fhir_as, dermatologist):
    """The clinic's dermatologist, reading through FHIR."""
    return fhir_as(dermatologist.user)


def ids(bundle) -> list[str]:
    return [e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


def search(api, type_name, params=None) -> list[str]:
    """The ids a search matched; the Bundle (and every resource in it) must be valid R4."""
    response = api.fhir_get(type_name, params)
    assert response.status_code == 200, response.content
    bundle = response.json()
    assert_valid(bundle)
    return ids(bundle)


def read(api, path: str) -> dict:
    """A resource read by `api`, which must be found and valid R4."""
    response = api.fhir_get(path)
    assert response.status_code == 200, response.content
    resource = response.json()
    assert_valid(resource)
    return resource
