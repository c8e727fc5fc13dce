"""Counting posts to the public forms, so one address or one mobile number cannot fill the
clinic's enquiries (or keep the self-check busy) by scripting the form.

`hit(cache, key, limit=, window=)` counts one post against `key` in a fixed window of `window`
seconds and answers whether it may go ahead, and if not, in how many seconds the window ends.
The count lives in the cache it is given: the views pass `caches["shared"]` (Redis, or a
database table), which every gunicorn worker reads, so four workers do not each allow the limit.
Counting uses the cache's `incr` (and `add` for a window's first post); Redis increments
atomically, the database cache (a read and a write, six queries with its savepoints and cull
check) may let a few simultaneous posts through, which a rate limit can live with.

Keys never hold an address or a number in clear (caches are not where personal data belongs):
`key_for` hashes what it is given with a keyed HMAC (the site's secret key), so the cache's
contents say nothing about who posted.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import salted_hmac


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
    # Increment first: the common case, atomic on Redis (one read and one write on the
    # database cache). A missing key is the window's first post; two workers racing to create
    # it agree through `add`, which only one of them wins. The key expires with its window
    # (plus a second, so a slow clock never reads a stale count).
    try:
        count = cache.incr(bucket_key)
    except ValueError:
        if cache.add(bucket_key, 1, timeout=math.ceil(ends - now) + 1):
            count = 1
        else:
            count = cache.incr(bucket_key)
    if count <= limit:
        return Decision(allowed=True)
    return Decision(allowed=False, retry_after=max(1, math.ceil(ends - now)))


def client_address(request) -> str:
    """The visitor's address. Behind `RATE_LIMIT_PROXY_COUNT` reverse proxies (each appending
    the address it received to X-Forwarded-For) it is the entry the outermost of ours appended;
    entries further left were written by the visitor and are not trusted."""
    proxies = getattr(settings, "RATE_LIMIT_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
