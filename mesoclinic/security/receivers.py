"""Every sign-in, failed sign-in, lockout and sign-out, written to the audit trail.

Django's `user_logged_in`, `user_login_failed` and `user_logged_out` and axes' `user_locked_out`
arrive here (connected in `SecurityConfig.ready`, after axes' own receivers, so axes has
already counted a failure when we look at it). A row names the account by its id, and only an
account that exists: the name that was typed is never stored, since a mistyped name is often
someone's password or another person's name. The detail holds reason codes and counts.

  sign_in     the person signed in (actor and record: the account)
  sign_fail   reason "bad_credentials" (the password was checked and wrong, or the name matched
              no one: then actor and record are blank) or "locked_out" (refused unchecked)
  lockout     the failure that filled a counter: "locked_by" says which (account, address)
  sign_out    reason "user" (the Log out button) or "idle" (security/sessions.py)
"""

import re

from axes.handlers.proxy import AxesProxyHandler
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.cache import caches
from django.urls import NoReverseMatch, reverse
from django.utils.crypto import salted_hmac

from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.core import addresses
from mesoclinic.security import devices, sessions

DISPATCH_PREFIX = "mesoclinic.security.receivers."
#: The patient portal's pages, under a language prefix (/ur/portal/sign-in/code/).
PORTAL_PATH = re.compile(r"^/[a-z]{2}(-[a-z]+)?/portal/")


def connect() -> None:
    """Connect the receivers (idempotent: each has a dispatch uid)."""
    user_logged_in.connect(signed_in, dispatch_uid=DISPATCH_PREFIX + "signed_in")
    user_login_failed.connect(sign_in_failed, dispatch_uid=DISPATCH_PREFIX + "sign_in_failed")
    user_logged_out.connect(signed_out, dispatch_uid=DISPATCH_PREFIX + "signed_out")
    user_locked_out.connect(locked_out, dispatch_uid=DISPATCH_PREFIX + "locked_out")
    devices.connect()  # the auth cache forgets a device that changes


def interface_of(request) -> str:
    """Where the sign-in happened: the admin's own login, the API, or the staff pages."""
    if request is None:
        return Interface.CLI
    path = getattr(request, "path", "") or ""
    try:
        if path.startswith(reverse("admin:index")):
            return Interface.ADMIN
    except NoReverseMatch:
        pass
    if path.startswith("/api/"):
        return Interface.API
    if PORTAL_PATH.match(path):
        return Interface.PORTAL
    if path.startswith("/fhir/"):
        return Interface.FHIR
    return Interface.WEB


def _account_type() -> str:
    return get_user_model()._meta.label_lower


def _account(request, username):
    """The account the typed name belongs to, or None; looked up once per request."""
    if request is not None and hasattr(request, "_signin_account"):
        return request._signin_account
    account = None
    if username:
        User = get_user_model()
        account = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    if request is not None:
        request._signin_account = account
    return account


def signed_in(sender, request, user, **kwargs):
    record_event(
        actor=user,
        action=Action.SIGN_IN,
        via=interface_of(request),
        object_type=_account_type(),
        object_id=user.pk,
    )
    if request is None:
        return
    # The account proved its password: its own failures are forgiven. The address's are not
    # (axes' AXES_RESET_ON_SUCCESS would clear them too, letting anyone with one valid account
    # reset the count of their guesses at the others).
    AxesProxyHandler.reset_attempts(username=user.get_username())
    sessions.started(request, user)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    User = get_user_model()
    account = _account(request, (credentials or {}).get(User.USERNAME_FIELD))
    refused_unchecked = bool(
        getattr(request, "axes_locked_out", False)
        and getattr(request, "axes_failures_since_start", None) is None
    )
    if refused_unchecked and not _first_refusal_of_lock(request, account):
        # The trail cannot be pruned: hammering a locked account or address writes one row per
        # lock, not one per attempt (the watcher has seen the lockout itself already).
        return
    record_event(
        actor=account,
        action=Action.SIGN_IN_FAILED,
        via=interface_of(request),
        object_type=_account_type(),
        object_id=account.pk if account else None,
        detail={"reason": "locked_out" if refused_unchecked else "bad_credentials"},
    )


def locked_out(sender, request=None, username=None, **kwargs):
    # axes also sends this for an attempt refused because the lock was already on (it then
    # counts nothing: axes_failures_since_start stays None); that attempt is a failed
    # sign-in, recorded by `sign_in_failed`. A lockout row marks the failure that locked.
    failures = getattr(request, "axes_failures_since_start", None)
    if request is None or failures is None:
        return
    account = _account(request, username)
    record_event(
        actor=account,
        action=Action.LOCKED_OUT,
        via=interface_of(request),
        object_type=_account_type(),
        object_id=account.pk if account else None,
        detail={"locked_by": ",".join(getattr(request, "signin_locked_by", []) or ["account"])},
    )


def signed_out(sender, request, user, **kwargs):
    if user is None:
        return  # signing out while signed out
    detail = {"reason": getattr(request, "signout_reason", "user")}
    if detail["reason"] == "idle":
        detail["minutes"] = getattr(request, "signout_idle_minutes", None)
    record_event(
        actor=user,
        action=Action.SIGN_OUT,
        via=interface_of(request),
        object_type=_account_type(),
        object_id=user.pk,
        detail=detail,
    )


def _first_refusal_of_lock(request, account) -> bool:
    """True once per cool-off for each locked account (or, with no account, each address)."""
    who = (
        f"user-{account.pk}"
        if account
        else "addr-"
        + salted_hmac(
            "mesoclinic.signin.locked", addresses.client_address(request), algorithm="sha256"
        ).hexdigest()[:16]
    )
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    return caches["shared"].add(f"signin-locked-audit:{who}", 1, timeout=seconds)
