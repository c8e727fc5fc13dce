"""The adverse event as the gate reads it: an open event refuses every session of the patient,
naming itself; closing it takes an outcome and a credentialed dermatologist; opening widens
the event already open for a session rather than adding a second."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.care.gate import Condition
from mesoclinic.care.models import AdverseEvent, Course, TreatmentSession
from mesoclinic.care.services import sessions
from mesoclinic.care.services.adverse_events import close_adverse_event, open_adverse_event
from mesoclinic.care.tests.conftest import chart_session
from mesoclinic.formulary.models import StockMovement

pytestmark = pytest.mark.django_db
VIA = Interface.WEB


@pytest.fixture
def first_session(make_ready, patient_a, dermatologist, lot_a):
    return chart_session(dermatologist.user, make_ready(patient_a), lot_a)


def _open(session, **changes):
    values = {
        "acting_user": None,
        "via": Interface.PUBLIC,
        "session": session,
        "triggers": ["grade"],
        "effects": ["swelling"],
        "grade": 2,
        "checklist": ["review_in_person", "report_lots"],
        "source": AdverseEvent.Source.PATIENT,
        **changes,
    }
    return open_adverse_event(**values)


def test_an_open_event_pauses_the_course_and_the_next_session_is_refused_naming_it(
    first_session, dermatologist, lot_a
):
    event, created = _open(first_session)
    assert created
    course = Course.objects.get(pk=first_session.course_id)
    assert course.status == Course.Status.PAUSED
    assert event.reference in course.status_reason
    # Even resumed by hand, the open event alone refuses the session, and nothing is written.
    Course.objects.filter(pk=course.pk).update(status=Course.Status.ACTIVE)
    course.refresh_from_db()
    earlier = timezone.now() - timedelta(days=30)  # the first session a month ago
    TreatmentSession.objects.filter(pk=first_session.pk).update(
        started_at=earlier, ended_at=earlier
    )
    movements = StockMovement.objects.count()
    later = timezone.now()
    with pytest.raises(sessions.GateRefused) as refused:
        sessions.record_session(
            acting_user=dermatologist.user,
            via=VIA,
            course=course,
            data=sessions.SessionInput(
                lines=[sessions.Line(lot=lot_a, volume=Decimal("1"), zones=["cheek_left"])],
                points=20,
                technique="papules",
                depth="Intradermal",
                needle="30G × 4 mm",
                started_at=later,
                ended_at=later,
                pregnant_today=False,
                breastfeeding_today=False,
            ),
        )
    failures = {f.condition: f.detail for f in refused.value.failures}
    assert failures[Condition.ADVERSE_EVENT_OPEN] == (event.reference,)
    assert f"Adverse event {event.reference} is open" in str(refused.value)
    assert TreatmentSession.objects.count() == 1
    assert StockMovement.objects.count() == movements


def test_a_second_report_widens_the_open_event_instead_of_opening_another(first_session):
    event, _ = _open(first_session)
    again, created = _open(
        first_session,
        triggers=["allergic"],
        effects=["rash_hives"],
        grade=3,
        checklist=["assess_airway", "report_lots"],
    )
    assert not created and again.pk == event.pk
    assert again.triggers == ["allergic", "grade"]
    assert again.effects == ["rash_hives", "swelling"]
    assert again.grade == 3
    assert [s["code"] for s in again.checklist] == [
        "review_in_person",
        "report_lots",
        "assess_airway",
    ]
    assert AdverseEvent.objects.count() == 1


def test_closing_without_an_outcome_or_by_a_non_dermatologist_is_refused_and_nothing_changes(
    first_session, make_practitioner, clinic_a
):
    event, _ = _open(first_session)
    nurse = make_practitioner("nurse_a", clinic_a, qualification="nurse")
    with pytest.raises(ValidationError) as refused:
        close_adverse_event(acting_user=nurse.user, via=VIA, event=event, outcome="")
    assert set(refused.value.message_dict) == {"outcome", "dermatologist"}
    event.refresh_from_db()
    assert event.is_open and event.dermatologist is None


def test_a_dermatologist_of_another_clinic_cannot_close_it(
    first_session, make_practitioner, clinic_b
):
    event, _ = _open(first_session)
    elsewhere = make_practitioner("derm_b", clinic_b)
    with pytest.raises(Exception):  # noqa: B017 — 404-like PermissionDenied or a field error
        close_adverse_event(acting_user=elsewhere.user, via=VIA, event=event, outcome="resolved")
    assert AdverseEvent.objects.get(pk=event.pk).is_open


def test_closing_records_the_dermatologist_resumes_the_course_and_is_audited(
    first_session, dermatologist
):
    event, _ = _open(first_session)
    closed = close_adverse_event(
        acting_user=dermatologist.user,
        via=VIA,
        event=event,
        outcome=AdverseEvent.Outcome.RESOLVED,
        note="Settled with a cold compress.",
        resume_course=True,
    )
    assert closed.status == "closed" and closed.dermatologist == dermatologist
    assert Course.objects.get(pk=first_session.course_id).status == Course.Status.ACTIVE
    assert AuditEvent.objects.filter(
        object_type="care.adverseevent", object_id=str(event.pk), action="update"
    ).exists()
    with pytest.raises(ValidationError) as again:
        close_adverse_event(
            acting_user=dermatologist.user, via=VIA, event=closed, outcome="resolved"
        )
    assert "status" in again.value.message_dict


def test_the_database_refuses_a_closed_event_without_outcome_or_dermatologist(first_session):
    from django.db import IntegrityError, transaction

    event, _ = _open(first_session)
    with pytest.raises(IntegrityError), transaction.atomic():
        AdverseEvent.objects.filter(pk=event.pk).update(status="closed", closed_at=timezone.now())


def test_a_closed_events_grade_is_not_changed(first_session, dermatologist):
    from mesoclinic.care.services.adverse_events import set_grade

    event, _ = _open(first_session)
    closed = close_adverse_event(
        acting_user=dermatologist.user, via=VIA, event=event, outcome="resolved"
    )
    with pytest.raises(ValidationError) as refused:
        set_grade(acting_user=dermatologist.user, via=VIA, event=closed, grade=4)
    assert "grade" in refused.value.message_dict
    assert AdverseEvent.objects.get(pk=event.pk).grade == 2


def test_the_audit_trail_names_how_many_triggers_never_which(first_session):
    event, _ = _open(first_session, triggers=["allergic", "grade"])
    row = AuditEvent.objects.get(object_type="care.adverseevent", object_id=str(event.pk))
    assert row.detail == {"triggers": 2}
    assert "allergic" not in str(row.detail)
