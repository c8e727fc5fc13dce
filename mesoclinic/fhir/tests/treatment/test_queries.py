"""Each treatment search page costs the same number of queries whether it holds one row or
three: the rows and their prefetches are fetched per page, never per row."""

import pytest

from mesoclinic.audit.services import Interface
from mesoclinic.care.models import AdverseEvent
from mesoclinic.care.services.adverse_events import open_adverse_event
from mesoclinic.fhir.tests.treatment.conftest import chart_session, ids

pytestmark = pytest.mark.django_db

#: Every FHIR request before the search: the bad-token lock (cache), the token, the user's
#: groups, then the rate limit's cache row read, counted (cull), and written inside a savepoint
#: (SAVEPOINT, SELECT, UPDATE, RELEASE).
REQUEST = 9
#: After the page's rows and prefetches: the audit row of the search.
AUDIT = 1
PAGE = {
    # The courses (protocol joined); their components (ingredient or product joined); the
    # numbers of their charted sessions.
    "CarePlan": 3,
    # The sessions; the zones of their products.
    "Procedure": 2,
    # The products given, with their session and lot (and its product) joined.
    "MedicationAdministration": 1,
    # The events, with their session joined; the products given in those sessions.
    "AdverseEvent": 2,
}


@pytest.fixture
def three_charted(make_ready, make_patient, clinic_a, dermatologist, lot_a):
    """Three patients, each with a course, a session charted on it and an event after it."""
    sessions = []
    for _ in range(3):
        session = chart_session(dermatologist.user, make_ready(make_patient(clinic_a)), lot_a)
        open_adverse_event(
            acting_user=None,
            via=Interface.PUBLIC,
            session=session,
            triggers=["grade"],
            effects=["swelling"],
            grade=2,
            checklist=[],
            source=AdverseEvent.Source.PATIENT,
        )
        sessions.append(session)
    return sessions


@pytest.mark.parametrize("type_name", sorted(PAGE))
def test_it_searches_in_the_same_number_of_queries_for_one_row_or_three(
    reader, three_charted, type_name, django_assert_num_queries
):
    one = {"patient": f"Patient/{three_charted[0].patient_id}"}
    reader.fhir_get(type_name)  # the token's first use stamps its last_used_at (once a while)
    for params, rows in ((one, 1), ({}, 3)):
        with django_assert_num_queries(REQUEST + PAGE[type_name] + AUDIT):
            response = reader.fhir_get(type_name, params)
        assert len(ids(response.json())) == rows
