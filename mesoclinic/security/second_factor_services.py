"""Writing second factors: enrol, prove, remove, recovery codes, and the administrator's reset.

Each write is one transaction with its audit row (`AuditAction.SECURITY`, detail holding codes
and counts only). Codes are checked through django-otp's own `verify_token`, which locks the
device row and keeps its throttle: after each wrong code the next try must wait 1, 2, 4, 8…
seconds, so guessing six digits is hopeless; the wait is shown to the person.

Each try at the second step (not at enrolment) leaves a row too: a refused or throttled code is
a `SIGN_IN_FAILED` (reason "second_factor" or "second_factor_throttled"), which the watcher
(security/watch.py) counts with the wrong passwords, so code guessing after a stolen password
raises the alarm; a proved factor is a `SECURITY` "second_factor_verified" with its kind.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from importlib import import_module

import django_otp
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from mesoclinic.audit.services import Action, record_event
from mesoclinic.security.second_factor_policy import may_remove

RECOVERY_CODES = 10

#: The kinds of factor a person can remove, and their models.
FACTORS = {"app": TOTPDevice, "passkey": WebAuthnCredential}


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    THROTTLED = "throttled"


@dataclass(frozen=True)
class Attempt:
    outcome: Outcome
    device: object = None
    locked_until: datetime | None = None


def _audit(*, actor, user, via, **detail):
    record_event(
        actor=actor,
        action=Action.SECURITY,
        via=via,
        object_type=get_user_model()._meta.label_lower,
        object_id=user.pk,
        detail=detail,
    )


def record_verification(*, user, attempt: "Attempt", kind: str, via) -> None:
    """The audit row of one try at the second step: verified, or a failed sign-in."""
    if attempt.outcome is Outcome.ACCEPTED:
        _audit(actor=user, user=user, via=via, change="second_factor_verified", kind=kind)
        return
    throttled = attempt.outcome is Outcome.THROTTLED
    record_event(
        actor=user,
        action=Action.SIGN_IN_FAILED,
        via=via,
        object_type=get_user_model()._meta.label_lower,
        object_id=user.pk,
        detail={"reason": "second_factor_throttled" if throttled else "second_factor"},
    )


def pending_app(user) -> TOTPDevice:
    """The authenticator app being set up: the unconfirmed one already shown (so reloading the
    page keeps the same QR code), or a new one with a fresh random key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def _try(devices, token) -> Attempt:
    """Try `token` on each device django-otp still lets us ask; throttled when none may."""
    token = "".join(str(token).split()).lower()
    locked_until = None
    asked = False
    for device in devices:
        allowed, why = device.verify_is_allowed()
        if not allowed:
            until = (why or {}).get("locked_until")
            locked_until = max(filter(None, [locked_until, until]), default=None)
            continue
        asked = True
        accepted = django_otp.verify_token(device.user, device.persistent_id, token)
        if accepted is not None:
            return Attempt(Outcome.ACCEPTED, device=accepted)
    if not asked and locked_until is not None:
        return Attempt(Outcome.THROTTLED, locked_until=locked_until)
    return Attempt(Outcome.WRONG)


def confirm_app(*, user, device: TOTPDevice, token: str, via) -> Attempt:
    """Confirm a new authenticator app with a code it shows; audited when confirmed."""
    attempt = _try([device], token)
    if attempt.outcome is Outcome.ACCEPTED:
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _audit(actor=user, user=user, via=via, change="second_factor_enrolled", kind="app")
    return attempt


def record_passkey_enrolled(*, user, via) -> None:
    _audit(actor=user, user=user, via=via, change="second_factor_enrolled", kind="passkey")


def verify_app_code(*, user, token: str, via) -> Attempt:
    """A code from one of the person's authenticator apps; audited either way."""
    attempt = _try(TOTPDevice.objects.filter(user=user, confirmed=True), token)
    record_verification(user=user, attempt=attempt, kind="app", via=via)
    return attempt


def use_recovery_code(*, user, token: str, via) -> Attempt:
    """A recovery code, accepted once (django-otp deletes it as it matches); audited with how
    many are left, since using one usually means a lost phone. A refused code is audited too."""
    attempt = _try(StaticDevice.objects.filter(user=user, confirmed=True), token)
    with transaction.atomic():
        record_verification(user=user, attempt=attempt, kind="recovery", via=via)
        if attempt.outcome is Outcome.ACCEPTED:
            remaining = recovery_codes_left(user)
            _audit(actor=user, user=user, via=via, change="recovery_code_used", remaining=remaining)
    return attempt


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def regenerate_recovery_codes(*, actor, user, via) -> list[str]:
    """Ten new single-use codes; the old ones stop working. Returned once, to be shown once:
    only the codes themselves are stored (as django-otp keeps them), never logged."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
        _audit(actor=actor, user=user, via=via, change="recovery_codes_generated", count=len(codes))
    return codes


def factors_of(user) -> dict[str, list]:
    return {
        kind: list(model.objects.filter(user=user, confirmed=True).order_by("pk"))
        for kind, model in FACTORS.items()
    }


def remove_factor(*, actor, user, kind: str, pk: int, required: bool, via) -> bool:
    """Remove one of the person's own factors; refused (False) for the last one of a person
    who must have one. Removing the last factor of anyone else takes the recovery codes too:
    codes alone are not a second factor."""
    model = FACTORS[kind]
    with transaction.atomic():
        # Lock the person's factors so two removals at once cannot both take "not the last".
        held = {
            k: list(m.objects.select_for_update().filter(user=user)) for k, m in FACTORS.items()
        }
        device = next((d for d in held[kind] if d.pk == pk), None)
        if device is None:
            raise model.DoesNotExist
        left = sum(1 for k in held for d in held[k] if d.confirmed and d is not device)
        if not may_remove(required=required, factors_left_after=left):
            return False
        device.delete()
        if left == 0:
            StaticDevice.objects.filter(user=user).delete()
        _audit(actor=actor, user=user, via=via, change="second_factor_removed", kind=kind)
    return True


def reset_second_factors(*, actor, user, via) -> int:
    """The administrator's reset, for a lost phone: every device and recovery code of `user`
    goes, and every session of theirs ends with them: they sign in again with the password and
    enrol anew. (Left open, any session, one proved hours ago by the lost phone or a stolen
    cookie, could enrol the thief's authenticator without the password.) Returns how many
    devices went."""
    with transaction.atomic():
        removed = 0
        for device in list(django_otp.devices_for_user(user, confirmed=None)):
            device.delete()
            removed += 1
        ended = end_sessions_of(user)
        _audit(
            actor=actor,
            user=user,
            via=via,
            change="second_factor_reset",
            devices=removed,
            sessions=ended,
        )
    return removed


def end_sessions_of(user) -> int:
    """Delete the unexpired database sessions signed in as `user`; returns how many.

    Sessions store the user id only inside their encoded data, so this decodes every unexpired
    session: a scan, acceptable because resets are rare (an administrator's hand, a lost
    phone), and it keeps the session engine as Django ships it (no index of sessions by user).
    """
    mine = str(user.pk)
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == mine
    ]
    # Through the session engine, not the table alone: with the shared cache in front of the
    # database (settings.AUTH_CACHE), a row deleted underneath would live on in the cache.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    cached = []
    for session_key in doomed:
        session = store(session_key)
        session.delete()
        if hasattr(session, "cache_key"):
            cached.append(session.cache_key)
    if cached:
        # Inside a transaction the rows go at commit: a request on one of these sessions in
        # between reads the row and caches it again. Drop those copies once the rows are gone.
        transaction.on_commit(lambda: caches[settings.SESSION_CACHE_ALIAS].delete_many(cached))
    return len(doomed)
