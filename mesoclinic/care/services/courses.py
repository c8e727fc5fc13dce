"""Making a treatment plan (course) from an approved protocol version.

The plan is checked against the version: its number of sessions, interval and maintenance
within the version's ranges (`care.course`), every component of the cocktail planned, and each
planned volume dose-checked (`formulary.doses`). A limit a dermatologist may pass needs their
recorded override for this patient (`formulary.services.record_dose_override`); a hard ceiling
is never passed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care import access, course, rules, selectors
from mesoclinic.care.models import Course, CourseComponent
from mesoclinic.care.services.screening import _locked_patient
from mesoclinic.formulary import doses
from mesoclinic.formulary.models import DoseOverride, ProtocolVersion
from mesoclinic.formulary.services.protocols import dose_problems, record_dose_override


@dataclass
class PlannedComponent:
    component: object  # formulary.ProtocolComponent
    volume_per_session: Decimal
    points: int | None = None


def ranges_of(version: ProtocolVersion) -> course.Ranges:
    return course.Ranges(
        sessions=(version.sessions_min, version.sessions_max),
        interval_days=(version.interval_days_min, version.interval_days_max),
        maintenance_days=(version.maintenance_days_min, version.maintenance_days_max),
    )


def override_allows(override, total) -> bool:
    """Whether a recorded override's amount covers a session total (mL)."""
    allowed = override.amount.get("total") if override is not None else None
    return allowed is not None and total is not None and Decimal(str(allowed)) >= total


def covering_override(component, patient, amount: doses.Amount):
    """The latest override recorded for this patient and component that allows `amount`."""
    total = amount.session_total
    for override in DoseOverride.objects.filter(component=component, patient=patient).order_by(
        "-id"
    ):
        if override_allows(override, total):
            return override
    return None


def dose_errors(
    planned: list[PlannedComponent], patient, *, acting_user=None, override_reason: str = ""
) -> tuple[list[str], dict]:
    """(messages, {component id: override}) for the planned volumes. With `override_reason`
    from a credentialed dermatologist, a limit they may pass is passed: their override is
    recorded (audited) and linked; a hard ceiling never is."""
    messages, overrides = [], {}
    for item in planned:
        amount = doses.Amount(total=item.volume_per_session, points=item.points)
        problems = dose_problems(item.component, amount)
        if not problems:
            continue
        hard = [p["message"] for p in problems if not p["overridable"]]
        override = None if hard else covering_override(item.component, patient, amount)
        if override is None and not hard and override_reason.strip():
            if access.can_justify(acting_user) is None:
                messages.append(_("Only a credentialed dermatologist may pass a protocol limit."))
                continue
            override = record_dose_override(
                acting_user=acting_user,
                via=Interface.WEB,
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


def create_course(
    *,
    acting_user,
    via: str,
    patient,
    version: ProtocolVersion,
    plan: course.Plan,
    start_date,
    components: list[PlannedComponent],
    override_reason: str = "",
) -> Course:
    """Store the course with its dates and planned cocktail; refused with every reason."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    errors: dict[str, list] = {}
    with transaction.atomic():
        patient = _locked_patient(acting_user, patient)
        consultation = selectors.latest_consultation(patient)
        if consultation is None:
            errors["__all__"] = [_("Record a consultation first: a plan follows a screening.")]
        elif consultation.decision == rules.Decision.CONTRAINDICATED:
            errors["__all__"] = [_("The latest screening found a contraindication.")]
        elif consultation.indication != version.protocol.indication:
            errors["protocol_version"] = [
                _("This protocol is for another indication than the latest consultation's.")
            ]
        if version.status != ProtocolVersion.Status.APPROVED:
            errors.setdefault("protocol_version", []).append(
                _("Only an approved protocol version can be planned.")
            )
        for problem in course.problems(plan, ranges_of(version)):
            errors[problem.field] = [
                _("Between %(low)s and %(high)s for this protocol.")
                % {"low": problem.low, "high": problem.high}
            ]
        version_components = {c.pk for c in version.components.all()}
        planned_ids = [item.component.pk for item in components]
        if sorted(planned_ids) != sorted(version_components):
            errors.setdefault("__all__", []).append(
                _("Plan every component of the protocol's cocktail, once each.")
            )
        messages, overrides = dose_errors(
            components, patient, acting_user=acting_user, override_reason=override_reason
        )
        if messages:
            errors["components"] = messages
        if errors:
            raise ValidationError(errors)
        laid_out = course.dates(start_date, plan)
        created = Course.objects.create(
            patient=patient,
            clinic_id=patient.registered_clinic_id,
            consultation=consultation,
            protocol_version=version,
            indication=consultation.indication,
            sessions_planned=plan.sessions,
            interval_days=plan.interval_days,
            maintenance_days=plan.maintenance_days,
            start_date=start_date,
            session_dates=[day.isoformat() for day in laid_out.sessions],
            maintenance_due=laid_out.maintenance_due,
            created_by=acting_user,
        )
        CourseComponent.objects.bulk_create(
            CourseComponent(
                course=created,
                protocol_component=item.component,
                volume_per_session=item.volume_per_session,
                points=item.points,
                override=overrides.get(item.component.pk),
            )
            for item in components
        )
        record_event(actor=acting_user, action=Action.CREATE, via=via, instance=created)
    return created


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
        _locked_patient(acting_user, course.patient)
        locked = Course.objects.select_for_update().get(pk=course.pk)
        errors = {}
        if status not in _MOVES.get(locked.status, set()):
            errors["status"] = [_("This course cannot move to that status.")]
        if status != Course.Status.ACTIVE and not reason.strip():
            errors["reason"] = [_("Say why.")]
        if errors:
            raise ValidationError(errors)
        locked.status = status
        locked.status_reason = reason.strip()[:200]
        locked.save(update_fields=["status", "status_reason"])
        record_event(
            actor=acting_user,
            action=Action.UPDATE,
            via=via,
            instance=locked,
            changed_fields=["status", "status_reason"],
        )
    return locked
