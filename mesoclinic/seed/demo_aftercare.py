"""Demo aftercare for `seed_demo`, after the clinical pathway has charted each clinic's first
session (whose check-ins care's `session_charted` signal laid out):

- Islamabad: the patient answered the 24-hour check-in from their link: skin fine, a little
  redness on the cheeks (expected, grade 1): logged, no alarm.
- Rawalpindi: the patient reported a grade-2 swelling at the 72-hour check-in: an adverse event
  is open, the course paused, the dermatologist told; the clinic's queue and register show it.
- Lahore: the same report, and the event closed by the clinic's dermatologist (resolved), the
  course resumed.
- Karachi: a returning patient's course of four sessions, two weeks apart, with the mMASI
  scored at the baseline and at every session, falling.

Everything goes through the services. The Karachi course's earlier sessions are set up in the
past the way the aftercare tests do it: each session is charted now through the gate, then the
course's sessions and check-ins are moved back two weeks before the next one (the gate refuses
a second session the same day, and a session is charted within a week of it). Their check-ins,
past by then, are recorded as answered by phone, and their messages cancelled.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from mesoclinic.aftercare.models import CheckIn, OutcomeScore
from mesoclinic.aftercare.services import checkins
from mesoclinic.aftercare.services.scores import record_score
from mesoclinic.audit.services import Interface
from mesoclinic.care.models import (
    AdverseEvent,
    Consent,
    Consultation,
    PatchTest,
    TreatmentSession,
)
from mesoclinic.care.services import adverse_events
from mesoclinic.notifications import services as notifications
from mesoclinic.notifications.models import Message
from mesoclinic.seed.demo_care import chart_session, ready_course

VIA = Interface.CLI
INTERVAL = timedelta(days=14)
#: The Karachi course's mMASI grades (area, darkness) per region at the baseline and after
#: sessions 1 to 4: the patches shrink and lighten.
MMASI_COURSE = [
    {"forehead": (2, 3), "right_malar": (4, 3), "left_malar": (4, 3), "chin": (1, 2)},
    {"forehead": (2, 3), "right_malar": (4, 2), "left_malar": (3, 3), "chin": (1, 2)},
    {"forehead": (2, 2), "right_malar": (3, 2), "left_malar": (3, 2), "chin": (1, 1)},
    {"forehead": (1, 2), "right_malar": (3, 2), "left_malar": (2, 2), "chin": (1, 1)},
    {"forehead": (1, 1), "right_malar": (2, 2), "left_malar": (2, 1), "chin": (0, 0)},
]
SWELLING = checkins.Answers(
    skin="worried",
    effects=(checkins.EffectAnswer(code="swelling", site="both cheeks", self_grade=2),),
    note="Swollen cheeks since yesterday (demo).",
)


def seed(*, clinics, patients_by_clinic) -> None:
    """Each clinic's part (see the module's docstring), once: a part already there is skipped."""
    parts = (_answered_fine, _open_event, _closed_event, _falling_scores)
    for clinic, part in zip(clinics, parts, strict=False):
        doctor = (
            get_user_model()
            .objects.filter(memberships__clinic=clinic, username__startswith="doctor.")
            .first()
        )
        if doctor is not None:
            part(clinic=clinic, doctor=doctor, patients=patients_by_clinic.get(clinic.pk, []))


def _first_session(clinic):
    """The clinic's demo session charted today (demo_care), or None."""
    return (
        TreatmentSession.objects.filter(clinic=clinic, number=1)
        .select_related("course")
        .order_by("id")
        .first()
    )


def _due(session, hours: int):
    return CheckIn.objects.filter(
        session=session, hours_after=hours, status=CheckIn.Status.DUE
    ).first()


def _answered_fine(*, clinic, doctor, patients) -> None:
    session = _first_session(clinic)
    check_in = _due(session, 24) if session else None
    if check_in is None:
        return  # no session, or answered already
    checkins.answer_check_in(
        acting_user=None,
        via=Interface.PUBLIC,
        check_in=check_in,
        answers=checkins.Answers(
            skin="fine",
            effects=(checkins.EffectAnswer(code="erythema", site="cheeks", self_grade=1),),
            note="A little redness, going down (demo).",
        ),
        channel=CheckIn.Channel.LINK,
    )
    _answered_early(check_in)


def _answered_early(check_in) -> None:
    """The demo answers a check-in before its time: its message is no longer to be sent."""
    notifications.cancel_queued(
        keys=[f"checkin-{check_in.pk}"], reason="Answered before it was due (demo).", via=VIA
    )


def _reported_swelling(session):
    """The patient's grade-2 swelling at the 72-hour check-in, from their link: the event."""
    check_in = _due(session, 72)
    if check_in is None or AdverseEvent.objects.filter(session=session).exists():
        return None
    checkins.answer_check_in(
        acting_user=None,
        via=Interface.PUBLIC,
        check_in=check_in,
        answers=SWELLING,
        channel=CheckIn.Channel.LINK,
    )
    _answered_early(check_in)
    return AdverseEvent.objects.filter(session=session).first()


def _open_event(*, clinic, doctor, patients) -> None:
    session = _first_session(clinic)
    if session is not None:
        _reported_swelling(session)


def _closed_event(*, clinic, doctor, patients) -> None:
    session = _first_session(clinic)
    event = _reported_swelling(session) if session else None
    if event is None:
        return
    adverse_events.tick_step(
        acting_user=doctor, via=VIA, event=event, code="review_in_person", done=True
    )
    adverse_events.close_adverse_event(
        acting_user=doctor,
        via=VIA,
        event=event,
        outcome=AdverseEvent.Outcome.RESOLVED,
        note="Seen the next day: settled with cold compresses (demo).",
        resume_course=True,
    )


def _falling_scores(*, clinic, doctor, patients) -> None:
    """A course of four sessions two weeks apart, scored at the baseline and each session."""
    if len(patients) < 4 or Consultation.objects.filter(patient=patients[3]).exists():
        return  # too few patients, or seeded already
    reception = (
        get_user_model()
        .objects.filter(memberships__clinic=clinic, username__startswith="reception.")
        .first()
    )
    ready = ready_course(doctor, reception or doctor, patients[3], clinic)
    if ready is None:
        return
    course, lot = ready
    record_mmasi(acting_user=doctor, course=course, session=None, grades=MMASI_COURSE[0])
    for number, grades in enumerate(MMASI_COURSE[1:], start=1):
        if number > 1:
            _move_back(course)
        session = chart_session(doctor, course, lot)
        record_mmasi(acting_user=doctor, course=course, session=session, grades=grades)
    # The plan's dates started with session one, four sessions ago.
    course.refresh_from_db()
    back = INTERVAL * (len(MMASI_COURSE) - 2)
    course.start_date -= back
    course.session_dates = [
        (date.fromisoformat(day) - back).isoformat() for day in course.session_dates
    ]
    course.maintenance_due = course.maintenance_due - back if course.maintenance_due else None
    course.save(update_fields=["start_date", "session_dates", "maintenance_due", "updated_at"])
    _screening_back(course.patient_id, back)
    _answer_past_check_ins(doctor, course)


def _screening_back(patient_id: int, back) -> None:
    """The consultation, patch test and consent that came before session one, as far back as
    the sessions went, so the chart reads in order (consent before the sessions it covers)."""
    shift = {name: F(name) - back for name in ("recorded_at", "entered_at")}
    Consultation.objects.filter(patient_id=patient_id).update(**shift)
    Consent.objects.filter(patient_id=patient_id).update(
        signed_at=F("signed_at") - back, entered_at=F("entered_at") - back
    )
    PatchTest.objects.filter(patient_id=patient_id).update(
        **{
            name: F(name) - back
            for name in ("applied_at", "entered_at", "read_at", "read_entered_at", "valid_until")
        }
    )


def _move_back(course) -> None:
    """The course's sessions, their check-ins (and the check-ins' messages) and its scores two
    weeks earlier (setting up the past)."""
    TreatmentSession.objects.filter(course=course).update(
        started_at=F("started_at") - INTERVAL, ended_at=F("ended_at") - INTERVAL
    )
    check_ins = CheckIn.objects.filter(session__course=course)
    Message.objects.filter(
        idempotency_key__in=[f"checkin-{pk}" for pk in check_ins.values_list("pk", flat=True)]
    ).update(due_at=F("due_at") - INTERVAL)
    check_ins.update(due_at=F("due_at") - INTERVAL, link_expires_at=F("link_expires_at") - INTERVAL)
    OutcomeScore.objects.filter(course=course).update(scored_at=F("scored_at") - INTERVAL)


def _answer_past_check_ins(doctor, course) -> None:
    """The earlier sessions' check-ins, whose times have passed: recorded as answered by phone
    two hours after each was due (skin fine), their messages no longer sent."""
    now = timezone.now()
    past = list(
        CheckIn.objects.filter(
            session__course=course, status=CheckIn.Status.DUE, due_at__lte=now - timedelta(hours=2)
        ).select_related("session")
    )
    notifications.cancel_queued(
        keys=[f"checkin-{c.pk}" for c in past],
        reason="Answered by phone (demo history).",
        via=VIA,
    )
    for check_in in past:
        checkins.answer_check_in(
            acting_user=doctor,
            via=VIA,
            check_in=check_in,
            answers=checkins.Answers(skin="fine", answered_at=check_in.due_at + timedelta(hours=2)),
            channel=CheckIn.Channel.PHONE,
        )


def record_mmasi(*, acting_user, course, session, grades) -> OutcomeScore:
    """The course's mMASI at `session` (None: its baseline), from {region: (area, darkness)},
    computed by care's pure calculator and audited."""
    inputs = {region: {"area": a, "darkness": d} for region, (a, d) in grades.items()}
    return record_score(
        acting_user=acting_user,
        via=VIA,
        course=course,
        session=session,
        scale="mmasi",
        inputs=inputs,
    )
