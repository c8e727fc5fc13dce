"""Pausing, resuming and cancelling a course, and the consents that end with it.

A completed or cancelled course is final; a paused one is refused at the gate until resumed.
A consent names its course, so it ends when the course is completed (`services.sessions`) or
cancelled (here).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.audit.services import save_audited
from mesoclinic.care import access, selectors
from mesoclinic.care.models import Consent, Course
from mesoclinic.care.services import recording
from mesoclinic.care.services.patient_lock import locked_patient
from mesoclinic.care.services.screening import invalidate_consents
from mesoclinic.clinics.credentials import Step


def _ensure_may_set_status(acting_user, clinic_id, status: str) -> None:
    """Resuming or cancelling a course changes the plan: the plan step. Pausing only stops
    treatment, which whoever may chart a session may also do (stopping is always safe)."""
    person = selectors.recorder(acting_user, clinic_id)
    steps = (Step.PLAN, Step.SESSION) if status == Course.Status.PAUSED else (Step.PLAN,)
    if not any(person.may(step) for step in steps):
        raise recording.NotAllowedToRecord(Step.PLAN, person.codes(person.problems(Step.PLAN)))


#: Which status a course may move to from which: a completed or cancelled course is final.
_MOVES = {
    Course.Status.ACTIVE: {Course.Status.PAUSED, Course.Status.CANCELLED},
    Course.Status.PAUSED: {Course.Status.ACTIVE, Course.Status.CANCELLED},
}


def set_course_status(*, acting_user, via: str, course: Course, status: str, reason: str):
    """Pause, resume or cancel a course (a reason is kept, and the change audited). A paused
    course is refused at the gate until resumed."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    with transaction.atomic():
        locked_patient(acting_user, course.patient)
        locked = Course.objects.select_for_update().get(pk=course.pk)
        _ensure_may_set_status(acting_user, locked.clinic_id, status)
        errors = {}
        if status not in _MOVES.get(locked.status, set()):
            errors["status"] = [_("This course cannot move to that status.")]
        if status != Course.Status.ACTIVE and not reason.strip():
            errors["reason"] = [_("Say why.")]
        if errors:
            raise ValidationError(errors)
        locked.status = status
        locked.status_reason = reason.strip()[:200]
        save_audited(
            locked,
            actor=acting_user,
            via=via,
            fields=["status", "status_reason"],
        )
        if status == Course.Status.CANCELLED:
            end_course_consents(acting_user, via, locked, ended="cancelled")
    return locked


def end_course_consents(acting_user, via: str, ended_course: Course, *, ended: str) -> int:
    """A consent is valid for the course it names: when the course is completed or cancelled,
    the consent given on it ends with it, so the next course (maintenance included) is
    consented afresh. Call inside the transaction that ended the course."""
    return invalidate_consents(
        acting_user,
        via,
        Consent.objects.filter(course=ended_course, invalidated_at__isnull=True),
        when=timezone.now(),
        reason=f"Course {ended_course.pk} {ended}.",
        detail={"course": ended_course.pk},
    )
