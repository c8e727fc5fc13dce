"""Rate limits on the public forms that need no sign-in: the clinic page's request to be called
(an enquiry row each) and the self-check (nothing stored, but each post runs the rules).

Counted per client address and, for enquiries, per mobile number as well, in `caches["shared"]`
(core/ratelimit.py), with the limits and the window from settings (RATE_LIMIT_*). Only posts
that would do work count: a form with mistakes is shown again and writes nothing either way.
The booking form (booking_views) keeps its own limits, counted from its rows.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from mesoclinic.core import ratelimit


@dataclass(frozen=True)
class Refusal:
    """Why a post was refused (`kind`: "enquiry" or "self_check") and when to try again."""

    kind: str
    retry_after: int
    until: datetime


def _hit(scope: str, value: str, limit: int) -> ratelimit.Decision:
    return ratelimit.hit(
        caches["shared"],
        ratelimit.key_for(scope, value),
        limit=limit,
        window=settings.RATE_LIMIT_WINDOW_SECONDS,
    )


def _refusal(kind: str, decision: ratelimit.Decision) -> Refusal:
    until = timezone.localtime() + timedelta(seconds=decision.retry_after)
    return Refusal(kind=kind, retry_after=decision.retry_after, until=until)


def refuse_enquiry(request, mobile: str) -> Refusal | None:
    """Counts one enquiry from this address, then (if the address may) for this number."""
    address = ratelimit.client_address(request)
    decision = _hit("enquiry-address", address, settings.RATE_LIMIT_ENQUIRIES_PER_ADDRESS)
    if decision.allowed:
        decision = _hit("enquiry-mobile", mobile, settings.RATE_LIMIT_ENQUIRIES_PER_MOBILE)
    return None if decision.allowed else _refusal("enquiry", decision)


def refuse_self_check(request) -> Refusal | None:
    address = ratelimit.client_address(request)
    decision = _hit("self-check-address", address, settings.RATE_LIMIT_SELF_CHECKS_PER_ADDRESS)
    return None if decision.allowed else _refusal("self_check", decision)


def too_many(response, refusal: Refusal):
    """The refused page answers 429 with when to come back."""
    response["Retry-After"] = str(refusal.retry_after)
    return response
