"""The path from a charted session to a closed adverse event, through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mesoclinic.aftercare.models import CheckIn, SideEffect
from mesoclinic.aftercare.services import checkins
from mesoclinic.audit.services import Interface
from mesoclinic.care import gate
from mesoclinic.care.models import AdverseEvent, Course
from mesoclinic.care.services import gate_facts
from mesoclinic.care.services.adverse_events import close_adverse_event
from mesoclinic.notifications.models import Message

pytestmark = pytest.mark.django_db


def test_it_lays_out_three_check_ins_each_with_one_message_due_at_its_time(charted):
    made = list(CheckIn.objects.filter(session=charted).order_by("hours_after"))
    assert [c.hours_after for c in made] == [24, 72, 504]
    for check_in in made:
        assert check_in.due_at == charted.ended_at + timedelta(hours=check_in.hours_after)
        message = Message.objects.get(idempotency_key=f"checkin-{check_in.pk}")
        assert message.due_at == check_in.due_at
        assert message.template == "check-in"
        assert "/check-in/" in message.values["link"]


def test_a_grade_two_swelling_opens_an_event_that_pauses_the_course_and_stops_the_gate(
    charted, dermatologist
):
    check_in = CheckIn.objects.get(session=charted, hours_after=72)
    decision = checkins.answer_check_in(
        acting_user=None,
        via=Interface.PUBLIC,
        check_in=check_in,
        answers=checkins.Answers(
            skin="worried",
            effects=(checkins.EffectAnswer(code="swelling", site="left cheek", self_grade=2),),
        ),
        channel=CheckIn.Channel.LINK,
    )
    assert decision.escalate
    event = AdverseEvent.objects.get()
    assert event.triggers == ["grade"] and event.grade == 2 and event.is_open
    course = Course.objects.get(pk=charted.course_id)
    assert course.status == Course.Status.PAUSED
    assert Message.objects.filter(
        idempotency_key=f"ae-{event.pk}-opened-{dermatologist.user_id}", urgent=True
    ).exists()
    facts = gate_facts.gather(
        course,
        dermatologist,
        gate_facts.before_start(pregnant_today=False, breastfeeding_today=False),
        screening=None,
    )
    failures = {f.condition: f.detail for f in gate.check(facts)}
    assert failures[gate.Condition.ADVERSE_EVENT_OPEN] == (event.reference,)

    with pytest.raises(ValidationError) as refused:
        close_adverse_event(
            acting_user=dermatologist.user, via=Interface.WEB, event=event, outcome=""
        )
    assert "outcome" in refused.value.message_dict
    closed = close_adverse_event(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        event=event,
        outcome="resolved",
        resume_course=True,
    )
    assert closed.dermatologist == dermatologist
    assert Course.objects.get(pk=course.pk).status == Course.Status.ACTIVE


def test_an_onset_before_the_session_is_refused_and_nothing_is_stored(charted):
    check_in = CheckIn.objects.get(session=charted, hours_after=24)
    with pytest.raises(ValidationError) as refused:
        checkins.answer_check_in(
            acting_user=None,
            via=Interface.PUBLIC,
            check_in=check_in,
            answers=checkins.Answers(
                skin="some_problems",
                effects=(
                    checkins.EffectAnswer(
                        code="bruising", onset_on=timezone.localdate() - timedelta(days=3)
                    ),
                ),
            ),
            channel=CheckIn.Channel.LINK,
        )
    assert "onset_on" in refused.value.message_dict
    assert not SideEffect.objects.exists()
    assert CheckIn.objects.get(pk=check_in.pk).status == CheckIn.Status.DUE
