"""State for "Report a side effect", built through the services: Sana's record at clinic A made
ready (screened, patch-tested, planned, consented) and a session charted on it by clinic A's
dermatologist; the stranger's too, for the refusals."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from mesoclinic.care.models import TreatmentSession
from mesoclinic.care.tests.conftest import (  # noqa: F401 (care's fixtures, for these tests)
    chart_session,
    consent_texts,
    consult,
    js_errors,
    make_ready,
    melasma_version,
    plan,
    screening_rules,
    shipped_care_data,
)
from mesoclinic.care.tests.worklist_fixtures import (  # noqa: F401 (make_ready's set-up)
    apply_test,
    due_everywhere,
    viewer,
)


@pytest.fixture
def sana_session(portal_world, make_ready, dermatologist, lot_a):  # noqa: F811
    """A session charted now on Sana's course at clinic A, by a dermatologist with an e-mail
    address (an escalation tells them)."""
    dermatologist.user.email = "derm.a@example.pk"
    dermatologist.user.save(update_fields=["email"])
    course = make_ready(portal_world.at_a)
    return chart_session(dermatologist.user, course, lot_a)


@pytest.fixture
def stranger_session(portal_world, make_ready, dermatologist, lot_a):  # noqa: F811
    """A session charted now for the stranger at clinic A (not Sana's)."""
    course = make_ready(portal_world.stranger)
    return chart_session(dermatologist.user, course, lot_a)


def earlier_session(session, days: int = 15):
    """Move `session` `days` back, as if the patient had come back since (the gate never allows
    two sessions of a course in a day); its next one can then be charted today."""
    TreatmentSession.objects.filter(pk=session.pk).update(
        started_at=session.started_at - timedelta(days=days),
        ended_at=session.ended_at - timedelta(days=days),
    )
    session.refresh_from_db()
    return session


def report_url(language: str = "en") -> str:
    with translation.override(language):
        return reverse("portal:report")


def grade_two(**overrides) -> dict:
    """A "some problems: swelling on the left cheek since today, moderate, still there" report:
    grade 2 by the patient's own rating."""
    data = {
        "skin": "worried",
        "effects": ["swelling"],
        "site": "left cheek",
        "since": "today",
        "how_bad": "2",
        "still": "yes",
        "note": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
