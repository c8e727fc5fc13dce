"""The safety gate's facts, gathered from the database at one moment, and the start check.

`gather` reads everything `care.gate.check` judges (the screening and today's answers run
through the contraindication engine, consents, patch tests, the practitioner's credential and
membership, each lot's state, balance and composition, the course's status); `check_start`
runs the gate before the needle, on the planned cocktail, and `start_preview` says beforehand
what it already refuses whatever today's answers; `snapshot` is what a charted session stores
of what the gate saw. The session's input comes from `session_input`, never from the charting
service, which imports this module.
"""

from collections import defaultdict
from dataclasses import asdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mesoclinic.audit.services import Action, record_event
from mesoclinic.care import access, gate, rules, selectors
from mesoclinic.care.facts import Facts
from mesoclinic.care.models import AdverseEvent, Consent, Course, SessionProduct
from mesoclinic.care.services.recording import override_refusals
from mesoclinic.care.services.session_input import SessionInput, before_start
from mesoclinic.care.vocabulary import PROCEDURE_FOR_INDICATION
from mesoclinic.clinics.credentials import CredentialProblem, Step
from mesoclinic.clinics.models import Membership, Practitioner
from mesoclinic.formulary import stock
from mesoclinic.formulary.models import ProductIngredient


def ingredients_of(lots, *, more_products=(), known=None) -> dict[int, set[str]]:
    """The ingredient codes of the lots' products (and of `more_products`, by id), one query;
    none when `known` (an earlier answer of this function, in the same transaction) already
    holds every one of those products."""
    codes = defaultdict(set, known or {})
    wanted = ({lot.product_id for lot in lots} | set(more_products)) - codes.keys()
    if wanted:
        for product_id in wanted:
            codes[product_id]  # read: a product without ingredients is known to have none
        for product_id, code in ProductIngredient.objects.filter(product_id__in=wanted).values_list(
            "product_id", "ingredient__code"
        ):
            codes[product_id].add(code)
    return codes


def course_components(course: Course) -> list:
    """The course's planned components (`selectors.planned_components`): the ones prefetched
    with the course when it was read (charting reads them once, under the course's lock),
    else one query."""
    if "components" in getattr(course, "_prefetched_objects_cache", {}):
        return list(course.components.all())
    return list(selectors.planned_components().filter(course=course))


def gives(component, product_id: int, codes: dict[int, set[str]]) -> bool:
    """Whether a product counts towards a protocol component: it is the component's product,
    or it contains the component's ingredient (`codes` from `ingredients_of`)."""
    return bool(
        (component.product_id and product_id == component.product_id)
        or (component.ingredient_id and component.ingredient.code in codes[product_id])
    )


def _override_total(override) -> Decimal | None:
    total = override.amount.get("total") if override is not None else None
    return Decimal(str(total)) if total is not None else None


def component_doses(
    course: Course, data: SessionInput, session_on: date, overrides=None, *, codes=None
):
    """Each planned component this session gives, as (protocol component, gate.ComponentDose):
    the plan's volume, this session's, what the patient received of it earlier that day in any
    course's session, the protocol's per-session limits and the override covering it (the
    plan's, or one recorded while charting, in `overrides` by component id). Three queries at
    most: the plan's components (none when prefetched, `course_components`), the day's earlier
    products, and their ingredients (none when `codes`, from `ingredients_of`, has them)."""
    overrides = overrides or {}
    planned = course_components(course)
    day_start = datetime.combine(session_on, time.min, tzinfo=timezone.get_current_timezone())
    earlier = list(
        # session_patient_idx narrows to the patient's sessions; a patient has few.
        SessionProduct.objects.filter(
            session__patient_id=course.patient_id,
            session__started_at__gte=day_start,
            session__started_at__lt=day_start + timedelta(days=1),
        ).values_list("lot__product_id", "volume")
    )
    codes = ingredients_of(
        [line.lot for line in data.lines], more_products={p for p, _ in earlier}, known=codes
    )

    found = []
    for item in planned:
        component = item.protocol_component
        given = sum(
            (line.volume for line in data.lines if gives(component, line.lot.product_id, codes)),
            Decimal(0),
        )
        if not given:
            continue
        found.append(
            (
                component,
                gate.ComponentDose(
                    label=str(component.label),
                    planned=item.volume_per_session,
                    given=given,
                    given_earlier_today=sum(
                        (volume for product, volume in earlier if gives(component, product, codes)),
                        Decimal(0),
                    ),
                    per_session_max=component.volume_per_session_max,
                    session_ceiling=component.session_ceiling,
                    override_total=_override_total(overrides.get(component.pk) or item.override),
                ),
            )
        )
    return found


def gather(
    course: Course,
    practitioner,
    data: SessionInput,
    *,
    screening,
    now=None,
    planned_cocktail=False,
    sessions_started=None,
    codes=None,
) -> gate.GateFacts:
    """The gate's facts for this session, read now (a fixed number of queries per lot).

    `screening` is the patient's latest consultation (`selectors.latest_consultation`, None if
    there is none), read by the caller: charting stores its id with what the gate saw.
    `planned_cocktail` checks the course's planned ingredients instead of the lots given: the
    start page uses it to say what the gate already refuses before anything is typed.
    `sessions_started`: the start times of the course's sessions in their order, when the
    caller has read them under the course's lock (charting); else the last is read here.
    `codes`: the lots' ingredients (`ingredients_of`), when the caller has read them."""
    now = now or timezone.now()
    patient = course.patient
    procedure = PROCEDURE_FOR_INDICATION[course.indication]
    clinic_settings = selectors.care_settings(course.clinic_id)
    by_product = ingredients_of([line.lot for line in data.lines], known=codes)
    cocktail = frozenset(code for line in data.lines for code in by_product[line.lot.product_id])
    if planned_cocktail:
        cocktail = frozenset(
            ProductIngredient.objects.filter(
                product__in=course.components.values("protocol_component__product")
            ).values_list("ingredient__code", flat=True)
        ) | frozenset(
            course.components.exclude(protocol_component__ingredient=None).values_list(
                "protocol_component__ingredient__code", flat=True
            )
        )
    absolute, relative, justified = (), (), False
    if screening is not None:
        today = screening.facts()
        facts = Facts(
            **{
                **{f: getattr(today, f) for f in today.__dataclass_fields__},
                "pregnant": bool(data.pregnant_today),
                "breastfeeding": bool(data.breastfeeding_today),
            }
        )
        evaluation = rules.evaluate(
            facts,
            # The clinic's policy, so its adult age judges the screening's age (a minor's
            # relative reason must be justified like any other).
            selectors.current_policy(settings=clinic_settings),
            ingredients=cocktail,
            indication=course.indication,
        )
        absolute = tuple(r.code for r in evaluation.reasons if r.severity == "absolute")
        relative = tuple(r.code for r in evaluation.reasons if r.severity == "relative")
        # A justification covers the reason it was given for, ingredients included: one given
        # for an unknown ingredient X does not cover an unknown ingredient Y.
        today_pairs = {
            (r.code, tuple(sorted(r.ingredients)))
            for r in evaluation.reasons
            if r.severity == "relative"
        }
        justified_pairs = (
            {(r["code"], tuple(sorted(r.get("ingredients") or ()))) for r in screening.reasons}
            if screening.reviewed_at
            else set()
        )
        justified = today_pairs <= justified_pairs
    # Consent and patch-test readings count only if they came before the session started: a
    # session charted with an earlier start than the consent was given without it.
    # Times are typed to the minute, so anything signed or read within the start's minute counts.
    start = data.started_at or now
    start_cutoff = start.replace(second=0, microsecond=0) + timedelta(minutes=1)
    # One read for both: the gate's negative tests, and the positive ones (its own check and
    # the screening's freshness).
    negative, positive = selectors.patch_test_codes(patient, valid_at=now, read_by=start_cutoff)
    session_on = timezone.localdate(start)
    if sessions_started is None:
        last_started = (
            course.sessions.order_by("-number").values_list("started_at", flat=True).first()
        )
    else:
        last_started = sessions_started[-1] if sessions_started else None
    planned = course_components(course)
    credential, permission = _practitioner_problems(
        practitioner, course.clinic_id, clinic_settings, procedure, timezone.localdate(now)
    )
    return gate.GateFacts(
        now=now,
        # A screening recorded after the session started was not the one it was given on.
        screening_at=screening.recorded_at
        if screening and screening.recorded_at < start_cutoff
        else None,
        screening_max_age_days=clinic_settings.screening_valid_days,
        screening_outdated=screening is not None
        and selectors.screening_outdated(screening, positive_codes=positive),
        pregnancy_confirmed_today=data.pregnant_today is not None
        and data.breastfeeding_today is not None,
        pregnant_or_breastfeeding_today=bool(data.pregnant_today or data.breastfeeding_today),
        absolute_reasons=absolute,
        relative_reasons=relative,
        relative_justified=justified,
        # The consent given on this course's plan as it stands now (issue 15: a consent names
        # the products, sessions and interval; a plan that differs was not consented to).
        consent_valid=Consent.objects.filter(
            patient=patient,
            course=course,
            plan_digest=selectors.plan_digest(course, planned),
            text__procedure=procedure,
            invalidated_at__isnull=True,
            signed_at__lte=start_cutoff,
        ).exists(),
        cocktail=cocktail,
        negative_patch_tests=negative,
        positive_patch_tests=frozenset(positive),
        practitioner_credentialed=not credential,
        practitioner_allowed=not permission,
        course_active=course.status == Course.Status.ACTIVE,
        lots=lot_states(data, now=now, codes=by_product),
        session_on=session_on,
        last_session_on=timezone.localdate(last_started) if last_started else None,
        min_interval_days=course.protocol_version.interval_days_min,
        interval_overridden=bool(data.override_reason.strip())
        and practitioner is not None
        and not override_refusals(practitioner.user, course.clinic_id),
        doses=tuple(
            dose
            for _, dose in component_doses(
                course, data, session_on, data.dose_overrides, codes=by_product
            )
        )
        if data.lines
        else (),
        credential_problems=credential,
        permission_problems=permission,
        # adverseevent_open_idx: the patient's open events, whatever the course.
        open_adverse_events=tuple(
            f"AE-{pk}"
            for pk in AdverseEvent.objects.filter(
                patient=patient, status=AdverseEvent.Status.OPEN
            ).values_list("pk", flat=True)
        ),
    )


def lot_states(data: SessionInput, *, now, codes) -> tuple[gate.LotState, ...]:
    """What the gate judges of each lot of the session (in id order): the amount needed, its
    balance, what blocks its use now, whether its composition is known (`codes`, from
    `ingredients_of`), no query. Charting judges the lots again with this once it holds their
    locks."""
    needed = defaultdict(Decimal)
    for line in data.lines:
        needed[line.lot.pk] += line.volume
    lots = {line.lot.pk: line.lot for line in data.lines}
    return tuple(
        gate.LotState(
            lot_number=lot.lot_number,
            needed=needed[pk],
            balance=lot.balance,
            blockers=tuple(
                stock.use_blockers(
                    lot.state,
                    today=timezone.localdate(now),
                    now=now,
                    vial_opened_at=lot.vial_opened_at,
                )
            ),
            composition_known=bool(codes[lot.product_id]),
            expires_on=lot.expires_on,
            status_reason=lot.status_reason,
            discard_at=lot.vial_discard_at,
        )
        for pk, lot in sorted(lots.items())
    )


def _practitioner_problems(practitioner, clinic_id, clinic_settings, procedure, today):
    """(credential codes, permission codes) for charting a session: the registration (a user
    with no practitioner record has none), membership of the clinic, the clinic's policy for
    sessions and who may give this procedure (`clinics.credentials` codes; empty: allowed)."""
    person = selectors.Recorder(
        practitioner=practitioner,
        # No practitioner record: no registration is the whole story.
        member=practitioner is None
        or Membership.objects.filter(user_id=practitioner.user_id, clinic_id=clinic_id).exists(),
        status=practitioner.credential_status(today) if practitioner else None,
        policy=clinic_settings.recording_qualifications,
    )
    problems = list(person.problems(Step.SESSION))
    if practitioner is not None and practitioner.qualification not in _allowed_qualifications(
        clinic_settings, procedure
    ):
        problems.append(CredentialProblem.PROCEDURE_NOT_ALLOWED)
    return (
        person.codes([p for p in problems if p not in selectors.NOT_ALLOWED]),
        person.codes([p for p in problems if p in selectors.NOT_ALLOWED]),
    )


def _allowed_qualifications(clinic_settings, procedure: str) -> tuple:
    """The qualifications the clinic allows for `procedure`; a malformed setting allows none
    (the gate then refuses with a reason, never a 500)."""
    allowed = clinic_settings.allowed_qualifications
    if not isinstance(allowed, dict):
        return ()
    value = allowed.get(procedure, ())
    return tuple(value) if isinstance(value, list | tuple) else ()


def snapshot(facts: gate.GateFacts, screening_id=None) -> dict:
    """What the gate saw, as JSON, stored with the session so an auditor can see why it passed."""

    def plain(value):
        if isinstance(value, date):  # datetimes too
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, frozenset | set):
            return sorted(value)
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        return value

    return {"screening_id": screening_id, **plain(asdict(facts))}


def check_start(
    *,
    acting_user,
    via: str,
    course: Course,
    pregnant_today: bool,
    breastfeeding_today: bool,
    override_reason: str = "",
) -> tuple[gate.Failure, ...]:
    """The gate before the needle: today's pregnancy answers, the screening, consent, patch
    tests for the planned cocktail, the practitioner and the course, judged now. Nothing is
    written but the audit row (the answer discloses the patient's clinical facts); the lots
    are judged again, with everything else, when the session is charted."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    now = timezone.now()
    practitioner = Practitioner.objects.filter(user=acting_user).first()
    data = before_start(
        pregnant_today=pregnant_today,
        breastfeeding_today=breastfeeding_today,
        at=now,
        override_reason=override_reason,
    )
    screening = selectors.latest_consultation(course.patient)
    failures = gate.check(
        gather(course, practitioner, data, screening=screening, now=now, planned_cocktail=True)
    )
    record_event(
        actor=acting_user,
        action=Action.VIEW,
        via=via,
        instance=course,
        detail={"start_check": [f.condition.value for f in failures] or ["passed"]},
    )
    return failures


def start_preview(*, acting_user, course: Course) -> tuple[gate.Failure, ...]:
    """What the gate already refuses whatever today's answers (consent, patch tests for the
    planned cocktail, credential, course …), for the start page to say before the questions
    are asked. Read-only and not audited on its own: the page showing it audits the course's
    read."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    practitioner = Practitioner.objects.filter(user=acting_user).first()
    data = before_start(pregnant_today=False, breastfeeding_today=False)
    screening = selectors.latest_consultation(course.patient)
    return gate.check(
        gather(course, practitioner, data, screening=screening, planned_cocktail=True)
    )
