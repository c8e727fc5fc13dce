"""Retracting an allergy recorded in error.

The allergy row is what every later screening reads (`selectors.allergy_codes`), so a wrong one
blocks an ingredient for good. A credentialed dermatologist retracts it with a reason
(`care.retraction` decides who and when); the row stays, marked with who, when and why, and
screenings from then on no longer see it. Screenings made before keep the facts and decision
they stored, and the latest one reads as out of date until the patient is screened again, so
the gate and the consent page ask for a new screening.

An allergy found by a positive patch test may be retracted too, but the patch test itself
stays on record and still blocks the ingredients it was positive for: the page says so.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.audit.services import save_audited
from mesoclinic.care import access
from mesoclinic.care.models import Allergy
from mesoclinic.care.retraction import RetractionProblem, retraction_problems
from mesoclinic.patients.models import Patient

MESSAGES = {
    RetractionProblem.NO_REASON: lambda: _("Give the reason for retracting this allergy."),
    RetractionProblem.ALREADY_RETRACTED: lambda: _("This allergy has already been retracted."),
}

RETRACTION_FIELDS = ["retracted_at", "retracted_by", "retraction_reason", "updated_at"]


def retract_allergy(*, acting_user, via: str, allergy: Allergy, reason: str) -> Allergy:
    """Mark `allergy` retracted by `acting_user` with `reason`, audited; returns it. Refuses
    anyone but a credentialed dermatologist (PermissionDenied), and a missing reason or a
    second retraction (ValidationError on `reason`); nothing is written then."""
    with transaction.atomic():
        # The patient row first, as a screening locks it: a screening being recorded sees the
        # allergy standing or retracted, never in between.
        patient = (
            Patient.objects.for_user(acting_user)
            .select_for_update()
            .filter(pk=allergy.patient_id)
            .first()
        )
        if patient is None:
            raise ValidationError({"patient": _("This patient is not registered at your clinics.")})
        locked = Allergy.objects.select_for_update().get(pk=allergy.pk, patient=patient)
        problems = retraction_problems(
            credentialed_dermatologist=access.can_retract_allergy(acting_user) is not None,
            reason=reason,
            already_retracted=locked.retracted,
        )
        if RetractionProblem.NOT_DERMATOLOGIST in problems:
            raise PermissionDenied
        if problems:
            raise ValidationError({"reason": [MESSAGES[problem]() for problem in problems]})
        locked.retracted_at = timezone.now()
        locked.retracted_by = acting_user
        locked.retraction_reason = reason.strip()
        save_audited(
            locked,
            actor=acting_user,
            via=via,
            fields=RETRACTION_FIELDS,
            clinic_id=patient.registered_clinic_id,
            # The reason is on the record, not copied into the trail.
            detail={"retracted": True, "source": locked.source, "patch_test": locked.patch_test_id},
        )
    return locked
