"""Charting a session costs a fixed number of queries, whatever the course's history: the
gate's facts are read once each, under the locks (patient, course, then lots)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.models import TreatmentSession
from mesoclinic.care.tests.test_session_pages import session_post, start_session_page
from mesoclinic.notifications.models import Message

pytestmark = pytest.mark.django_db

#: A charting POST, counted on SQLite and PostgreSQL alike (nested transactions are savepoints
#: in a test): the session, the user, the second factor and the user's roles (4); the course
#: with its plan, the lots offered (the posted ones are taken from them), the practitioner and
#: the lots' ingredients (5); the transaction's savepoint (1); the patient and the course with
#: its plan, locked, and the course's sessions (4); the gate's facts: the screening, the lots'
#: ingredients, the clinic's settings, the rules, the patch tests (negative and positive at
#: once), membership, allergies, the consent, the day's earlier doses, open adverse events
#: (10); the lots, locked last (1); the aftercare text and the session (2); the ledger line on
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
        # Fewer queries, the same trail: the session, its ledger line, its check-ins and
        # messages each audited.
        session = TreatmentSession.objects.get(course=ready, number=number)
        created = AuditEvent.objects.filter(action="create")
        assert created.filter(
            object_type="care.treatmentsession", object_id=str(session.pk)
        ).exists()
        movement = session.products.get().movement_id
        assert created.filter(
            object_type="formulary.stockmovement", object_id=str(movement)
        ).exists()
        check_ins = session.check_ins.values_list("pk", flat=True)
        assert len(check_ins) == 3
        assert created.filter(
            object_type="aftercare.checkin", object_id__in=[str(pk) for pk in check_ins]
        ).count() == len(check_ins)
        keys = [f"session-{session.pk}-aftercare"] + [f"checkin-{pk}" for pk in check_ins]
        messages = [
            str(pk)
            for pk in Message.objects.filter(idempotency_key__in=keys).values_list("pk", flat=True)
        ]
        assert len(messages) == 4
        assert (
            created.filter(object_type="notifications.message", object_id__in=messages).count() == 4
        )
        _move_sessions_back(ready)
