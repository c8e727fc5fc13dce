"""Recording an outcome score, and reading the screening's baseline as a reading.

A score is computed by the pure calculator (`aftercare.scales.score`) from the inputs the
clinician gave, and stored with them, so the value can always be recomputed and checked.

Scoring the same scale again, by the same rater, at the same session (or again as a course's
baseline) corrects the stored score rather than adding a second one: the database allows one
per session, scale and rater (`score_one_per_session`, `score_one_baseline`), a clinician who
mistyped must be able to fix it, and the audit row keeps the value it replaced. Two clinicians
saving the first score of the same slot at the same instant: the loser gets a clear
ValidationError (the constraint), never a 500.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.aftercare import scales
from mesoclinic.aftercare.models import OutcomeScore
from mesoclinic.aftercare.selectors import Reading, baseline_from_screening
from mesoclinic.audit.services import Action, record_event, save_audited
from mesoclinic.care import access
from mesoclinic.care.models import Course, TreatmentSession

# The baseline is a read (a selector); named here too, beside the write it complements.
__all__ = ["Reading", "baseline_from_screening", "record_score"]


def _storable(inputs: dict) -> dict:
    """The inputs as JSON holds them (a decimal area as a number)."""
    if isinstance(inputs, dict):
        return {key: _storable(value) for key, value in inputs.items()}
    if isinstance(inputs, list):
        return [_storable(value) for value in inputs]
    if isinstance(inputs, Decimal):
        return float(inputs)
    return inputs


def record_score(
    *,
    acting_user,
    via: str,
    course: Course,
    session: TreatmentSession | None = None,
    scale: str,
    inputs,
    rater: str = OutcomeScore.Rater.CLINICIAN,
) -> OutcomeScore:
    """Compute and store `scale` for `course` at `session` (None: the course's baseline).

    Refuses (PermissionDenied) a user whose role does not record clinically or who may not see
    the course's patient; refuses (ValidationError, nothing stored) a session of another course,
    an unknown scale or rater, and inputs the calculator refuses (`errors` keyed by field)."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    if scale not in scales.SCALES:
        raise ValidationError({"scale": _("Unknown scale.")})
    if rater not in OutcomeScore.Rater.values:
        raise ValidationError({"rater": _("Unknown rater.")})
    if session is not None and session.course_id != course.pk:
        raise ValidationError({"session": _("This session belongs to another course.")})
    try:
        result = scales.score(scale, inputs)
    except scales.InvalidInput as refused:
        raise ValidationError(refused.errors) from refused
    try:
        with transaction.atomic():
            return _store(acting_user, via, course, session, scale, inputs, rater, result)
    except IntegrityError as clash:
        raise ValidationError(
            {"scale": _("This score was just recorded by someone else; reload and check it.")}
        ) from clash


def _store(acting_user, via, course, session, scale, inputs, rater, result) -> OutcomeScore:
    # Lock the course (and check, under the lock, that the user may see it): two saves of the
    # same slot queue here instead of both inserting.
    locked = Course.objects.for_user(acting_user).select_for_update().filter(pk=course.pk).first()
    if locked is None:
        raise PermissionDenied
    existing = (
        OutcomeScore.objects.select_for_update()
        .filter(course=locked, session=session, scale=scale, rater=rater)
        .first()
    )
    band = result.band or ""
    if existing is not None:
        previous = {"value": str(existing.value), "band": existing.band}
        existing.inputs = _storable(inputs)
        existing.value = result.score
        existing.band = band
        existing.scored_at = timezone.now()
        existing.scored_by = acting_user
        save_audited(
            existing,
            actor=acting_user,
            via=via,
            fields=["inputs", "value", "band", "scored_at", "scored_by"],
            detail={"previous": previous},
        )
        return existing
    stored = OutcomeScore.objects.create(
        patient_id=locked.patient_id,
        clinic_id=locked.clinic_id,
        course=locked,
        session=session,
        scale=scale,
        rater=rater,
        inputs=_storable(inputs),
        value=result.score,
        band=band,
        scored_by=acting_user,
    )
    record_event(actor=acting_user, action=Action.CREATE, via=via, instance=stored)
    return stored
