"""Aftercare's reads: the clinic's settings, and check-ins as the pages and the API see them,
scoped by the one rule (`clinics.scoping`, through each model's `for_user`)."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.http import Http404
from django.utils import timezone

from mesoclinic.aftercare.models import AftercareSettings, CheckIn, OutcomeScore
from mesoclinic.audit.services import Action, record_event
from mesoclinic.care.models import Course, TreatmentSession
from mesoclinic.clinics import scoping


def settings_for(clinic_id: int) -> AftercareSettings:
    """The clinic's settings, or the defaults (unsaved) when it has not set its own."""
    return AftercareSettings.objects.filter(clinic_id=clinic_id).first() or AftercareSettings(
        clinic_id=clinic_id
    )


#: New reports a patient may make about one session in a day, from its link or the portal.
#: Each report can open an adverse event and e-mail the dermatologists at once; a link passed
#: around (or a script, or a shared phone's account) must not flood them. A patient with more
#: to say is sent to the telephone.
REPORTS_PER_DAY = 5


def reported_too_often(*, patient_id: int, session_id: int) -> bool:
    """Whether the patient has already made today's reports about this session (one query:
    checkin_patient_idx narrows to the patient, a handful of rows per session)."""
    return (
        CheckIn.objects.filter(
            patient_id=patient_id,
            session_id=session_id,
            kind=CheckIn.Kind.PATIENT,
            created_at__gte=timezone.now() - timedelta(days=1),
        ).count()
        >= REPORTS_PER_DAY
    )


def get_check_in_for_user(user, pk) -> CheckIn:
    """A check-in `user` may see, or 404 (missing and another clinic's look the same)."""
    found = (
        CheckIn.objects.for_user(user)
        .select_related("session", "patient", "clinic", "adverse_event")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class Reading:
    """One point the progress chart can draw: a scale's value at a time, and where it came
    from ("screening" for the consultation's baseline, "score" for a stored OutcomeScore)."""

    scale: str
    value: Decimal
    band: str
    at: object
    source: str


def baseline_from_screening(course: Course) -> Reading | None:
    """The baseline the course's consultation recorded (`baseline_scale`/`baseline_value`), as
    a reading; None when it recorded no value (a GAIS baseline is a note, not a number).
    Read-only: the caller has already fetched `course` through `for_user`."""
    consultation = course.consultation
    if not consultation.baseline_scale or consultation.baseline_value is None:
        return None
    return Reading(
        scale=consultation.baseline_scale,
        value=consultation.baseline_value,
        band="",
        at=consultation.recorded_at,
        source="screening",
    )


def scores_of_course(user, course: Course):
    """The course's stored scores `user` may see, oldest first, with the session and who
    scored (one query, uses score_course_idx): the score pages and the progress page."""
    return (
        OutcomeScore.objects.for_user(user)
        .filter(course=course)
        .select_related("session", "scored_by")
        .order_by("scored_at", "id")
    )


def scores_of_patient(user, patient_id: int):
    """A patient's scores `user` may see, newest first (`score_patient_idx`)."""
    return OutcomeScore.objects.for_user(user).filter(patient_id=patient_id).order_by("-id")


def _audited(user, record, via: str):
    record_event(actor=user, action=Action.VIEW, via=via, instance=record)
    return record


def get_session_to_score(user, pk, *, via: str) -> TreatmentSession:
    """A session `user` may see, with its course, consultation and patient (one query), for
    the score entry page; 404 (and a DENIED audit row) for one missing or another clinic's.
    The read is audited."""
    found = (
        TreatmentSession.objects.for_user(user)
        .select_related("course__consultation", "course__patient")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise scoping.denied(user, TreatmentSession, pk, via=via)
    return _audited(user, found, via)


def get_course_to_score(user, pk, *, via: str) -> Course:
    """A course `user` may see, with its consultation and patient, for the baseline form; 404
    (audited as DENIED) otherwise. The read is audited."""
    found = (
        Course.objects.for_user(user)
        .select_related("consultation", "patient")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise scoping.denied(user, Course, pk, via=via)
    return _audited(user, found, via)
