"""Counting requests in the shared cache: the API's throttles and the bad-token lockout.

Every worker process must see the same counts, so they live in `caches["shared"]` (Redis when
REDIS_URL is set, a database table otherwise). A count is one cache entry per identity per
window (`<key>:<window number>`), read with the previous window's (`count_hit`). With Redis that
is an atomic increment and a read; with the table a read and a write: Django's database cache
makes that a SELECT, then a COUNT, a SELECT and an UPDATE or INSERT, so behind the table every
API request costs four more queries (REDIS_URL takes them off the database).

Client addresses are never stored or audited in clear: `address_tag` is a keyed hash (HMAC with
the secret key, so the small IPv4 space cannot be hashed back)."""

import math
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils.crypto import salted_hmac

from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.core import addresses


def shared_cache():
    # Looked up per call: the cache handler keeps one client per thread.
    return caches["shared"]


def count_hit(key: str, seconds: int, *, now: float | None = None) -> tuple[float, float]:
    """Count one hit against `key`; returns the hits in the last `seconds` (this one included)
    and the seconds until the current window ends.

    A sliding window, estimated from two fixed ones: this window's count plus the previous
    window's, weighted by how much of it still lies within the last `seconds`. A burst across
    a window's edge is counted whole (a plain fixed window would let twice the rate through
    there), and the cost stays two small entries per identity whatever the rate."""
    now = time.time() if now is None else now
    window, into = divmod(now, seconds)
    current, previous = f"{key}:{int(window)}", f"{key}:{int(window) - 1}"
    cache = shared_cache()
    if isinstance(cache, RedisCache):
        # Redis increments atomically: concurrent workers never lose a hit.
        try:
            count = cache.incr(current)
        except ValueError:
            count = 1 if cache.add(current, 1, 2 * seconds + 1) else cache.incr(current)
        before = cache.get(previous, 0)
    else:
        # The database table: one read of both windows, one write. Two workers may write the
        # same count, letting a request or two more through under a concurrent burst.
        counts = cache.get_many([current, previous])
        count = counts.get(current, 0) + 1
        before = counts.get(previous, 0)
        cache.set(current, count, 2 * seconds + 1)
    return count + before * (1 - into / seconds), seconds - into


def client_address(request) -> str:
    """The client's address as the API counts it: the address the nearest trusted proxy saw
    (core/addresses.py, the same reading as sign-in lockouts and the public forms), an IPv6
    client's /64."""
    return addresses.counting_key(addresses.client_address(request)) or "unknown"


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
    count = math.floor(count)
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
