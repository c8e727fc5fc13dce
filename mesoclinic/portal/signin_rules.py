"""Whether a portal sign-in code may be asked for, and whether a typed code signs in. Pure.

The limits come from settings (PORTAL_*, with their sources: NIST SP 800-63B §5.1.3 and
§5.2.2, OWASP ASVS 5.0 V6.6) through `Limits`; the service (`portal/signin.py`) gathers the
facts from the sign-in attempts' own rows and stores what the decision says. Like
`care/gate.py`, a decision never stops at the first reason: the audit row names every one.

Nothing here depends on whether a clinic holds a record for the number: a request for a number
no clinic knows is counted, limited and locked exactly like one for a patient's number, so the
answers cannot tell the two apart.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from mesoclinic.core.text import fold_digits


@dataclass(frozen=True)
class Limits:
    code_minutes: int = 10
    max_tries: int = 5
    per_number_hour: int = 3
    per_number_day: int = 10
    per_address_hour: int = 20
    lockout_burnt_codes: int = 3
    lockout_window_hours: int = 24
    lockout_minutes: int = 60

    @property
    def code_valid(self) -> timedelta:
        return timedelta(minutes=self.code_minutes)


class Refusal(StrEnum):
    """Why a request for a code, or a typed code, is refused (the audit's reason codes)."""

    NUMBER_HOUR = "number_hour"  # PORTAL_CODES_PER_NUMBER_HOUR codes in the last hour
    NUMBER_DAY = "number_day"  # PORTAL_CODES_PER_NUMBER_DAY in the last 24 hours
    ADDRESS_HOUR = "address_hour"  # PORTAL_REQUESTS_PER_ADDRESS_HOUR from this address
    LOCKED = "locked"  # the number is locked after codes burnt by wrong tries
    NO_ATTEMPT = "no_attempt"  # this session asked for no code (or another one's)
    USED = "used"  # the code already signed someone in
    EXPIRED = "expired"  # older than PORTAL_CODE_MINUTES
    TOO_MANY_TRIES = "too_many_tries"  # PORTAL_CODE_MAX_TRIES wrong tries spent it
    WRONG = "wrong_code"  # not the code that was sent (or none was: no record)
    NO_RECORD = "no_record"  # no record in care carries this number and date of birth


@dataclass(frozen=True)
class RequestDecision:
    reasons: tuple[Refusal, ...]
    retry_at: datetime | None = None  # when the earliest refusal lifts

    @property
    def allowed(self) -> bool:
        return not self.reasons


def _recent(times: Iterable[datetime], since: datetime) -> list[datetime]:
    return sorted(t for t in times if t > since)


def locked_until(burnt: Iterable[datetime], *, now: datetime, limits: Limits) -> datetime | None:
    """When the number's lock lifts, or None when it is not locked: locked for
    `lockout_minutes` from the moment its `lockout_burnt_codes`-th code within the window was
    burnt (the newest such burn)."""
    window = _recent(burnt, now - timedelta(hours=limits.lockout_window_hours))
    if limits.lockout_burnt_codes < 1 or len(window) < limits.lockout_burnt_codes:
        return None
    until = window[-1] + timedelta(minutes=limits.lockout_minutes)
    return until if until > now else None


def may_request(
    *,
    now: datetime,
    number_requests: Iterable[datetime],
    address_requests: Iterable[datetime],
    burnt: Iterable[datetime],
    limits: Limits,
) -> RequestDecision:
    """May one more code be sent for this number from this address now? `number_requests` and
    `address_requests` are when earlier codes were asked for (the refused requests are not
    rows, so they do not count), `burnt` when the number's codes were spent by wrong tries."""
    reasons, lifts = [], []
    hour = _recent(number_requests, now - timedelta(hours=1))
    if len(hour) >= limits.per_number_hour:
        reasons.append(Refusal.NUMBER_HOUR)
        lifts.append(hour[-limits.per_number_hour] + timedelta(hours=1))
    day = _recent(number_requests, now - timedelta(days=1))
    if len(day) >= limits.per_number_day:
        reasons.append(Refusal.NUMBER_DAY)
        lifts.append(day[-limits.per_number_day] + timedelta(days=1))
    here = _recent(address_requests, now - timedelta(hours=1))
    if len(here) >= limits.per_address_hour:
        reasons.append(Refusal.ADDRESS_HOUR)
        lifts.append(here[-limits.per_address_hour] + timedelta(hours=1))
    if (until := locked_until(burnt, now=now, limits=limits)) is not None:
        reasons.append(Refusal.LOCKED)
        lifts.append(until)
    return RequestDecision(tuple(reasons), max(lifts) if lifts else None)


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # sign in
    WRONG = "wrong"  # try again (tries left)
    SPENT = "spent"  # this try burnt the code: ask for a new one
    REFUSED = "refused"  # the code can no longer be used (expired, used, burnt, locked)


@dataclass(frozen=True)
class CodeFacts:
    now: datetime
    expires_at: datetime
    used: bool
    wrong_tries: int  # before this try
    matches: bool  # the typed code's hash is the attempt's
    has_record: bool  # a record matched when the code was asked for
    locked: bool  # the number is locked now


@dataclass(frozen=True)
class CodeDecision:
    outcome: Outcome
    reasons: tuple[Refusal, ...] = ()
    tries_left: int = 0

    @property
    def counts_a_try(self) -> bool:
        """Whether this try is one of the code's wrong tries (a refusal of a spent, used or
        expired code is not: there is nothing left to guess)."""
        return self.outcome in (Outcome.WRONG, Outcome.SPENT)


def check_code(facts: CodeFacts, *, limits: Limits) -> CodeDecision:
    """What a typed code does. Only a code that matches, on an attempt with a record, unused,
    unexpired, with tries left and the number unlocked signs in; the sixth try is refused even
    with the right code. A try at an attempt that sent nothing (no record) is a wrong code,
    counted and burnt like any other, so the page answers as it would for a patient."""
    barred = []
    if facts.used:
        barred.append(Refusal.USED)
    if facts.now >= facts.expires_at:
        barred.append(Refusal.EXPIRED)
    if facts.wrong_tries >= limits.max_tries:
        barred.append(Refusal.TOO_MANY_TRIES)
    if facts.locked:
        barred.append(Refusal.LOCKED)
    if barred:
        return CodeDecision(Outcome.REFUSED, tuple(barred))
    if facts.matches and facts.has_record:
        return CodeDecision(Outcome.ACCEPTED)
    reasons = (Refusal.WRONG,) if facts.has_record else (Refusal.WRONG, Refusal.NO_RECORD)
    left = limits.max_tries - facts.wrong_tries - 1
    return CodeDecision(Outcome.WRONG if left else Outcome.SPENT, reasons, tries_left=left)


def digits_of(typed: str, *, digits: int) -> str:
    """The digits of what was typed (Urdu digits read as ASCII, spaces and dashes dropped), at
    most one more than a code has, so a long paste is wrong rather than cut into a right one."""
    kept = "".join(ch for ch in fold_digits(typed) if ch.isascii() and ch.isdigit())
    return kept[: digits + 1]
