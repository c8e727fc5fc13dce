"""`seed_demo`'s aftercare: what the demo's queue, register and progress page show."""

import itertools
from io import StringIO

import pytest
from django.core.management import call_command

from mesoclinic.aftercare.models import CheckIn, OutcomeScore, SideEffect
from mesoclinic.care import gate
from mesoclinic.care.models import AdverseEvent, Course
from mesoclinic.care.services import gate_facts
from mesoclinic.care.tests.conftest import (  # noqa: F401 (fixtures)
    consent_texts,
    screening_rules,
    shipped_care_data,
)
from mesoclinic.clinics.models import Practitioner
from mesoclinic.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_it_shows_an_open_grade_2_event_whose_course_is_paused_and_refused_at_the_gate(demo):
    event = AdverseEvent.objects.get(status=AdverseEvent.Status.OPEN)
    assert event.clinic.slug == "rawalpindi-saddar"
    assert event.grade == 2 and event.effects == ["swelling"] and "grade" in event.triggers
    course = Course.objects.get(pk=event.course_id)
    assert course.status == Course.Status.PAUSED
    doctor = Practitioner.objects.get(user__username="doctor.rwp")
    facts = gate_facts.gather(
        course,
        doctor,
        gate_facts.before_start(pregnant_today=False, breastfeeding_today=False),
        screening=None,
    )
    failures = {f.condition: f.detail for f in gate.check(facts)}
    assert failures[gate.Condition.ADVERSE_EVENT_OPEN] == (event.reference,)
    # The dermatologist was told, urgently, and the message names nothing clinical.
    message = Message.objects.get(idempotency_key__startswith=f"ae-{event.pk}-opened-")
    assert message.urgent and "swelling" not in str(message.values)


def test_it_shows_a_closed_event_with_its_outcome_and_the_course_resumed(demo):
    event = AdverseEvent.objects.get(status=AdverseEvent.Status.CLOSED)
    assert event.clinic.slug == "lahore-gulberg"
    assert event.outcome == AdverseEvent.Outcome.RESOLVED
    assert event.dermatologist.user.username == "doctor.lhe"
    assert Course.objects.get(pk=event.course_id).status == Course.Status.ACTIVE


def test_it_shows_a_fine_24_hour_check_in_with_expected_redness_and_no_alarm(demo):
    check_in = CheckIn.objects.get(
        clinic__slug="islamabad-f7", hours_after=24, status=CheckIn.Status.ANSWERED
    )
    assert check_in.skin == "fine" and not check_in.escalated
    assert [e.code for e in SideEffect.objects.filter(check_in=check_in)] == ["erythema"]
    assert not AdverseEvent.objects.filter(clinic__slug="islamabad-f7").exists()
    # Answered before its time: its "how are you?" message is not sent after all.
    message = Message.objects.get(idempotency_key=f"checkin-{check_in.pk}")
    assert message.status == "cancelled"


def test_it_shows_a_four_session_course_with_the_mmasi_falling_from_its_baseline(demo):
    scores = list(
        OutcomeScore.objects.filter(clinic__slug="karachi-clifton", scale="mmasi")
        .select_related("session")
        .order_by("scored_at", "id")
    )
    numbers = [s.session.number if s.session else 0 for s in scores]
    values = [s.value for s in scores]
    assert numbers == [0, 1, 2, 3, 4]
    assert values == sorted(values, reverse=True) and values[0] > values[-1]
    sessions = [s.session for s in scores[1:]]
    gaps = {(b.started_at - a.started_at).days for a, b in itertools.pairwise(sessions)}
    assert gaps == {14}
    # The earlier sessions' check-ins are behind them: answered, their messages not sent.
    past = CheckIn.objects.filter(session__in=sessions[:2])
    assert all(c.status == CheckIn.Status.ANSWERED for c in past)
    keys = [f"checkin-{c.pk}" for c in past]
    assert not Message.objects.filter(idempotency_key__in=keys, status="queued").exists()


def test_a_second_run_adds_no_aftercare(demo, settings):
    counts = (
        CheckIn.objects.count(),
        AdverseEvent.objects.count(),
        OutcomeScore.objects.count(),
        SideEffect.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert (
        CheckIn.objects.count(),
        AdverseEvent.objects.count(),
        OutcomeScore.objects.count(),
        SideEffect.objects.count(),
    ) == counts
    assert "Aftercare" in demo
