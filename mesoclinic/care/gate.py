"""The safety gate before a session: every condition checked, every failure named. Pure Python.

A service gathers the facts at the moment a session is started (the screening and today's
answers run through the contraindication engine, consents, patch tests, the practitioner's
credential, each lot's state and balance, the course's status); this module decides. It never
stops at the first failure: the practitioner sees everything that must be put right at once.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum


class Condition(StrEnum):
    SCREENING_MISSING = "screening_missing"
    SCREENING_STALE = "screening_stale"  # older than the clinic's limit: ask again
    SCREENING_OUTDATED = "screening_outdated"  # an allergy or positive patch test since
    PREGNANCY_NOT_CONFIRMED = "pregnancy_not_confirmed"  # not re-asked today
    # Pregnant or breastfeeding today: refused whatever the clinic's rules say, because the
    # session row itself can never record it (a database check).
    PREGNANT_OR_BREASTFEEDING = "pregnant_or_breastfeeding"
    CONTRAINDICATED = "contraindicated"  # an absolute reason, today
    RELATIVE_NOT_JUSTIFIED = "relative_not_justified"
    CONSENT_MISSING = "consent_missing"
    PATCH_TEST_MISSING = "patch_test_missing"  # no negative, unexpired test
    PATCH_TEST_POSITIVE = "patch_test_positive"
    PRACTITIONER_NOT_CREDENTIALED = "practitioner_not_credentialed"
    PRACTITIONER_NOT_ALLOWED = "practitioner_not_allowed"
    LOT_UNUSABLE = "lot_unusable"  # recalled, quarantined, expired, vial past discard …
    LOT_INSUFFICIENT = "lot_insufficient"
    # A product whose ingredients the formulary does not list cannot be screened or
    # patch-tested, so it is refused rather than waved through with an empty cocktail.
    COMPOSITION_UNKNOWN = "composition_unknown"
    COURSE_NOT_ACTIVE = "course_not_active"
    # A second session of the same course on the same day (or dated before the last one): never,
    # whatever the override, since the skin has not had a day to settle.
    SAME_DAY = "same_day"
    # Sooner than the protocol version's minimum interval after the course's last session; a
    # credentialed dermatologist may pass it with a recorded reason.
    TOO_SOON = "too_soon"
    # The protocol's per-session limits applied to everything the patient received that day,
    # across sessions and courses: the ceiling never passes, the maximum only with an override.
    DAILY_LIMIT = "daily_limit"
    # More than the plan's volume for a component needs the same recorded override as a dose
    # above the protocol's limit; less is fine.
    ABOVE_PLAN = "above_plan"
    # An adverse event still open for the patient (any course): no needle until a
    # dermatologist closes it. The detail names each event ("AE-12").
    ADVERSE_EVENT_OPEN = "adverse_event_open"


@dataclass(frozen=True)
class LotState:
    """One lot the session will draw from, as the service found it."""

    lot_number: str
    needed: Decimal
    balance: Decimal
    blockers: tuple[str, ...] = ()  # formulary.stock.Blocker values
    composition_known: bool = True
    # Not judged here: what a refusal names (the recall's reason, the expiry, the discard time).
    expires_on: date | None = None
    status_reason: str = ""
    discard_at: datetime | None = None


@dataclass(frozen=True)
class ComponentDose:
    """One planned component of the cocktail as charted: the plan's volume, what this session
    gives, what the patient already received of it earlier that day (any course), the
    protocol's per-session limits, and the most a recorded override for this patient allows."""

    label: str
    planned: Decimal
    given: Decimal
    given_earlier_today: Decimal = Decimal(0)
    per_session_max: Decimal | None = None
    session_ceiling: Decimal | None = None
    override_total: Decimal | None = None

    def covered(self, total: Decimal) -> bool:
        return self.override_total is not None and self.override_total >= total


def dose_detail(given: Decimal, limit: Decimal, label: str) -> str:
    """A dose failure's detail: "given|limit|label" (the label last, as it may hold anything)."""
    return f"{given.normalize():f}|{limit.normalize():f}|{label}"


@dataclass(frozen=True)
class GateFacts:
    now: datetime
    screening_at: datetime | None
    screening_max_age_days: int
    screening_outdated: bool
    pregnancy_confirmed_today: bool
    pregnant_or_breastfeeding_today: bool
    absolute_reasons: tuple[str, ...]  # engine reason codes, evaluated with today's answers
    relative_reasons: tuple[str, ...]
    relative_justified: bool
    consent_valid: bool
    cocktail: frozenset[str]  # ingredient codes
    negative_patch_tests: frozenset[str]  # ingredients with a negative test still valid
    positive_patch_tests: frozenset[str]
    practitioner_credentialed: bool
    practitioner_allowed: bool
    course_active: bool
    lots: tuple[LotState, ...] = field(default=())
    # The session's day and the course's last charted session's day (local dates), the
    # protocol version's minimum interval, and whether a dermatologist's reason passes it.
    session_on: date | None = None
    last_session_on: date | None = None
    min_interval_days: int = 0
    interval_overridden: bool = False
    doses: tuple[ComponentDose, ...] = field(default=())
    # What is wrong, as `clinics.credentials` codes ("body:pnmc", "expired:2026-11-30",
    # "not_member" …), so the refusal names the exact problem.
    credential_problems: tuple[str, ...] = ()
    permission_problems: tuple[str, ...] = ()
    open_adverse_events: tuple[str, ...] = ()  # references ("AE-12")


@dataclass(frozen=True)
class Failure:
    condition: Condition
    detail: tuple[str, ...] = ()  # the codes, ingredients or lot numbers concerned


def check(facts: GateFacts) -> tuple[Failure, ...]:
    """Every failing condition, in a fixed order (empty when the session may start)."""
    failures: list[Failure] = []

    def fail(condition, detail=()):
        failures.append(Failure(condition, tuple(sorted(detail))))

    if facts.screening_at is None:
        fail(Condition.SCREENING_MISSING)
    elif facts.now - facts.screening_at > timedelta(days=facts.screening_max_age_days):
        fail(Condition.SCREENING_STALE)
    if facts.screening_outdated:
        fail(Condition.SCREENING_OUTDATED)
    if not facts.pregnancy_confirmed_today:
        fail(Condition.PREGNANCY_NOT_CONFIRMED)
    if facts.pregnant_or_breastfeeding_today:
        fail(Condition.PREGNANT_OR_BREASTFEEDING)
    if facts.absolute_reasons:
        fail(Condition.CONTRAINDICATED, facts.absolute_reasons)
    if facts.relative_reasons and not facts.relative_justified:
        fail(Condition.RELATIVE_NOT_JUSTIFIED, facts.relative_reasons)
    if not facts.consent_valid:
        fail(Condition.CONSENT_MISSING)
    if positive := facts.cocktail & facts.positive_patch_tests:
        fail(Condition.PATCH_TEST_POSITIVE, positive)
    if missing := facts.cocktail - facts.negative_patch_tests - facts.positive_patch_tests:
        fail(Condition.PATCH_TEST_MISSING, missing)
    if not facts.practitioner_credentialed:
        fail(Condition.PRACTITIONER_NOT_CREDENTIALED, facts.credential_problems)
    if not facts.practitioner_allowed:
        fail(Condition.PRACTITIONER_NOT_ALLOWED, facts.permission_problems)
    if unusable := [
        f"{lot.lot_number}:{'+'.join(lot.blockers)}" for lot in facts.lots if lot.blockers
    ]:
        fail(Condition.LOT_UNUSABLE, unusable)
    if short := [lot.lot_number for lot in facts.lots if lot.balance < lot.needed]:
        fail(Condition.LOT_INSUFFICIENT, short)
    if unknown := [lot.lot_number for lot in facts.lots if not lot.composition_known]:
        fail(Condition.COMPOSITION_UNKNOWN, unknown)
    if not facts.course_active:
        fail(Condition.COURSE_NOT_ACTIVE)
    if facts.open_adverse_events:
        fail(Condition.ADVERSE_EVENT_OPEN, facts.open_adverse_events)
    if facts.session_on is not None and facts.last_session_on is not None:
        earliest = earliest_next(facts.last_session_on, facts.min_interval_days)
        if facts.session_on <= facts.last_session_on:
            fail(Condition.SAME_DAY, (facts.last_session_on.isoformat(),))
        elif facts.session_on < earliest and not facts.interval_overridden:
            fail(
                Condition.TOO_SOON,
                (facts.last_session_on.isoformat(), earliest.isoformat()),
            )
    if daily := [detail for detail in map(_daily_excess, facts.doses) if detail]:
        fail(Condition.DAILY_LIMIT, daily)
    if above := [
        dose_detail(dose.given, dose.planned, dose.label)
        for dose in facts.doses
        if dose.given > dose.planned and not dose.covered(dose.given)
    ]:
        fail(Condition.ABOVE_PLAN, above)
    return tuple(failures)


def earliest_next(last_session_on: date | None, min_interval_days: int) -> date | None:
    """The first day the course's next session may be given: the protocol's minimum interval
    after the last one (None before the first session)."""
    if last_session_on is None:
        return None
    return last_session_on + timedelta(days=min_interval_days)


def _daily_excess(dose: ComponentDose) -> str | None:
    """The day's total against the session limits, when earlier sessions that day gave some of
    it (one session alone is checked against the protocol when charted): the hard ceiling is
    never passed; the per-session maximum only with an override covering the day's total."""
    if dose.given_earlier_today <= 0:
        return None
    total = dose.given_earlier_today + dose.given
    if dose.session_ceiling is not None and total > dose.session_ceiling:
        return dose_detail(total, dose.session_ceiling, dose.label)
    if (
        dose.per_session_max is not None
        and total > dose.per_session_max
        and not dose.covered(total)
    ):
        return dose_detail(total, dose.per_session_max, dose.label)
    return None
