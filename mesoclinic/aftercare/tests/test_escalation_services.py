"""Escalation through the services, at its edges: a review after the event is closed does not
reopen it, a worse report on an open event tells the dermatologist again, the supervising
dermatologist must work at the clinic (and others are told when they cannot be reached), and
a check-in answered before its message went cancels the message."""

import pytest
from django.core.exceptions import ValidationError

from mesoclinic.aftercare.models import AftercareSettings, CheckIn, SideEffect
from mesoclinic.aftercare.services import checkins
from mesoclinic.audit.services import Interface
from mesoclinic.care.models import AdverseEvent, Course
from mesoclinic.care.services.adverse_events import close_adverse_event
from mesoclinic.notifications.models import Message

pytestmark = pytest.mark.django_db


def _report(session, hours, *effects):
    check_in = CheckIn.objects.get(session=session, hours_after=hours)
    checkins.answer_check_in(
        acting_user=None,
        via=Interface.PUBLIC,
        check_in=check_in,
        answers=checkins.Answers(skin="worried", effects=effects),
        channel=CheckIn.Channel.LINK,
    )
    check_in.refresh_from_db()
    return check_in


def _told(event):
    return Message.objects.filter(
        template="adverse-event-opened", idempotency_key__startswith=f"ae-{event.pk}-"
    ).count()


def test_reviewing_a_check_in_after_its_event_is_closed_does_not_reopen_it(charted, dermatologist):
    check_in = _report(charted, 72, checkins.EffectAnswer(code="swelling", self_grade=2))
    event = check_in.adverse_event
    close_adverse_event(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        event=event,
        outcome="resolved",
        resume_course=True,
    )
    effect = SideEffect.objects.get(check_in=check_in)
    checkins.confirm_grades(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        check_in=check_in,
        grades={effect.pk: 2},
        resolved={},
    )
    assert AdverseEvent.objects.count() == 1
    assert Course.objects.get(pk=charted.course_id).status == Course.Status.ACTIVE
    check_in.refresh_from_db()
    assert check_in.adverse_event_id == event.pk and _told(event) == 1


def test_a_worse_grade_at_review_after_closing_opens_a_new_event(charted, dermatologist):
    check_in = _report(charted, 72, checkins.EffectAnswer(code="swelling", self_grade=2))
    close_adverse_event(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        event=check_in.adverse_event,
        outcome="resolved",
    )
    effect = SideEffect.objects.get(check_in=check_in)
    checkins.confirm_grades(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        check_in=check_in,
        grades={effect.pk: 3},
        resolved={},
    )
    assert list(AdverseEvent.objects.values_list("status", "grade")) == [
        ("open", 3),
        ("closed", 2),
    ]


def test_a_worse_report_on_an_open_event_tells_the_dermatologist_again(charted):
    first = _report(charted, 24, checkins.EffectAnswer(code="swelling", self_grade=2))
    event = first.adverse_event
    assert _told(event) == 1
    _report(charted, 72, checkins.EffectAnswer(code="breathing_face_swelling", self_grade=3))
    event.refresh_from_db()
    assert event.triggers == ["allergic", "grade"] and event.grade == 3
    assert _told(event) == 2
    # The same again adds nothing: nothing is worse.
    checkins.report(
        acting_user=None,
        via=Interface.PUBLIC,
        session=charted,
        answers=checkins.Answers(
            skin="worried",
            effects=(checkins.EffectAnswer(code="breathing_face_swelling", self_grade=3),),
        ),
        channel=CheckIn.Channel.LINK,
    )
    assert _told(event) == 2


def test_the_supervising_dermatologist_must_be_a_credentialed_dermatologist_of_the_clinic(
    clinic_a, make_practitioner, clinic_b, dermatologist
):
    elsewhere = make_practitioner("derm_b", clinic_b)
    nurse = make_practitioner("nurse_a", clinic_a, qualification="nurse")
    for wrong in (elsewhere, nurse):
        settings = AftercareSettings(clinic=clinic_a, supervising_dermatologist=wrong)
        with pytest.raises(ValidationError) as refused:
            settings.full_clean()
        assert "supervising_dermatologist" in refused.value.message_dict
    AftercareSettings(clinic=clinic_a, supervising_dermatologist=dermatologist).full_clean()


def test_when_the_supervisor_cannot_be_reached_the_clinics_dermatologists_are_told(
    charted, clinic_a, make_practitioner, dermatologist
):
    other = make_practitioner("derm_a2", clinic_a)
    other.user.email = "derm.a2@example.pk"
    other.user.save(update_fields=["email"])
    AftercareSettings.objects.create(clinic=clinic_a, supervising_dermatologist=other)
    other.user.is_active = False
    other.user.save(update_fields=["is_active"])
    event = _report(charted, 72, checkins.EffectAnswer(code="swelling", self_grade=2)).adverse_event
    addresses = set(
        Message.objects.filter(template="adverse-event-opened").values_list("address", flat=True)
    )
    assert addresses == {dermatologist.user.email} and _told(event) == 1


def test_a_check_in_answered_by_phone_before_its_time_cancels_its_message(charted, dermatologist):
    late = CheckIn.objects.get(session=charted, hours_after=504)
    checkins.answer_check_in(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        check_in=late,
        answers=checkins.Answers(skin="fine"),
        channel=CheckIn.Channel.PHONE,
    )
    message = Message.objects.get(idempotency_key=f"checkin-{late.pk}")
    assert message.status == Message.Status.CANCELLED
