"""Dose overrides: a credentialed dermatologist's recorded reason to go past a protocol's
limit for one patient, and which recorded override covers a plan.

A limit a dermatologist may pass needs their override for this patient: recorded when a plan
is made or changed (`dose_errors`, which takes one already recorded for the patient when it
covers the plan) or while charting a session (`services.sessions`, marked `CHARTING`: it
covers that session only). A hard ceiling is never passed. The limits themselves are the
formulary's (`formulary.services.dose_problems`).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care import access, selectors
from mesoclinic.care.models import CourseComponent, DoseOverride
from mesoclinic.clinics.credentials import Step
from mesoclinic.clinics.messages import credential_messages
from mesoclinic.formulary import doses
from mesoclinic.formulary.access import credentialed_dermatologist
from mesoclinic.formulary.models import ProtocolComponent, ProtocolVersion
from mesoclinic.formulary.services.protocols import dose_problems
from mesoclinic.patients.models import Patient

#: Marks an override a dermatologist recorded while charting one session (in its
#: `limits_crossed`): it covers that session, never a plan.
CHARTING = "charting"


def _plain(value) -> str:
    """A number as stored in an override's amount: 0.06, 3, 4.5."""
    return f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)


def record_dose_override(
    *,
    acting_user,
    via: str,
    component: ProtocolComponent,
    patient,
    amount: doses.Amount,
    reason,
    also_crossed: tuple[str, ...] = (),
) -> DoseOverride:
    """A credentialed dermatologist's recorded reason to go past a protocol's limits for one
    patient. Refused when nothing is crossed, when a hard limit is crossed, or without a reason.
    `also_crossed` names limits the caller found beyond the protocol's own (more than the
    plan's volume, the day's total across sessions): they need the same override."""
    approver = credentialed_dermatologist(acting_user)
    if approver is None:
        raise PermissionDenied(_("Only a credentialed dermatologist may override a dose limit."))
    if not Patient.objects.for_user(acting_user).filter(pk=patient.pk).exists():
        raise PermissionDenied(_("This patient is not one of your clinics'."))
    problems = dose_problems(component, amount)
    errors = {}
    if component.version.status != ProtocolVersion.Status.APPROVED:
        errors["component"] = [_("Overrides apply to approved protocol versions only.")]
    if not problems and not also_crossed:
        errors["amount"] = [_("This amount is within the protocol; no override is needed.")]
    hard = [p["message"] for p in problems if not p["overridable"]]
    if hard:
        errors["amount"] = hard
    if not (reason or "").strip():
        errors["reason"] = [_("Give the clinical reason for going past the limit.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        override = DoseOverride.objects.create(
            component=component,
            patient=patient,
            limits_crossed=[p["code"] for p in problems] + list(also_crossed),
            amount={
                "per_point": _plain(amount.per_point) if amount.per_point is not None else None,
                "points": amount.points,
                "total": _plain(amount.session_total) if amount.session_total is not None else None,
            },
            reason=reason.strip(),
            approved_by=approver,
        )
        record_event(
            actor=acting_user,
            action=Action.CREATE,
            via=via,
            instance=override,
            clinic_id=patient.registered_clinic_id,
            detail={"limits": override.limits_crossed},
        )
    return override


def override_allows(override, total) -> bool:
    """Whether a recorded override's amount covers a session total (mL)."""
    allowed = override.amount.get("total") if override is not None else None
    return allowed is not None and total is not None and Decimal(str(allowed)) >= total


def covering_override(component, patient, amount: doses.Amount, *, course_id=None):
    """The latest override recorded for this patient and component that allows `amount` and
    no other course has used: a dermatologist's reason covers the plan it was given for, so a
    later course needs a reason of its own."""
    total = amount.session_total
    used = (
        CourseComponent.objects.exclude(override=None)
        .exclude(course_id=course_id)
        .values("override")
    )
    for override in (
        DoseOverride.objects.filter(component=component, patient=patient)
        .exclude(pk__in=used)
        .order_by("-id")
    ):
        if CHARTING not in (override.limits_crossed or []) and override_allows(override, total):
            return override
    return None


def dose_errors(
    planned: list,
    patient,
    *,
    acting_user=None,
    via: str = Interface.WEB,
    override_reason: str = "",
    course_id: int | None = None,
) -> tuple[list[str], dict]:
    """(messages, {component id: override}) for a plan's volumes (`courses.PlannedComponent`s):
    an override already recorded for the patient covers a limit it allows. With
    `override_reason` from a credentialed dermatologist, a limit they may pass is passed: their
    override is recorded (audited) and linked; a hard ceiling never is."""
    messages, overrides = [], {}
    for item in planned:
        amount = doses.Amount(total=item.volume_per_session, points=item.points)
        problems = dose_problems(item.component, amount)
        if not problems:
            continue
        hard = [p["message"] for p in problems if not p["overridable"]]
        override = (
            None
            if hard
            else covering_override(item.component, patient, amount, course_id=course_id)
        )
        if override is None and not hard and override_reason.strip():
            # The clinic's policy for overrides, then the formulary's own rule (a dermatologist).
            person = selectors.recorder(acting_user, patient.registered_clinic_id)
            if problems := person.problems(Step.OVERRIDE):
                messages.extend(credential_messages(person.codes(problems), step=Step.OVERRIDE))
                continue
            if access.can_justify(acting_user) is None:
                messages.append(_("Only a credentialed dermatologist may pass a protocol limit."))
                continue
            override = record_dose_override(
                acting_user=acting_user,
                via=via,
                component=item.component,
                patient=patient,
                amount=amount,
                reason=override_reason,
            )
        if override is not None:
            overrides[item.component.pk] = override
            continue
        messages.extend(hard or [p["message"] for p in problems])
        if not hard:
            messages.append(
                _("%(component)s: a dermatologist must record an override to plan this amount.")
                % {"component": item.component.label}
            )
    return messages, overrides
