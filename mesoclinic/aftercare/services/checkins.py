"""Check-ins: laid out when a session is charted, answered by the patient from a link or by
staff from a call or a visit, and judged by the escalation rules in the same transaction.

A check-in's message is queued with it, due at its time (the outbox holds it until then): it
is sent once, by the worker, with the clinic's name and number and a signed link, never a word
about the treatment.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.roles import is_patient_account
from mesoclinic.aftercare import escalation, links, vocabulary
from mesoclinic.aftercare.models import CheckIn, SideEffect
from mesoclinic.aftercare.selectors import settings_for
from mesoclinic.aftercare.services.events import escalate
from mesoclinic.audit.services import Action, record_event, record_events, save_audited
from mesoclinic.care import access
from mesoclinic.care.services.messages import address_for
from mesoclinic.care.storage import random_name
from mesoclinic.core import images
from mesoclinic.notifications import contacts
from mesoclinic.notifications import services as notifications


def schedule_check_ins(
    *, acting_user, via: str, session, patient, clinic, channel: str | None = None
) -> list[CheckIn]:
    """The session's check-ins at the clinic's offsets after it ended, each with its message
    due at its time, on the patient's preferred `channel` (read here unless the caller has
    just read it). Inside record_session's transaction (care's `session_charted`)."""
    found = settings_for(clinic.pk)
    offsets = found.check_in_hours
    if escalation.check_in_offsets(offsets):
        offsets = [24, 72, 504]  # a malformed setting never loses the follow-up
    made = CheckIn.objects.bulk_create(
        [
            CheckIn(
                session=session,
                patient=patient,
                clinic=clinic,
                kind=CheckIn.Kind.SCHEDULED,
                hours_after=hours,
                due_at=due,
                link_expires_at=due + timedelta(days=found.link_valid_days),
            )
            for hours, due in escalation.due_times(session.ended_at, offsets)
        ]
    )
    if not made or made[0].pk is None:  # databases that do not return ids on bulk insert
        made = list(CheckIn.objects.filter(session=session, kind=CheckIn.Kind.SCHEDULED))
    record_events(
        actor=acting_user,
        action=Action.CREATE,
        via=via,
        instances=made,
        detail_of=lambda c: {"hours_after": c.hours_after},
    )
    # One batch for the session's messages (four queries, not four per check-in).
    with notifications.never_blocking(f"care.session:{session.pk}"):
        channel = channel or contacts.preferred_channel(patient_id=patient.pk)
        if channel:
            notifications.enqueue_many(
                messages=[_message(check_in, patient, channel) for check_in in made],
                acting_user=acting_user,
                via=via,
            )
    return made


def _message(check_in: CheckIn, patient, channel: str) -> dict:
    """The check-in's message, due at its time, on the patient's preferred channel (none when
    they accept no messages: the overdue list then shows it for a call): the clinic's name and
    number and the signed link, nothing else."""
    clinic = check_in.clinic
    return {
        "key": f"checkin-{check_in.pk}",
        "channel": channel,
        "address": address_for(patient, channel),
        "language": patient.preferred_language,
        "template": "check-in",
        "values": {
            "clinic": clinic.name,
            "link": links.public_url(check_in.pk, patient.preferred_language),
            "phone": clinic.phone_display,
        },
        "due_at": check_in.due_at,
        "clinic_id": clinic.pk,
        "patient_id": patient.pk,
        "subject": f"aftercare.checkin:{check_in.pk}",
    }


@dataclass(frozen=True)
class EffectAnswer:
    code: str
    site: str = ""
    onset_on: date | None = None
    present: bool = True
    self_grade: int | None = None
    other: str = ""


@dataclass(frozen=True)
class Answers:
    """A check-in as answered: how the skin is, each effect, the patient's words, a photo."""

    skin: str
    effects: tuple[EffectAnswer, ...] = ()
    note: str = ""
    photo: object = None  # an UploadedFile, or None
    answered_at: datetime | None = None  # staff may state when the call or visit was
    extra: dict = field(default_factory=dict)


def _errors(answers: Answers, session) -> dict[str, list[str]]:
    """Everything wrong with the answers, by field, before anything is written."""
    errors: dict[str, list[str]] = {}
    if answers.skin not in vocabulary.SKIN:
        errors["skin"] = [_("Say how your skin is.")]
    seen = set()
    session_day = timezone.localdate(session.started_at)
    today = timezone.localdate()
    for effect in answers.effects:
        if effect.code not in vocabulary.EFFECTS:
            errors.setdefault("effects", []).append(_("Unknown effect: %s.") % effect.code)
            continue
        if effect.code in seen:
            errors.setdefault("effects", []).append(_("Name each effect once."))
        seen.add(effect.code)
        if effect.self_grade is not None and effect.self_grade not in vocabulary.GRADES:
            errors.setdefault("self_grade", []).append(_("Rate it from 1 to 5."))
        if effect.onset_on is not None and effect.onset_on < session_day:
            errors.setdefault("onset_on", []).append(
                _("It cannot have begun before the session (%(day)s).")
                % {"day": session_day.isoformat()}
            )
        if effect.onset_on is not None and effect.onset_on > today:
            errors.setdefault("onset_on", []).append(_("It cannot begin in the future."))
        if effect.code == "other" and not effect.other.strip():
            errors.setdefault("other", []).append(_("Say what the other effect is."))
    if answers.answered_at is not None:
        if answers.answered_at < session.ended_at:
            errors["answered_at"] = [_("A follow-up cannot be dated before its session.")]
        elif answers.answered_at > timezone.now() + timedelta(minutes=5):
            errors["answered_at"] = [_("A follow-up cannot be dated in the future.")]
    return errors


def _onset(effect):
    """The start of the day an effect began (an answer's or a stored row's `onset_on`)."""
    if effect.onset_on is None:
        return None
    return timezone.make_aware(datetime.combine(effect.onset_on, datetime.min.time()))


def answer_check_in(
    *, acting_user, via: str, check_in: CheckIn, answers: Answers, channel: str
) -> escalation.Decision:
    """Record the answers to a due check-in (the patient's link or portal, or staff by phone
    or at a visit), then judge them: an escalation opens or widens the adverse event at once, pauses
    the course, and tells the dermatologist, all in this transaction. Returns the decision, so
    the form can tell the patient what to do now.

    A photo is re-encoded without its metadata (`core.images`); one that is not an image
    or too large refuses the whole answer, with nothing stored."""
    if not may_report(acting_user):
        raise PermissionDenied
    # Decoded before any lock is taken: a photo can take a moment.
    photo, refused = None, None
    if answers.photo is not None:
        try:
            photo = images.clean(answers.photo)
        except images.ImageRefused as error:
            refused = str(error)
    stored = []  # the photo's name once written, removed again if the answer rolls back
    try:
        return _answer(acting_user, via, check_in, answers, channel, photo, refused, stored)
    except BaseException:
        for name in stored:
            CheckIn._meta.get_field("photo").storage.delete(name)
        raise


def _answer(acting_user, via, check_in, answers, channel, photo, refused, stored):
    with transaction.atomic():
        locked = CheckIn.objects.select_for_update().select_related("session").get(pk=check_in.pk)
        if (
            acting_user is not None
            and not CheckIn.objects.for_user(acting_user).filter(pk=locked.pk).exists()
        ):
            raise PermissionDenied
        if locked.status != CheckIn.Status.DUE:
            raise ValidationError({"__all__": [_("This check-in has already been answered.")]})
        errors = _errors(answers, locked.session)
        if refused:
            errors["photo"] = [refused]
        if errors:
            raise ValidationError(errors)
        now = answers.answered_at or timezone.now()
        locked.status = CheckIn.Status.ANSWERED
        locked.answered_at = now
        locked.channel = channel
        locked.recorded_by = acting_user
        locked.skin = answers.skin
        locked.note = answers.note.strip()[:2000]
        fields = ["status", "answered_at", "channel", "recorded_by", "skin", "note"]
        if photo is not None:
            locked.photo.save(
                random_name("checkins", photo.extension), ContentFile(photo.data), save=False
            )
            stored.append(locked.photo.name)
            fields.append("photo")
        save_audited(locked, actor=acting_user, via=via, fields=fields, action=Action.UPDATE)
        # Answered before its message went (a call, a visit): the message is not sent.
        notifications.cancel_queued(
            keys=[f"checkin-{locked.pk}"], reason="answered", acting_user=acting_user, via=via
        )
        effects = SideEffect.objects.bulk_create(
            [
                SideEffect(
                    check_in=locked,
                    session_id=locked.session_id,
                    patient_id=locked.patient_id,
                    code=effect.code,
                    other=effect.other.strip()[:200],
                    site=effect.site.strip()[:120],
                    onset_on=effect.onset_on,
                    present=effect.present,
                    self_grade=effect.self_grade,
                )
                for effect in answers.effects
            ]
        )
        decision = judge(locked, answers.effects, reported_at=now)
        if decision.escalate:
            escalate(acting_user=acting_user, via=via, check_in=locked, decision=decision)
        record_event(
            actor=acting_user,
            action=Action.CREATE,
            via=via,
            object_type="aftercare.sideeffect",
            object_id=",".join(str(e.pk) for e in effects if e.pk) or "-",
            clinic_id=locked.clinic_id,
            detail={"check_in": locked.pk, "count": len(effects)},
        )
    return decision


def judge(check_in: CheckIn, effects, *, reported_at) -> escalation.Decision:
    """The clinic's escalation rules applied to these effects of the check-in's session."""
    return escalation.decide(
        [
            escalation.Effect(
                code=e.code,
                grade=getattr(e, "grade", None) or e.self_grade,
                present=e.present,
                onset=_onset(e),
            )
            for e in effects
        ],
        session_ended_at=check_in.session.ended_at,
        reported_at=reported_at,
        rules=settings_for(check_in.clinic_id).rules(),
    )


def may_report(acting_user) -> bool:
    """Who may answer a check-in or report a problem: the patient from their link (no user),
    a practitioner, or the patient's own portal account. Which check-ins is the one scoping
    rule's (`CheckIn.objects.for_user`, asked under the lock): a patient account reaches only
    its own records', staff only their clinics'."""
    return (
        acting_user is None
        or access.can_record_clinical(acting_user)
        or is_patient_account(acting_user)
    )


def by_the_patient(acting_user) -> bool:
    """Whether the patient speaks for themselves (their link, or their portal account)."""
    return acting_user is None or is_patient_account(acting_user)


def report(*, acting_user, via: str, session, answers: Answers, channel: str):
    """A report outside the schedule (the patient at any time, from their link or the portal;
    staff after a call): a new check-in for `session`, answered at once. Returns (check-in,
    decision)."""
    if not may_report(acting_user):
        raise PermissionDenied
    with transaction.atomic():
        now = timezone.now()
        check_in = CheckIn.objects.create(
            session=session,
            patient_id=session.patient_id,
            clinic_id=session.clinic_id,
            kind=CheckIn.Kind.PATIENT if by_the_patient(acting_user) else CheckIn.Kind.STAFF,
            due_at=now,
            link_expires_at=now,
        )
        record_event(actor=acting_user, action=Action.CREATE, via=via, instance=check_in)
        decision = answer_check_in(
            acting_user=acting_user, via=via, check_in=check_in, answers=answers, channel=channel
        )
    return check_in, decision


def confirm_grades(*, acting_user, via: str, check_in: CheckIn, grades: dict, resolved: dict):
    """The clinician's review of a check-in: each effect's CTCAE grade (confirming or changing
    the patient's rating) and, where it has gone, when it resolved. A grade at or above the
    clinic's threshold escalates now if it had not. `grades` and `resolved` map effect ids to
    a grade and to a datetime (or None)."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            CheckIn.objects.for_user(acting_user)
            .select_for_update()
            .select_related("session")
            .filter(pk=check_in.pk)
            .first()
        )
        if locked is None:
            raise PermissionDenied
        effects = list(SideEffect.objects.filter(check_in=locked))
        errors = {}
        now = timezone.now()
        for effect in effects:
            grade = grades.get(effect.pk)
            if grade is not None and grade not in vocabulary.GRADES:
                errors[f"grade_{effect.pk}"] = [_("A CTCAE grade from 1 to 5.")]
            when = resolved.get(effect.pk)
            if when is not None and (when < locked.session.started_at or when > now):
                errors[f"resolved_{effect.pk}"] = [
                    _("It resolved after the session and not in the future.")
                ]
        if errors:
            raise ValidationError(errors)
        for effect in effects:
            fields = []
            grade = grades.get(effect.pk)
            if grade is not None and grade != effect.grade:
                effect.grade, effect.graded_by, effect.graded_at = grade, acting_user, now
                fields += ["grade", "graded_by", "graded_at"]
            if effect.pk in resolved and resolved[effect.pk] != effect.resolved_at:
                effect.resolved_at = resolved[effect.pk]
                effect.present = effect.resolved_at is None
                fields += ["resolved_at", "present"]
            if fields:
                save_audited(effect, actor=acting_user, via=via, fields=fields)
        locked.reviewed_at, locked.reviewed_by = now, acting_user
        save_audited(locked, actor=acting_user, via=via, fields=["reviewed_at", "reviewed_by"])
        decision = judge(locked, effects, reported_at=locked.answered_at or now)
        if decision.escalate:
            escalate(acting_user=acting_user, via=via, check_in=locked, decision=decision)
    return decision
