"""Counting requests in the shared cache: the API's throttles and the bad-token lockout.

Every worker process must see the same counts, so they live in `caches["shared"]` (Redis when
REDIS_URL is set, a database table otherwise). A count is a fixed window: one cache entry per
identity per window (`<key>:<window number>`), incremented; Redis increments atomically, the
database table nearly so (two workers may both write the same count, letting a request or two
more through, never fewer). With Redis this is one or two round trips a request; with the table,
a read and a write (Django's database cache: a SELECT, then a COUNT, a SELECT and an UPDATE or
INSERT).

Client addresses are never stored or audited in clear: `address_tag` is a keyed hash (HMAC with
the secret key, so the small IPv4 space cannot be hashed back)."""

import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.utils.crypto import salted_hmac
from rest_framework.throttling import BaseThrottle

from mesoclinic.audit.services import Action, Interface, record_event

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(s|sec|second|m|min|minute|h|hour|d|day)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}


@dataclass(frozen=True)
class Rate:
    requests: int
    seconds: int


def parse_rate(text: str | None) -> Rate | None:
    """ "120/min" → 120 per 60 s; "50/10s" → 50 per 10 s; "off" or empty → None (no limit)."""
    if text is None or text.strip().lower() in ("", "off", "none"):
        return None
    match = _RATE.match(text.lower())
    if not match:
        raise ValueError(f"Not a rate: {text!r} (write it as 120/min, 50/10s or off).")
    count, multiple, unit = match.groups()
    return Rate(int(count), int(multiple or 1) * _UNIT_SECONDS[unit[0]])


def shared_cache():
    # Looked up per call: the cache handler keeps one client per thread.
    return caches["shared"]


def count_hit(key: str, seconds: int, *, now: float | None = None) -> tuple[int, float]:
    """Count one hit against `key` in the current window of `seconds`; returns the count so
    far in this window (this hit included) and the seconds until the window ends."""
    now = time.time() if now is None else now
    window = int(now // seconds)
    entry = f"{key}:{window}"
    cache = shared_cache()
    try:
        count = cache.incr(entry)
    except ValueError:
        # The window's first hit; a second worker may add it first, then we increment theirs.
        count = 1 if cache.add(entry, 1, seconds + 1) else cache.incr(entry)
    return count, (window + 1) * seconds - now


def client_address(request) -> str:
    """The client's address as the API's throttles see it: REMOTE_ADDR, or the address the
    configured number of proxies (REST_FRAMEWORK["NUM_PROXIES"]) put in X-Forwarded-For."""
    return BaseThrottle().get_ident(request) or "unknown"


def address_tag(request) -> str:
    """A keyed hash of the client's address: the same address gives the same tag, and the tag
    does not give the address back. Twelve hex characters are plenty to tell addresses apart."""
    key = "mesoclinic.api.address"
    return salted_hmac(key, client_address(request), algorithm="sha256").hexdigest()[:12]


def _lock_key(tag: str) -> str:
    return f"api-bad-token-lock:{tag}"


def bad_token_lockout_wait(request) -> float | None:
    """Seconds left on this address's bad-token lockout, or None when it is not locked out."""
    until = shared_cache().get(_lock_key(address_tag(request)))
    if until is None:
        return None
    return max(1.0, until - time.time())


def record_bad_token(request) -> None:
    """Count one unknown or malformed token from this address; at the limit, lock the address
    out and audit the lockout once (the interface and the address's tag, nothing else)."""
    tag = address_tag(request)
    count, _left = count_hit(f"api-bad-token:{tag}", settings.API_BAD_TOKEN_WINDOW_SECONDS)
    if count < settings.API_BAD_TOKEN_LIMIT:
        return
    lockout = settings.API_BAD_TOKEN_LOCKOUT_SECONDS
    # `add` writes only when no lockout stands: one audit row per lockout, whoever wins.
    if shared_cache().add(_lock_key(tag), time.time() + lockout, lockout):
        record_event(
            actor=None,
            action=Action.LOCKED_OUT,
            via=Interface.API,
            object_type="accounts.apitoken",
            detail={
                "code": "bad_tokens",
                "address": tag,
                "failures": count,
                "lockout_seconds": lockout,
            },
        )


def retry_after(seconds: float) -> int:
    return max(1, math.ceil(seconds))
