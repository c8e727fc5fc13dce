"""Aftercare fixtures: care's set-up (a patient ready for a session, through the services), and
a session charted on it, whose check-ins the signal laid out."""

import pytest

from mesoclinic.care.tests.conftest import (  # noqa: F401 (care's fixtures, for aftercare tests)
    chart_session,
    consent_texts,
    consult,
    js_errors,
    make_ready,
    melasma_version,
    plan,
    screening_rules,
    shipped_care_data,
    shots,
)
from mesoclinic.care.tests.worklist_fixtures import (  # noqa: F401 (make_ready's set-up)
    apply_test,
    due_everywhere,
    viewer,
)


@pytest.fixture
def charted(make_ready, patient_a, dermatologist, lot_a):  # noqa: F811
    """A session charted now for patient_a (melasma, TXA from lot_a) by the dermatologist, who
    has an e-mail address so escalations reach them."""
    dermatologist.user.email = "derm.a@example.pk"
    dermatologist.user.save(update_fields=["email"])
    course = make_ready(patient_a)
    return chart_session(dermatologist.user, course, lot_a)
