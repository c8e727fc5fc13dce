"""Making a treatment plan (course) from an approved protocol version.

The plan is checked against the version: its number of sessions, interval and maintenance
within the version's ranges (`care.course`), every component of the cocktail planned, and each
planned volume dose-checked (`formulary.doses`). A limit a dermatologist may pass needs their
recorded override for this patient (`services.dose_overrides`); a hard ceiling is never passed.
Pausing, resuming and cancelling a course is `services.course_status`.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.audit.services import Action, record_event
from mesoclinic.care import access, course, rules, selectors
from mesoclinic.care.models import Course, CourseComponent
from mesoclinic.care.services import recording
from mesoclinic.care.services.consents import end_consents_on_plan_change
from mesoclinic.care.services.dose_overrides import dose_errors
from mesoclinic.care.services.patient_lock import locked_patient
from mesoclinic.clinics.credentials import Step
from mesoclinic.formulary.models import ProtocolVersion


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
                "updated_at",
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
