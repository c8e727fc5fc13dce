"""Charting a session behind the safety gate, drawing its stock in the same transaction.

`gather` (services/gate_facts.py) collects the gate's facts at the moment the session is
recorded (inside the transaction, with the patient row locked, so no consent, screening or
patch test changes underneath; then the lots, locked last, are judged as they are under their
locks), `care.gate.check` decides, and only then is anything
written: the session, one ledger "used" line per lot (`formulary.services.record_movement`,
which re-checks its balance on the lot row locked here before the gate, so two sessions
drawing the last millilitres cannot both succeed) and the link from each line to the session,
so a recall lists the sessions.
"""

import dataclasses
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.appointments.services import complete_for_session
from mesoclinic.audit.services import Action, record_event, save_audited
from mesoclinic.care import access, gate, selectors, zones
from mesoclinic.care import course as course_rules
from mesoclinic.care.models import Course, SessionProduct, TreatmentSession
from mesoclinic.care.services.course_status import end_course_consents
from mesoclinic.care.services.dose_overrides import CHARTING, override_allows, record_dose_override
from mesoclinic.care.services.gate_facts import (
    component_doses,
    course_components,
    gather,
    gives,
    ingredients_of,
    lot_states,
    snapshot,
)
from mesoclinic.care.services.gate_messages import gate_message
from mesoclinic.care.services.messages import queue_aftercare
from mesoclinic.care.services.patient_lock import locked_patient
from mesoclinic.care.services.recording import override_refusals
from mesoclinic.care.services.session_input import Line as Line  # callers chart with it
from mesoclinic.care.services.session_input import SessionInput
from mesoclinic.care.signals import session_charted
from mesoclinic.care.vocabulary import PROCEDURE_FOR_INDICATION
from mesoclinic.clinics.models import Practitioner
from mesoclinic.formulary import doses, lot_words, stock
from mesoclinic.formulary.models import Lot, Product, ProductIngredient, StockMovement
from mesoclinic.formulary.models.stock import MAX_QUANTITY
from mesoclinic.formulary.services.lots import record_movement
from mesoclinic.formulary.services.protocols import dose_problems

#: More injection points than any protocol uses in one session: a typing slip.
MAX_POINTS = 2000
#: A session is charted on the day, or soon after from paper: older starts are a typing slip,
#: and the gate could not judge them "at that moment".
MAX_CHARTING_DELAY = timedelta(days=7)


class GateRefused(ValidationError):
    """The gate's failures, each named; `failures` keeps the codes for the API (409)."""

    def __init__(self, failures: tuple[gate.Failure, ...], lots: tuple[gate.LotState, ...] = ()):
        self.failures = failures
        self.lots = lots  # what the gate saw of each lot, for the lot refusals' words
        super().__init__({"__all__": [gate_message(failure, lots) for failure in failures]})


def planned_product_ids(course: Course):
    """Products that may be given in the course's sessions: those the protocol names, and any
    product containing an ingredient it names (one query)."""
    components = course.components.values("protocol_component")
    named = Product.objects.filter(pk__in=components.values("protocol_component__product")).values(
        "pk"
    )
    by_ingredient = ProductIngredient.objects.filter(
        ingredient__in=components.values("protocol_component__ingredient")
    ).values("product")
    return Product.objects.filter(Q(pk__in=named) | Q(pk__in=by_ingredient)).values_list(
        "pk", flat=True
    )


def _dose_errors(
    course: Course, data: SessionInput, *, dermatologist_reason: bool, codes=None
) -> list[str]:
    """The session's volume of each planned component against the protocol's limits: a limit
    passed needs the override recorded on the plan, or a credentialed dermatologist's reason
    given while charting (recorded as an override in the transaction); a hard ceiling is never
    passed."""
    valid = [line for line in data.lines if line.volume is not None and line.volume > 0]
    by_product = ingredients_of([line.lot for line in valid], known=codes)
    messages = []
    for planned in course_components(course):
        component = planned.protocol_component
        total = sum(
            (line.volume for line in valid if gives(component, line.lot.product_id, by_product)),
            Decimal(0),
        )
        if not total:
            continue
        points = data.points if data.points and data.points > 0 else None
        amount = doses.Amount(
            total=total, points=points, per_point=total / points if points else None
        )
        for problem in dose_problems(component, amount):
            if problem["overridable"] and (
                dermatologist_reason or override_allows(planned.override, total)
            ):
                continue
            messages.append(problem["message"])
    return messages


def _field_errors(course: Course, data: SessionInput, acting_user) -> dict[str, list]:
    """Impossible values, named by field; checked before the gate."""
    errors: dict[str, list] = defaultdict(list)
    now = timezone.now()
    if not data.lines:
        errors["lines"].append(_("Record at least one product given."))
    procedure = PROCEDURE_FOR_INDICATION[course.indication]
    # The lots' ingredients, read once for the plan's products and the doses below: a product
    # is planned when a component names it or one of its ingredients (as planned_product_ids).
    codes = ingredients_of([line.lot for line in data.lines])
    components = [item.protocol_component for item in course_components(course)]
    for line in data.lines:
        if line.volume is None or line.volume <= 0:
            errors["lines"].append(_("Each volume must be more than 0 mL."))
        elif line.volume > MAX_QUANTITY:
            errors["lines"].append(_("A volume that large cannot be right."))
        if line.lot.clinic_id != course.clinic_id:
            # Nothing about another clinic's lot, not even its number.
            errors["lines"].append(lot_words.not_this_clinics())
        elif not any(gives(c, line.lot.product_id, codes) for c in components):
            errors["lines"].append(
                _("%(lot)s is not part of this course's planned cocktail.")
                % {"lot": line.lot.lot_number}
            )
        if bad := zones.unknown(line.zones, procedure):
            errors["lines"].append(_("Unknown zones: %(zones)s.") % {"zones": ", ".join(bad)})
        if not line.zones:
            errors["lines"].append(_("Mark where each product went on the map."))
    refusals = (
        override_refusals(acting_user, course.clinic_id) if data.override_reason.strip() else []
    )
    errors["override_reason"].extend(refusals)
    dermatologist_reason = bool(data.override_reason.strip()) and not refusals
    errors["volumes"].extend(
        _dose_errors(course, data, dermatologist_reason=dermatologist_reason, codes=codes)
    )
    if data.points is None or not 1 <= data.points <= MAX_POINTS:
        errors["points"].append(
            _("Count the injection points (1 to %(max)s).") % {"max": MAX_POINTS}
        )
    if data.started_at < now - MAX_CHARTING_DELAY:
        errors["started_at"].append(
            _("A session started more than %(days)s days ago cannot be charted.")
            % {"days": MAX_CHARTING_DELAY.days}
        )
    if data.started_at > now + timedelta(minutes=5):
        errors["started_at"].append(_("The start time is in the future."))
    if data.ended_at < data.started_at:
        errors["ended_at"].append(_("The session cannot end before it starts."))
    if data.ended_at > now:
        errors["ended_at"].append(_("The end time is in the future."))
    return {key: value for key, value in errors.items() if value}


def record_session(*, acting_user, via: str, course: Course, data: SessionInput):
    """Chart the session if the gate passes; refuse with every failure otherwise (GateRefused,
    a ValidationError). Nothing is written on any refusal, and the ledger is unchanged."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    practitioner = Practitioner.objects.filter(user=acting_user).first()
    if errors := _field_errors(course, data, acting_user):
        raise ValidationError(errors)
    with transaction.atomic():
        patient = locked_patient(acting_user, course.patient)
        # The course locked (of=("self",): its row only, as before), with what the gate and
        # the messages read of it; its plan is read once, after the lock, for the gate, the
        # doses and the consent's fingerprint.
        course = (
            Course.objects.select_for_update(of=("self",))
            .select_related("protocol_version", "clinic")
            .prefetch_related(Prefetch("components", selectors.planned_components()))
            .get(pk=course.pk)
        )
        course.patient = patient
        # After the locks (a fresh read, so a session charted by a writer that held them is
        # counted): the course's sessions' start times, for the number and the interval.
        started = list(course.sessions.order_by("number").values_list("started_at", flat=True))
        number = len(started) + 1
        if data.start_number is not None and data.start_number != number:
            # A start charts one session: a resubmitted form or a start kept for later is
            # asked again (today's answers included).
            raise ValidationError(
                {"start": [_("This start was used already: start the session again.")]}
            )
        session_on = timezone.localdate(data.started_at)
        data.dose_overrides = _charting_overrides(acting_user, via, course, data, session_on)
        # Read once: the gate judges it, and the session keeps its id with what the gate saw.
        screening = selectors.latest_consultation(patient)
        if screening is not None:
            screening.patient = patient  # the row just locked: its facts read no more
        # The patient's facts, read under the patient's lock (the services that change them
        # take it first); the lots' products and ingredients, which no writer changes on a lot.
        codes = ingredients_of([line.lot for line in data.lines])
        facts = gather(
            course, practitioner, data, screening=screening, sessions_started=started, codes=codes
        )
        # Only then the lots as they are now, locked in id order (patient, course, then lots:
        # every writer takes them in that order, so two sessions sharing lots cannot
        # deadlock), and judged again: the gate judges balances and recalls that cannot change
        # before the stock is drawn. Last, so a lot shared by the clinic's sessions is held
        # for the writes only.
        fresh = {
            lot.pk: lot
            # of=("self",): lock the lots only, not their products (which other writers do not
            # lock in lot order).
            for lot in Lot.objects.select_for_update(of=("self",))
            .select_related("product")
            .filter(pk__in={line.lot.pk for line in data.lines})
            .order_by("pk")
        }
        for line in data.lines:
            line.lot = fresh[line.lot.pk]
        facts = dataclasses.replace(facts, lots=lot_states(data, now=facts.now, codes=codes))
        if failures := gate.check(facts):
            raise GateRefused(failures, facts.lots)
        # The gate passed: a session before the earliest date went ahead on the override.
        earliest = gate.earliest_next(facts.last_session_on, facts.min_interval_days)
        overridden = earliest is not None and session_on < earliest
        session = TreatmentSession.objects.create(
            course=course,
            number=number,
            patient_id=course.patient_id,
            clinic_id=course.clinic_id,
            practitioner=practitioner,
            started_at=data.started_at,
            ended_at=data.ended_at,
            technique=data.technique,
            depth=data.depth,
            needle=data.needle,
            numbing_cream=data.numbing_cream,
            points=data.points,
            reactions=data.reactions.strip(),
            pregnant_today=bool(data.pregnant_today),
            breastfeeding_today=bool(data.breastfeeding_today),
            gate={
                "checked_at": facts.now.isoformat(),
                "start_checked_at": data.start_checked_at.isoformat()
                if data.start_checked_at
                else None,
                "passed": [c.value for c in gate.Condition],
                "facts": snapshot(facts, getattr(screening, "pk", None)),
            },
            aftercare=selectors.current_aftercare(PROCEDURE_FOR_INDICATION[course.indication]),
            override_reason=data.override_reason.strip()
            if overridden or data.dose_overrides
            else "",
            recorded_by=acting_user,
        )
        for line in data.lines:
            movement: StockMovement = record_movement(
                acting_user=acting_user,
                via=via,
                lot=line.lot,
                kind=stock.MovementKind.USED,
                quantity=line.volume,
                patient=course.patient,
                # Locked above, in id order, with its product: the ledger's checks run on
                # that row (a refusal rolls the whole session back).
                locked_by_caller=True,
            )
            SessionProduct.objects.create(
                session=session,
                lot=line.lot,
                volume=line.volume,
                zones=sorted(set(line.zones)),
                movement=movement,
            )
        follow_actual_dates(course, session_on, number)
        if number >= course.sessions_planned:
            course.status = Course.Status.COMPLETED
            save_audited(
                course,
                actor=acting_user,
                via=via,
                fields=["status"],
                detail={"completed_by_session": number},
            )
            end_course_consents(acting_user, via, course, ended="completed")
        record_event(
            actor=acting_user,
            action=Action.CREATE,
            via=via,
            instance=session,
            detail={
                "override": sorted(
                    (["interval"] if overridden else [])
                    + [f"component:{pk}" for pk in data.dose_overrides]
                )
            }
            if session.override_reason
            else {},
        )
        channel = queue_aftercare(
            acting_user=acting_user, via=via, session=session, patient=patient, clinic=course.clinic
        )
        session_charted.send(
            sender=TreatmentSession,
            session=session,
            patient=patient,
            clinic=course.clinic,
            acting_user=acting_user,
            via=via,
            channel=channel,
        )
        # The patient's session appointment that day is done, in the chart's transaction.
        complete_for_session(
            acting_user=acting_user,
            patient_id=course.patient_id,
            clinic_id=course.clinic_id,
            at=data.started_at,
            via=via,
        )
    return session


def _charting_overrides(acting_user, via, course: Course, data: SessionInput, session_on):
    """With a credentialed dermatologist's reason, record the override each component needs
    (one limit they may pass: above the plan, above the protocol's per-session maximum this
    session or across the day) so the gate sees it covered; the ceiling is never covered.
    Inside record_session's transaction: a refusal rolls them back."""
    if not data.override_reason.strip() or override_refusals(acting_user, course.clinic_id):
        return {}
    recorded = {}
    for component, dose in component_doses(course, data, session_on):
        needs: dict[str, Decimal] = {}
        # The amount as _dose_errors judged it (per point too), so every limit it let the
        # reason pass is the one recorded here.
        amount = doses.Amount(
            total=dose.given, points=data.points, per_point=dose.given / data.points
        )
        if dose.given > dose.planned:
            needs["above_plan"] = dose.given
        if any(problem["overridable"] for problem in dose_problems(component, amount)):
            needs["protocol"] = dose.given
        day_total = dose.given_earlier_today + dose.given
        if dose.given_earlier_today and dose.per_session_max and day_total > dose.per_session_max:
            needs["daily_total"] = day_total
        ceiling = dose.session_ceiling
        if not needs or dose.covered(max(needs.values())):
            continue
        if ceiling is not None and max(needs.values()) > ceiling:
            continue  # never overridden: the gate names it
        total = max(needs.values())
        recorded[component.pk] = record_dose_override(
            acting_user=acting_user,
            via=via,
            component=component,
            patient=course.patient,
            amount=doses.Amount(total=total, points=data.points, per_point=amount.per_point),
            reason=data.override_reason.strip(),
            # CHARTING marks an override given for this session only: a plan never takes it
            # up (dose_overrides.covering_override).
            also_crossed=(CHARTING, *(code for code in needs if code != "protocol")),
        )
    return recorded


def follow_actual_dates(course: Course, session_on, number: int) -> None:
    """After session `number` on `session_on`, the sessions still to come and the maintenance
    recall are laid out from the day it actually happened (`care.course.after_session`). Call
    under the course lock."""
    laid_out = course_rules.after_session(
        tuple(date.fromisoformat(day) for day in course.session_dates),
        course_rules.Plan(course.sessions_planned, course.interval_days, course.maintenance_days),
        session_on,
        number,
    )
    if number == 1:
        # The first session's date is the day it happened (the worklist and the plan page
        # count the course from it).
        course.start_date = session_on
    course.session_dates = [day.isoformat() for day in laid_out.sessions]
    # The database keeps the recall after the first session's date (a session charted before
    # a course's planned start with a short maintenance could otherwise cross it).
    course.maintenance_due = max(laid_out.maintenance_due, course.start_date + timedelta(days=1))
    course.save(update_fields=["start_date", "session_dates", "maintenance_due", "updated_at"])
