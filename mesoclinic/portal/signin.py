"""Signing in to the portal: a one-time code sent to the mobile number on the patient's record.

`request_code` takes the number and the date of birth typed on the sign-in page. Whatever it
finds, it answers the same: a new attempt (whose token the page keeps in the session) or a
refusal by the limits (`signin_rules.may_request`). Only when a record in care carries both
does a code leave, through the outbox (WhatsApp for a patient who opted in to it, else SMS;
the catalogue's one REQUESTER kind). A number no clinic knows gets an attempt row just the
same, counted by the same limits, so neither the answer nor the limits say whether a number
is registered.

`check_code` checks a typed code against the session's attempt (`signin_rules.check_code`
decides): a right code links the account (`services.link_account`) and returns the user for
the view to sign in; a wrong one counts a try, and the last wrong try burns the code (and may
lock the number). Every step leaves an audit row (interface "portal") naming the attempt by id
and the reason codes, never the number, the date of birth or the code.

The code exists in clear only in the outbox row that carries it to the phone, and that copy is
blanked once the code is used, burnt or expired (`notifications.redact`).
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.core import addresses
from mesoclinic.notifications import contacts
from mesoclinic.notifications import services as notifications
from mesoclinic.patients.models import Patient, in_care
from mesoclinic.portal import services, signin_rules
from mesoclinic.portal.models import SignInAttempt
from mesoclinic.portal.signin_rules import CodeFacts, Outcome, Refusal

VIA = Interface.PORTAL
TEMPLATE = "portal-sign-in-code"
ATTEMPT_TYPE = SignInAttempt._meta.label_lower


def limits() -> signin_rules.Limits:
    """The PORTAL_* settings as the rule module takes them."""
    return signin_rules.Limits(
        code_minutes=settings.PORTAL_CODE_MINUTES,
        max_tries=settings.PORTAL_CODE_MAX_TRIES,
        per_number_hour=settings.PORTAL_CODES_PER_NUMBER_HOUR,
        per_number_day=settings.PORTAL_CODES_PER_NUMBER_DAY,
        per_address_hour=settings.PORTAL_REQUESTS_PER_ADDRESS_HOUR,
        lockout_burnt_codes=settings.PORTAL_LOCKOUT_BURNT_CODES,
        lockout_window_hours=settings.PORTAL_LOCKOUT_WINDOW_HOURS,
        lockout_minutes=settings.PORTAL_LOCKOUT_MINUTES,
    )


# --- digests -----------------------------------------------------------------------------


def number_digest(mobile: str, date_of_birth: date) -> str:
    """The keyed digest the attempts store instead of the E.164 number: of the number AND the
    date of birth, so the limits and the lockout count per person. Someone who knows only a
    patient's number (not their date of birth) spends the codes of a pair that is not theirs,
    and can never lock the patient out; an SMS goes only to a pair on a record, so a number's
    owner still gets at most the pair's codes an hour."""
    identity = f"{mobile}|{date_of_birth.isoformat()}"
    return salted_hmac("mesoclinic.portal.number", identity, algorithm="sha256").hexdigest()


def address_digest(client_address: str) -> str:
    key = addresses.counting_key(client_address or "-")
    return salted_hmac("mesoclinic.portal.address", key, algorithm="sha256").hexdigest()


def code_hash(token: str, code: str) -> str:
    """The code's hash, bound to its attempt: the same digits typed for another attempt differ."""
    return salted_hmac("mesoclinic.portal.code", f"{token}:{code}", algorithm="sha256").hexdigest()


def code_key(attempt: SignInAttempt) -> str:
    """The outbox key of an attempt's code message."""
    return f"portal-code-{attempt.pk}"


def _new_code() -> str:
    digits = settings.PORTAL_CODE_DIGITS
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def _serialize(*keys: str) -> None:
    """Queue concurrent requests for one number or address (PostgreSQL: transaction advisory
    locks, in a fixed order; SQLite runs one writer at a time), so two requests cannot both
    pass a limit with one code to spare."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(keys):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


# --- asking for a code ---------------------------------------------------------------------


@dataclass(frozen=True)
class Requested:
    """What the sign-in page learns: an attempt to keep in the session, or the refusal's
    reasons and when to come back. Never whether a record matched."""

    attempt: SignInAttempt | None
    reasons: tuple[Refusal, ...] = ()
    retry_at: datetime | None = None

    @property
    def allowed(self) -> bool:
        return self.attempt is not None


def _burnt_times(digest: str, since: datetime) -> list[datetime]:
    # signin_number_burnt_idx
    return list(
        SignInAttempt.objects.filter(number_digest=digest, burnt_at__gt=since).values_list(
            "burnt_at", flat=True
        )
    )


def request_code(
    *, mobile: str, date_of_birth: date, language: str, client_address: str
) -> Requested:
    """Record a request for a sign-in code for `mobile` (E.164) and `date_of_birth`, and send
    the code when a record in care carries both; or refuse by the limits, with nothing sent."""
    rules = limits()
    digest = number_digest(mobile, date_of_birth)
    here = address_digest(client_address)
    language = language if language in ("en", "ur") else "en"
    with transaction.atomic():
        _serialize(f"portal-number:{digest}", f"portal-address:{here}")
        now = timezone.now()
        day_ago = now - timedelta(days=1)
        # signin_number_idx, signin_address_idx: index range reads of at most a day's rows
        # (the day's limit caps them at PORTAL_CODES_PER_NUMBER_DAY for a number).
        decision = signin_rules.may_request(
            now=now,
            number_requests=SignInAttempt.objects.filter(
                number_digest=digest, created_at__gt=day_ago
            ).values_list("created_at", flat=True),
            address_requests=SignInAttempt.objects.filter(
                address_digest=here, created_at__gt=now - timedelta(hours=1)
            ).values_list("created_at", flat=True),
            burnt=_burnt_times(digest, now - timedelta(hours=rules.lockout_window_hours)),
            limits=rules,
        )
        if not decision.allowed:
            record_event(
                actor=None,
                action=Action.SIGN_IN_FAILED,
                via=VIA,
                object_type=ATTEMPT_TYPE,
                detail={"step": "request", "reasons": [r.value for r in decision.reasons]},
            )
            return Requested(None, decision.reasons, decision.retry_at)
        # patient_mobile index; the records sharing a phone are a handful.
        records = list(
            Patient.objects.filter(in_care(), mobile=mobile, date_of_birth=date_of_birth)
            .order_by("pk")
            .only("pk", "registered_clinic_id")
        )
        code, token = _new_code(), secrets.token_urlsafe(32)
        attempt = SignInAttempt.objects.create(
            token=token,
            number_digest=digest,
            address_digest=here,
            code_hash=code_hash(token, code),
            patient_id=records[0].pk if records else None,
            language=language,
            created_at=now,
            expires_at=now + rules.code_valid,
        )
        record_event(
            actor=None,
            action=Action.CREATE,
            via=VIA,
            instance=attempt,
            detail={"step": "code_requested"},
        )
        if records:
            _send(attempt, records, mobile=mobile, code=code, minutes=rules.code_minutes)
    return Requested(attempt)


def _send(attempt, records, *, mobile: str, code: str, minutes: int) -> None:
    """Queue the code: by WhatsApp to a patient who opted in to it on any of their records
    (one record is the sender's patient, for WhatsApp's opt-in check at send time), else SMS."""
    channels = contacts.preferred_channels(patient_ids=[r.pk for r in records])
    on_whatsapp = [r for r in records if channels[r.pk] == "whatsapp"]
    record = on_whatsapp[0] if on_whatsapp else records[0]
    notifications.enqueue(
        key=code_key(attempt),
        channel="whatsapp" if on_whatsapp else "sms",
        address=mobile,
        language=attempt.language,
        template=TEMPLATE,
        values={"code": code, "minutes": minutes},
        urgent=True,  # asked for this minute: quiet hours do not apply
        clinic_id=record.registered_clinic_id,
        patient_id=record.pk,
        subject=f"{ATTEMPT_TYPE}:{attempt.pk}",
        via=VIA,
    )


# --- checking a typed code -----------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """What became of a typed code: `user` to sign in (ACCEPTED), or the outcome and reasons."""

    outcome: Outcome
    reasons: tuple[Refusal, ...] = ()
    tries_left: int = 0
    user: object = None
    locked: bool = False  # this try locked the number


def get_attempt(token: str | None) -> SignInAttempt | None:
    if not token or len(token) > 64:
        return None
    return SignInAttempt.objects.filter(token=token).first()


def _refused(attempt, reasons, *, outcome=Outcome.REFUSED, tries_left=0, locked=False) -> Checked:
    record_event(
        actor=None,
        action=Action.SIGN_IN_FAILED,
        via=VIA,
        object_type=ATTEMPT_TYPE,
        object_id=attempt.pk if attempt else None,
        detail={"step": "code", "reasons": [r.value for r in reasons]},
    )
    return Checked(outcome, tuple(reasons), tries_left=tries_left, locked=locked)


def _linked_user(attempt: SignInAttempt):
    """The account for the records the attempt proved: the number and date of birth read again
    from the record that matched (they must still hash to the attempt's digest: a clinic may
    have changed either in the meantime, and the person proved only the pair they typed).
    None when that no longer holds."""
    record = (
        Patient.objects.filter(in_care(), pk=attempt.patient_id)
        .only("mobile", "date_of_birth")
        .first()
    )
    if record is None or not constant_time_compare(
        number_digest(record.mobile, record.date_of_birth), attempt.number_digest
    ):
        return None
    return services.link_account(mobile=record.mobile, date_of_birth=record.date_of_birth, via=VIA)


def check_code(*, token: str | None, code: str) -> Checked:
    """Check `code` against the session's attempt `token`, in one transaction: a right code is
    spent and its account returned; a wrong one counts a try (the last burns it and may lock
    the number); a code that can no longer be used is refused. Each outcome is audited."""
    rules = limits()
    typed = signin_rules.digits_of(str(code or ""), digits=settings.PORTAL_CODE_DIGITS)
    with transaction.atomic():
        attempt = (
            SignInAttempt.objects.select_for_update().filter(token=token).first()
            if token and len(token) <= 64
            else None
        )
        if attempt is None:
            return _refused(None, [Refusal.NO_ATTEMPT])
        now = timezone.now()
        window = now - timedelta(hours=rules.lockout_window_hours)
        facts = CodeFacts(
            now=now,
            expires_at=attempt.expires_at,
            used=attempt.used_at is not None,
            wrong_tries=attempt.wrong_tries,
            matches=constant_time_compare(code_hash(attempt.token, typed), attempt.code_hash),
            has_record=attempt.patient_id is not None,
            locked=signin_rules.locked_until(
                _burnt_times(attempt.number_digest, window), now=now, limits=rules
            )
            is not None,
        )
        decision = signin_rules.check_code(facts, limits=rules)
        if decision.outcome is Outcome.REFUSED:
            return _refused(attempt, decision.reasons)
        if decision.counts_a_try:
            attempt.wrong_tries += 1
            fields = ["wrong_tries"]
            locked = False
            if decision.outcome is Outcome.SPENT:
                attempt.burnt_at = now
                fields.append("burnt_at")
            attempt.save(update_fields=fields)
            if decision.outcome is Outcome.SPENT:
                notifications.redact(key=code_key(attempt), names=("code",), via=VIA)
                locked = _lock_if_due(attempt, now=now, rules=rules)
            return _refused(
                attempt,
                decision.reasons,
                outcome=decision.outcome,
                tries_left=decision.tries_left,
                locked=locked,
            )
        user = _linked_user(attempt)
        if user is None:
            return _refused(attempt, [Refusal.NO_RECORD])
        attempt.used_at = now
        attempt.save(update_fields=["used_at"])
        notifications.redact(key=code_key(attempt), names=("code",), via=VIA)
        return Checked(Outcome.ACCEPTED, user=user)


def _lock_if_due(attempt, *, now, rules) -> bool:
    """Audit the lockout when this burn locks the number (a locked number burns no code: its
    codes are refused unchecked, so every burn that leaves it locked is a new lock)."""
    window = now - timedelta(hours=rules.lockout_window_hours)
    burnt = _burnt_times(attempt.number_digest, window)
    if signin_rules.locked_until(burnt, now=now, limits=rules) is None:
        return False
    record_event(
        actor=None,
        action=Action.LOCKED_OUT,
        via=VIA,
        object_type=ATTEMPT_TYPE,
        object_id=attempt.pk,
        detail={"locked_by": "number", "minutes": rules.lockout_minutes},
    )
    return True


def redact_spent_codes(now=None) -> int:
    """Blank the outbox's copy of every code that expired in the last two days (the scheduler
    runs this hourly; used and burnt codes are blanked at once). How many were changed."""
    now = now or timezone.now()
    # signin_expires_idx; only attempts that sent a code have a copy to blank.
    spent = SignInAttempt.objects.filter(
        expires_at__lte=now, expires_at__gt=now - timedelta(days=2), patient_id__isnull=False
    ).only("pk")
    return sum(
        notifications.redact(key=code_key(attempt), names=("code",), via=Interface.CLI)
        for attempt in spent.iterator()
    )
