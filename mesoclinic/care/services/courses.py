"""Making a treatment plan (course) from an approved protocol version.

The plan is checked against the version: its number of sessions, interval and maintenance
within the version's ranges (`care.course`), every component of the cocktail planned, and each
planned volume dose-checked (`formulary.doses`). A limit a dermatologist may pass needs their
recorded override for this patient (`formulary.services.record_dose_override`); a hard ceiling
is never passed.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care import access, course, rules, selectors
from mesoclinic.care.models import Consent, Course, CourseComponent
from mesoclinic.care.services import recording
from mesoclinic.care.services.consents import end_consents_on_plan_change
from mesoclinic.care.services.patient_lock import locked_patient
from mesoclinic.care.services.screening import invalidate_consents
from mesoclinic.clinics.credentials import Step
from mesoclinic.clinics.messages import credential_messages
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


#: How far back a course may start (a plan written up after its first session) and how far
#: ahead it may be planned; beyond these a date is a typing slip.
EARLIEST_START = timedelta(days=60)
LATEST_START = timedelta(days=365)


#: Marks an override a dermatologist recorded while charting one session (in its
#: `limits_crossed`): it covers that session, never a plan.
CHARTING = "charting"


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
    planned: list[PlannedComponent],
    patient,
    *,
    acting_user=None,
    via: str = Interface.WEB,
    override_reason: str = "",
    course_id: int | None = None,
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


def _plan_errors(
    errors: dict,
    *,
    acting_user,
    via: str,
    patient,
    version: ProtocolVersion,
    plan: course.Plan,
    start_date,
    components: list[PlannedComponent],
    override_reason: str,
    check_start: bool = True,
    course_id: int | None = None,
    must_be_approved: bool = True,
) -> dict:
    """Add to `errors` what is wrong with the plan against the protocol version (its ranges,
    every component once, the doses); returns the overrides the doses use (recorded now when a
    credentialed dermatologist gave a reason)."""
    today = timezone.localdate()
    if check_start and not today - EARLIEST_START <= start_date <= today + LATEST_START:
        errors.setdefault("start_date", []).append(
            _("The first session must fall between %(earliest)s and %(latest)s.")
            % {"earliest": today - EARLIEST_START, "latest": today + LATEST_START}
        )
    if must_be_approved and version.status != ProtocolVersion.Status.APPROVED:
        errors.setdefault("protocol_version", []).append(
            _("Only an approved protocol version can be planned.")
        )
    for problem in course.problems(plan, ranges_of(version)):
        errors.setdefault(problem.field, []).append(
            _("Between %(low)s and %(high)s for this protocol.")
            % {"low": problem.low, "high": problem.high}
        )
    version_components = {c.pk for c in version.components.all()}
    planned_ids = [item.component.pk for item in components]
    if sorted(planned_ids) != sorted(version_components):
        errors.setdefault("__all__", []).append(
            _("Plan every component of the protocol's cocktail, once each.")
        )
    messages, overrides = dose_errors(
        components,
        patient,
        acting_user=acting_user,
        via=via,
        override_reason=override_reason,
        course_id=course_id,
    )
    if messages:
        errors["components"] = messages
    return overrides


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
        patient = locked_patient(acting_user, patient)
        recording.ensure_may_record(acting_user, patient.registered_clinic_id, Step.PLAN)
        consultation = selectors.latest_consultation(patient)
        if consultation is None:
            errors["__all__"] = [_("Record a consultation first: a plan follows a screening.")]
        elif consultation.decision == rules.Decision.CONTRAINDICATED:
            errors["__all__"] = [_("The latest screening found a contraindication.")]
        elif consultation.indication != version.protocol.indication:
            errors["protocol_version"] = [
                _("This protocol is for another indication than the latest consultation's.")
            ]
        if consultation is not None:
            errors.setdefault("__all__", []).extend(_screening_problems(consultation, patient))
            if not errors["__all__"]:
                del errors["__all__"]
        overrides = _plan_errors(
            errors,
            acting_user=acting_user,
            via=via,
            patient=patient,
            version=version,
            plan=plan,
            start_date=start_date,
            components=components,
            override_reason=override_reason,
        )
        if errors:
            raise ValidationError(errors)
        laid_out = course.dates(start_date, plan)
        try:
            with transaction.atomic():
                created = _insert_course(
                    patient=patient,
                    consultation=consultation,
                    version=version,
                    plan=plan,
                    start_date=start_date,
                    laid_out=laid_out,
                    acting_user=acting_user,
                )
        except IntegrityError:
            # Another plan for this indication was saved meanwhile (the database's constraint).
            raise ValidationError(
                {"__all__": [_("This patient already has a course under way for this indication.")]}
            ) from None
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


def _screening_problems(consultation, patient) -> list[str]:
    """Why the latest screening cannot carry a new plan: outdated by a later allergy or positive
    patch test, older than the clinic's limit, or a course for its indication still under way."""
    problems = []
    if selectors.screening_outdated(consultation):
        problems.append(
            _(
                "An allergy or a positive patch test was recorded after the latest screening: "
                "screen the patient again before planning."
            )
        )
    valid_days = selectors.care_settings(patient.registered_clinic_id).screening_valid_days
    if timezone.now() - consultation.recorded_at > timedelta(days=valid_days):
        problems.append(
            _(
                "The latest screening is older than the clinic's limit of %(days)s days: "
                "screen the patient again."
            )
            % {"days": valid_days}
        )
    under_way = (
        Course.objects.filter(
            patient=patient,
            indication=consultation.indication,
            status__in=[Course.Status.ACTIVE, Course.Status.PAUSED],
        )
        .values_list("pk", flat=True)
        .first()
    )
    if under_way is not None:
        problems.append(
            _(
                "Course %(course)s for this indication is still under way: complete or cancel it "
                "before planning another."
            )
            % {"course": under_way}
        )
    return problems


def _insert_course(*, patient, consultation, version, plan, start_date, laid_out, acting_user):
    return Course.objects.create(
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


def _dates_after_charted(planned: Course, start_date, plan: course.Plan, charted: int):
    """The course's dates with a changed plan: sessions already charted keep their target
    dates; the rest are laid out from the last charted session's day (or from the start)."""
    if not charted:
        return course.dates(start_date, plan)
    last = planned.sessions.order_by("-number").values_list("started_at", flat=True).first()
    rest = course.dates(
        timezone.localdate(last) + timedelta(days=plan.interval_days),
        course.Plan(plan.sessions - charted, plan.interval_days, plan.maintenance_days),
    )
    kept = tuple(date.fromisoformat(day) for day in planned.session_dates[:charted])
    return course.Dates(sessions=kept + rest.sessions, maintenance_due=rest.maintenance_due)


def update_course(
    *,
    acting_user,
    via: str,
    course_to_change: Course,
    plan: course.Plan,
    start_date,
    components: list[PlannedComponent],
    override_reason: str = "",
) -> Course:
    """Change a plan under way within its protocol version's limits (a dermatologist may pass
    a limit with a reason, as when planning): the number of sessions (never fewer than those
    charted), the interval, the maintenance and the volumes. The first session's date moves
    only while none is charted. The target dates are laid out again; the change is audited."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    errors: dict[str, list] = {}
    with transaction.atomic():
        patient = locked_patient(acting_user, course_to_change.patient)
        locked = Course.objects.select_for_update().get(pk=course_to_change.pk)
        recording.ensure_may_record(acting_user, locked.clinic_id, Step.PLAN)
        charted = locked.sessions.count()
        if locked.status not in (Course.Status.ACTIVE, Course.Status.PAUSED):
            errors["__all__"] = [_("A completed or cancelled course cannot be changed.")]
        if plan.sessions <= charted:
            # A plan with no session left would strand the course: cancel it instead.
            errors["sessions"] = [
                _("%(count)s sessions are already charted: plan more, or cancel the course.")
                % {"count": charted}
            ]
        if charted and start_date != locked.start_date:
            errors["start_date"] = [_("The first session is charted: its date stays.")]
        overrides = _plan_errors(
            errors,
            acting_user=acting_user,
            via=via,
            patient=patient,
            version=locked.protocol_version,
            plan=plan,
            start_date=start_date,
            components=components,
            override_reason=override_reason,
            check_start=start_date != locked.start_date,
            course_id=locked.pk,
            # A course keeps the version it was planned on, even once a newer one is approved.
            must_be_approved=False,
        )
        if errors:
            raise ValidationError(errors)
        laid_out = _dates_after_charted(locked, start_date, plan, charted)
        before = {
            "sessions_planned": locked.sessions_planned,
            "interval_days": locked.interval_days,
            "maintenance_days": locked.maintenance_days,
            "start_date": locked.start_date,
        }
        locked.sessions_planned = plan.sessions
        locked.interval_days = plan.interval_days
        locked.maintenance_days = plan.maintenance_days
        locked.start_date = start_date
        locked.session_dates = [day.isoformat() for day in laid_out.sessions]
        locked.maintenance_due = laid_out.maintenance_due
        changed = [name for name, value in before.items() if getattr(locked, name) != value]
        locked.save(
            update_fields=[
                "sessions_planned",
                "interval_days",
                "maintenance_days",
                "start_date",
                "session_dates",
                "maintenance_due",
            ]
        )
        volumes = {}
        for planned in locked.components.all():
            item = next(i for i in components if i.component.pk == planned.protocol_component_id)
            override = overrides.get(item.component.pk)
            if (planned.volume_per_session, planned.points, planned.override_id) != (
                item.volume_per_session,
                item.points,
                override.pk if override else None,
            ):
                volumes[str(planned.protocol_component_id)] = str(item.volume_per_session)
                planned.volume_per_session = item.volume_per_session
                planned.points = item.points
                planned.override = override
                planned.save(update_fields=["volume_per_session", "points", "override"])
        if volumes:
            changed.append("components")
        record_event(
            actor=acting_user,
            action=Action.UPDATE,
            via=via,
            instance=locked,
            changed_fields=changed,
            detail={"volumes": volumes} if volumes else {},
        )
        # The consent named the products, sessions and interval: if those changed, it ends.
        end_consents_on_plan_change(acting_user, via, locked)
    return locked


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
        locked.save(update_fields=["status", "status_reason"])
        record_event(
            actor=acting_user,
            action=Action.UPDATE,
            via=via,
            instance=locked,
            changed_fields=["status", "status_reason"],
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
