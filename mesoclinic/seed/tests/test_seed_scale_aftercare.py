"""`seed_scale`'s aftercare: three check-ins per charted session, answers that the real
escalation rules agree with, adverse events open and closed as the services would leave them,
and mMASI scores falling from each course's baseline."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.aftercare import escalation
from mesoclinic.aftercare.models import CheckIn, OutcomeScore, SideEffect
from mesoclinic.care.models import AdverseEvent, Course, TreatmentSession
from mesoclinic.seed import scale
from mesoclinic.seed.scale_aftercare import value_of

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


@pytest.mark.django_db
def test_every_charted_session_gets_its_check_ins_scores_and_events(settings):
    settings.DEBUG = True
    call_command(
        "seed_scale",
        patients=150,
        clinics=2,
        seed=6,
        batch=40,
        appointments=False,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    sessions, courses = TreatmentSession.objects.count(), Course.objects.count()
    assert sessions > courses > 0
    assert CheckIn.objects.count() == 3 * sessions
    per_session = CheckIn.objects.values("session").annotate(n=Count("id"))
    assert {row["n"] for row in per_session} == {3}
    assert set(CheckIn.objects.values_list("hours_after", flat=True)) == {24, 72, 504}
    # A baseline per course and a score per session, each the calculator's value.
    assert OutcomeScore.objects.filter(session=None).count() == courses
    assert OutcomeScore.objects.count() == courses + sessions
    for score in OutcomeScore.objects.all()[:50]:
        assert score.value == value_of(score.inputs)
        score.full_clean()
    assert CheckIn.objects.filter(status=CheckIn.Status.ANSWERED).exists()
    assert SideEffect.objects.exists()
    # Each answered check-in escalated exactly when the default rules say so.
    rules = escalation.Rules()
    for check_in in CheckIn.objects.filter(status="answered").select_related("session"):
        effects = [
            escalation.Effect(code=e.code, grade=e.self_grade, present=e.present)
            for e in SideEffect.objects.filter(check_in=check_in)
        ]
        decision = escalation.decide(
            effects,
            session_ended_at=check_in.session.ended_at,
            reported_at=check_in.answered_at,
            rules=rules,
        )
        assert decision.escalate == check_in.escalated
        assert (check_in.adverse_event_id is not None) == check_in.escalated
    for event in AdverseEvent.objects.select_related("course"):
        event.full_clean()
        if event.is_open:
            assert event.course.status in (Course.Status.PAUSED, Course.Status.COMPLETED)
        else:
            assert event.outcome and event.dermatologist_id and event.closed_at
    for check_in in CheckIn.objects.all()[:60]:
        check_in.full_clean()


@given(st.integers(1, 10**6), st.integers(0, 6))
def test_a_courses_mmasi_never_rises_from_one_session_to_the_next(patient_id, number):
    before = value_of(scale.mmasi_grades(1, patient_id, number))
    after = value_of(scale.mmasi_grades(1, patient_id, number + 1))
    assert 0 <= after <= before <= 24


@given(st.integers(1, 10**6), st.integers(1, 6), st.integers(1, 500), st.booleans())
def test_only_an_event_escalates_and_it_is_open_only_on_a_recent_latest_session(
    patient_id, number, days_ago, latest
):
    ended = NOW - timedelta(days=days_ago)
    plan = scale.aftercare_for(1, patient_id, number, ended_at=ended, now=NOW, latest=latest)
    assert [c.hours for c in plan.check_ins] == list(scale.CHECK_IN_HOURS)
    escalated = []
    for item in plan.check_ins:
        if item.answered_after is None:
            continue
        reported = ended + timedelta(hours=item.hours) + item.answered_after
        assert reported <= NOW
        effects = [escalation.Effect(code=c, grade=g, present=p) for c, g, p in item.effects]
        decision = escalation.decide(
            effects, session_ended_at=ended, reported_at=reported, rules=escalation.Rules()
        )
        if decision.escalate:
            escalated.append(reported)
    assert bool(escalated) == (plan.event is not None)
    if plan.event == "open":
        assert latest and NOW - escalated[0] < timedelta(days=scale.OPEN_EVENT_DAYS)


def test_about_one_session_in_a_hundred_is_followed_by_an_event_some_still_open():
    plans = [
        scale.aftercare_for(
            1, n, 1, ended_at=NOW - timedelta(days=n % 90 + 5), now=NOW, latest=True
        )
        for n in range(1, 4001)
    ]
    events = [p.event for p in plans if p.event]
    assert 20 <= len(events) <= 60
    assert "open" in events and "closed" in events


@pytest.mark.django_db
def test_a_chain_seeded_before_aftercare_gets_it_from_a_run_with_no_new_patients(settings):
    settings.DEBUG = True
    options = {"clinics": 2, "seed": 9, "appointments": False}
    call_command("seed_scale", patients=80, stdout=StringIO(), stderr=StringIO(), **options)
    seeded = _aftercare_counts()
    # As a chain seeded before aftercare existed: no check-ins, events or scores.
    SideEffect.objects.all().delete()
    CheckIn.objects.all().delete()
    AdverseEvent.objects.all().delete()
    OutcomeScore.objects.all().delete()
    Course.objects.filter(status=Course.Status.PAUSED).update(
        status=Course.Status.ACTIVE, status_reason=""
    )
    if connection.vendor == "postgresql":  # and its id sequences where they stood then
        with connection.cursor() as cursor:
            for model in (CheckIn, SideEffect, AdverseEvent, OutcomeScore):
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), 1, false)",
                    [model._meta.db_table],
                )
    out = StringIO()
    call_command("seed_scale", patients=0, stdout=out, stderr=StringIO(), **options)
    assert _aftercare_counts() == seeded
    # The application's next row takes a fresh id, past the seeded ones.
    score = OutcomeScore.objects.order_by("id").last()
    score.pk, score.session = None, None
    score.scale = "satisfaction"
    score.save()
    assert score.pk > OutcomeScore.objects.exclude(pk=score.pk).order_by("id").last().pk
    score.delete()
    assert "aftercare rows for earlier courses" in out.getvalue()
    # Once filled, another run adds nothing.
    call_command("seed_scale", patients=0, stdout=StringIO(), stderr=StringIO(), **options)
    assert _aftercare_counts() == seeded


def _aftercare_counts():
    return (
        CheckIn.objects.count(),
        SideEffect.objects.count(),
        AdverseEvent.objects.count(),
        OutcomeScore.objects.count(),
        Course.objects.filter(status=Course.Status.PAUSED).count(),
    )
