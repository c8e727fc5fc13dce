"""Counting posts to the public forms, so one address or one mobile number cannot fill the
clinic's enquiries (or keep the self-check busy) by scripting the form.

`hit(cache, key, limit=, window=)` counts one post against `key` in a fixed window of `window`
seconds and answers whether it may go ahead, and if not, in how many seconds the window ends.
The count lives in the cache it is given: the views pass `caches["shared"]` (Redis, or a
database table), which every gunicorn worker reads, so four workers do not each allow the limit.
Redis counts with its atomic `incr` (and `add` for a window's first post); the database cache
reads and writes the count with the window's own expiry, and may let a few simultaneous posts
through, which a rate limit can live with.

Keys never hold an address or a number in clear (caches are not where personal data belongs):
`key_for` hashes what it is given with a keyed HMAC (the site's secret key), so the cache's
contents say nothing about who posted.
"""

import math
import time
from dataclasses import dataclass

from django.core.cache.backends.redis import RedisCache
from django.utils.crypto import salted_hmac

from mesoclinic.core import addresses


@dataclass(frozen=True)
class Decision:
    allowed: bool
    #: Seconds until the window that refused ends (0 when allowed).
    retry_after: int = 0

    @property
    def retry_after_minutes(self) -> int:
        """Whole minutes to wait, at least one: what a page tells a visitor."""
        return max(1, math.ceil(self.retry_after / 60))


def key_for(scope: str, value: str) -> str:
    """A cache key for `value` (an address, a mobile number) counted under `scope`."""
    digest = salted_hmac(
        "mesoclinic.core.ratelimit", f"{scope}\x00{value}", algorithm="sha256"
    ).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def hit(cache, key: str, *, limit: int, window: int, now: float | None = None) -> Decision:
    """Counts one attempt against `key`; refuses when this one is past `limit` in the current
    window. A refused attempt still counts, so hammering does not shorten the wait. A limit of
    0 or less switches counting off (always allowed)."""
    if limit <= 0:
        return Decision(allowed=True)
    now = time.time() if now is None else now
    bucket = int(now // window)
    ends = (bucket + 1) * window
    bucket_key = f"{key}:{window}:{bucket}"
    timeout = math.ceil(ends - now) + 1
    if isinstance(cache, RedisCache):
        # Redis increments atomically and keeps the key's expiry: the window ends on time. A
        # missing key is the window's first post; two workers racing to create it agree
        # through `add`, which only one of them wins.
        try:
            count = cache.incr(bucket_key)
        except ValueError:
            count = 1 if cache.add(bucket_key, 1, timeout=timeout) else cache.incr(bucket_key)
    else:
        # The database cache has no increment of its own: Django's default `incr` writes the
        # count back with the cache's default timeout (five minutes), which would end the
        # window early. Read and write it with the window's own expiry instead; two workers may
        # write the same count under a burst, letting a post or two more through.
        count = cache.get(bucket_key, 0) + 1
        cache.set(bucket_key, count, timeout=timeout)
    if count <= limit:
        return Decision(allowed=True)
    return Decision(allowed=False, retry_after=max(1, math.ceil(ends - now)))


def client_address(request) -> str:
    """The visitor's address as a per-address limit counts it (core/addresses.py: the address
    the nearest trusted proxy saw, an IPv6 client's /64)."""
    return addresses.counting_key(addresses.client_address(request))
