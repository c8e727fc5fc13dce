"""Charting a session costs a fixed number of queries, whatever the course's history: the
gate's facts are read once each, under the locks (patient, course, lots, in that order)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mesoclinic.care.models import TreatmentSession
from mesoclinic.care.tests.test_session_pages import session_post, start_session_page

pytestmark = pytest.mark.django_db

#: A charting POST, counted on SQLite and PostgreSQL alike (nested transactions are savepoints
#: in a test): the session, the user, the second factor and the user's roles (4); the course
#: with its plan, the lots offered (the posted ones are taken from them), the practitioner and
#: the lots' ingredients (5); the transaction's savepoint (1); the patient, the course and its
#: plan, the lots, locked in that order, and the course's sessions (5); the gate's facts: the
#: screening, the clinic's settings, the lots' ingredients, the rules, the patch tests
#: (negative and positive at once), membership, allergies, the consent, the day's earlier
#: doses, open adverse events (10); the aftercare text and the session (2); the ledger line on
#: the lot locked above (line, balance, audit: 3) and the session's product (1); the course's
#: dates and the session's audit row (2); the aftercare message (8); the check-ins and their
#: messages on the channel the aftercare message read (11); the day's appointment (1); the
#: release of the savepoint (1). It was 71 before issue 23.
CHARTING_QUERIES = 54


def _move_sessions_back(course):
    """Every session so far a month before the next (the interval gate then lets one more be
    charted today)."""
    for session in TreatmentSession.objects.filter(course=course):
        back = timezone.now() - timedelta(days=30 * (course.sessions.count() - session.number + 1))
        TreatmentSession.objects.filter(pk=session.pk).update(started_at=back, ended_at=back)


@pytest.fixture
def ready(make_ready, patient_a):
    return make_ready(patient_a)


def test_it_charts_a_session_in_a_fixed_number_of_queries(
    client, dermatologist, ready, lot_a, django_assert_num_queries
):
    client.force_login(dermatologist.user)
    for number in (1, 2, 3):
        start = start_session_page(client, ready)
        url = reverse("care:session_new", args=[ready.pk])
        with django_assert_num_queries(CHARTING_QUERIES):
            response = client.post(url, session_post(lot_a, start))
        assert response.status_code == 302
        assert TreatmentSession.objects.filter(course=ready).count() == number
        _move_sessions_back(ready)
