"""Lockout after repeated failed sign-ins (django-axes, configured in settings under "Issue 20,
signin"), with two things axes does not do by itself:

- an address may fail more often than an account (SIGNIN_ADDRESS_FAILURE_LIMIT against
  AXES_FAILURE_LIMIT): a clinic's front desk signs in from one address, and five typos spread
  over its receptionists must not lock the whole desk out, while thirty guesses at one account
  from anywhere, or at many accounts from one address, are still stopped;
- the lockout page says when to try again (a time in Karachi) and who can unlock, in the
  person's language, with 429 and Retry-After.
"""

import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

ADDRESS = "ip_address"


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler (counts shared by every worker), with a limit per parameter."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures that count, scaled to the account limit axes compares them with: the
        address's count reaches that limit exactly when it reaches the address limit. Which
        counter is full is left on the request (`signin_locked_by`) for the audit."""
        account_limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        worst, full = 0, []
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            limit = address_limit() if parameter == ADDRESS else account_limit
            worst = max(worst, failures * account_limit // limit)
            if failures >= limit:
                full.append("address" if parameter == ADDRESS else "account")
        request.signin_locked_by = full
        return worst


def address_limit() -> int:
    return max(1, getattr(settings, "SIGNIN_ADDRESS_FAILURE_LIMIT", settings.AXES_FAILURE_LIMIT))


def unlocks_at(request, credentials: dict | None = None):
    """When the lock lifts at the latest: the cool-off after the newest failure counted against
    this request's account or address."""
    cool_off = get_cool_off(request)
    handler = LockoutHandler()
    latest = None
    for attempts in handler.get_user_attempts(request, credentials):
        newest = attempts.aggregate(at=Max("attempt_time"))["at"]
        if newest and (latest is None or newest > latest):
            latest = newest
    return (latest or timezone.now()) + cool_off


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets instead of the form (AXES_LOCKOUT_CALLABLE). It names
    no account: the person typed it, and whoever reads the screen next need not see it."""
    until = unlocks_at(request, credentials)
    seconds = max(0, (until - timezone.now()).total_seconds())
    response = render(
        request, "security/lockout.html", {"until": until}, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    response["Retry-After"] = str(math.ceil(seconds))
    return response
