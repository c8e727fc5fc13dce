"""Opening, working up and closing an adverse event: the care record the gate reads.

Aftercare decides *whether* a report escalates (its pure rules); these services write the
record, pause the course and resume it, each in one transaction with its audit rows. An open
event refuses every session of the patient at the gate (`care.gate`), so opening one is never
refused: a patient's own report opens it with no user at all.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.audit.services import Action, record_event, save_audited
from mesoclinic.care import access
from mesoclinic.care.models import AdverseEvent, Course, TreatmentSession
from mesoclinic.clinics.models import Membership
from mesoclinic.patients.models import Patient


def _pause_reason(event: AdverseEvent) -> str:
    return f"Adverse event {event.reference} open."


def open_adverse_event(
    *,
    acting_user,
    via: str,
    session: TreatmentSession,
    triggers: list[str],
    effects: list[str],
    grade: int | None,
    checklist: list[str],
    source: str,
) -> tuple[AdverseEvent, bool]:
    """Open an event after `session`, or widen the one already open for it (more triggers,
    effects, checklist steps, a higher grade): one event per harm, however many reports name
    it. Pauses the session's course when it is active. Returns (event, created).

    `acting_user` is None when the patient's own report opens it (a signed link, no login);
    staff must be able to see the patient. Call inside the caller's transaction, or alone."""
    with transaction.atomic():
        patients = Patient.objects.select_for_update().filter(pk=session.patient_id)
        if acting_user is not None:
            patients = patients.filter(pk__in=Patient.objects.for_user(acting_user).values("pk"))
        if not patients.exists():
            raise ValidationError({"patient": _("This patient is not registered at your clinics.")})
        event = (
            AdverseEvent.objects.select_for_update()
            .filter(session=session, status=AdverseEvent.Status.OPEN)
            .first()
        )
        steps = [{"code": code, "done_at": None, "done_by": None} for code in checklist]
        if event is None:
            event = AdverseEvent.objects.create(
                patient_id=session.patient_id,
                clinic_id=session.clinic_id,
                session=session,
                course_id=session.course_id,
                source=source,
                triggers=sorted(set(triggers)),
                effects=sorted(set(effects)),
                grade=grade,
                checklist=steps,
                opened_by=acting_user,
            )
            record_event(
                actor=acting_user,
                action=Action.CREATE,
                via=via,
                instance=event,
                detail={"triggers": len(event.triggers)},
            )
            created = True
        else:
            known = {step["code"] for step in event.checklist}
            event.triggers = sorted(set(event.triggers) | set(triggers))
            event.effects = sorted(set(event.effects) | set(effects))
            event.grade = max(filter(None, (event.grade, grade)), default=None)
            event.checklist = event.checklist + [s for s in steps if s["code"] not in known]
            save_audited(
                event,
                actor=acting_user,
                via=via,
                fields=["triggers", "effects", "grade", "checklist"],
                detail={"triggers": len(event.triggers)},
            )
            created = False
        course = Course.objects.select_for_update().get(pk=session.course_id)
        if course.status == Course.Status.ACTIVE:
            course.status = Course.Status.PAUSED
            course.status_reason = _pause_reason(event)
            save_audited(
                course,
                actor=acting_user,
                via=via,
                fields=["status", "status_reason"],
                detail={"adverse_event": event.pk},
            )
            if not event.course_paused:
                event.course_paused = True
                event.save(update_fields=["course_paused", "updated_at"])
    return event, created


def _dermatologist_of(acting_user, clinic_id: int):
    """The credentialed dermatologist closing at this clinic, or a field error naming why not."""
    practitioner = access.can_justify(acting_user)
    if practitioner is None:
        raise ValidationError(
            {"dermatologist": _("Only a credentialed dermatologist may close an adverse event.")}
        )
    if not Membership.objects.filter(user=acting_user, clinic_id=clinic_id).exists():
        raise ValidationError({"dermatologist": _("You do not work at this event's clinic.")})
    return practitioner


def _locked_event(acting_user, event: AdverseEvent) -> AdverseEvent:
    locked = (
        AdverseEvent.objects.for_user(acting_user).select_for_update().filter(pk=event.pk).first()
    )
    if locked is None:
        raise PermissionDenied
    return locked


def tick_step(*, acting_user, via: str, event: AdverseEvent, code: str, done: bool):
    """Mark one work-up step done (or not yet), by whom and when."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    with transaction.atomic():
        locked = _locked_event(acting_user, event)
        if not locked.is_open:
            raise ValidationError({"checklist": _("This event is closed.")})
        steps = [dict(step) for step in locked.checklist]
        found = [step for step in steps if step["code"] == code]
        if not found:
            raise ValidationError({"checklist": _("This event has no such step.")})
        for step in found:
            step["done_at"] = timezone.now().isoformat() if done else None
            step["done_by"] = acting_user.pk if done else None
        locked.checklist = steps
        save_audited(locked, actor=acting_user, via=via, fields=["checklist"])
    return locked


def set_grade(*, acting_user, via: str, event: AdverseEvent, grade: int):
    """The clinician's grade for the event (CTCAE v5, 1–5)."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    if not isinstance(grade, int) or not 1 <= grade <= 5:
        raise ValidationError({"grade": _("A CTCAE grade from 1 to 5.")})
    with transaction.atomic():
        locked = _locked_event(acting_user, event)
        if not locked.is_open:
            raise ValidationError({"grade": _("This event is closed.")})
        locked.grade = grade
        save_audited(locked, actor=acting_user, via=via, fields=["grade"])
    return locked


def close_adverse_event(
    *,
    acting_user,
    via: str,
    event: AdverseEvent,
    outcome: str,
    note: str = "",
    resume_course: bool = False,
) -> AdverseEvent:
    """Close an event with its outcome, signed by the credentialed dermatologist closing it.
    `resume_course` makes the course active again when this event paused it and no other open
    event is left on it; otherwise the course stays as it is (a dermatologist resumes it)."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    errors = {}
    if outcome not in AdverseEvent.Outcome.values:
        errors["outcome"] = [_("Choose the outcome.")]
    with transaction.atomic():
        locked = _locked_event(acting_user, event)
        try:
            dermatologist = _dermatologist_of(acting_user, locked.clinic_id)
        except ValidationError as error:
            errors.update(error.message_dict)
        if not locked.is_open:
            errors["status"] = [_("This event is already closed.")]
        if errors:
            raise ValidationError(errors)
        locked.status = AdverseEvent.Status.CLOSED
        locked.outcome = outcome
        locked.outcome_note = note.strip()
        locked.closed_at = timezone.now()
        locked.closed_by = acting_user
        locked.dermatologist = dermatologist
        save_audited(
            locked,
            actor=acting_user,
            via=via,
            fields=["status", "outcome", "outcome_note", "closed_at", "closed_by", "dermatologist"],
        )
        if resume_course and locked.course_paused:
            course = Course.objects.select_for_update().get(pk=locked.course_id)
            still_open = AdverseEvent.objects.filter(
                course_id=course.pk, status=AdverseEvent.Status.OPEN
            ).exists()
            if course.status == Course.Status.PAUSED and not still_open:
                course.status = Course.Status.ACTIVE
                course.status_reason = ""
                save_audited(
                    course,
                    actor=acting_user,
                    via=via,
                    fields=["status", "status_reason"],
                    detail={"adverse_event_closed": locked.pk},
                )
    return locked
