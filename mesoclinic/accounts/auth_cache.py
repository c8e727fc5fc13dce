"""Who is asking, from a shared cache: the signed-in user with their roles, their clinics and
the second factor their session proved, read on every staff request.

Without it each staff request spends four queries before its view runs (the user, their
groups, the device their session verified with, and their clinics for a search): a third of a
patient search's cost (issue 23). With it, one cache read each.

Only a cache every web process shares may hold these (`settings.AUTH_CACHE`: the "shared"
alias when it is Redis; None, and no caching, otherwise): revoking access must take effect on
the very next request, whichever process serves it, so a per-process cache would leave other
workers trusting a removed role.

Every change that alters an entry forgets it (`forget_user`, `forget_key`): the user's row
(deactivation, a password, a name), their groups, a group itself (renamed or deleted: each of
its members), their memberships and their devices. Forgetting writes a tombstone for
`TOMBSTONE_SECONDS`, at once and again when the writing transaction commits, and readers store
what they loaded only with `add` (never over a tombstone): a request that read the old row just
before the change cannot put it back. Each entry also expires after `AUTH_CACHE_SECONDS`. The
receivers live with the models they watch (`accounts.receivers` for users and groups,
`clinics.receivers` for memberships, `security.devices` for second factors).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

#: What a forgotten entry holds for a few seconds: read as "load it, and do not keep it".
TOMBSTONE = "auth-cache:forgotten"
TOMBSTONE_SECONDS = 60


def _cache():
    alias = getattr(settings, "AUTH_CACHE", None)
    return caches[alias] if alias else None


def enabled() -> bool:
    return _cache() is not None


def user_key(user_id: int, facet: str) -> str:
    return f"auth:user:{user_id}:{facet}"


#: Every facet kept per user (`forget_user` deletes them all).
FACETS = ("user", "clinics")


def remembered(user_id: int | None, facet: str, load: Callable[[], object]):
    """The cached `facet` of a user, or `load()` (then cached). Without a shared cache, or for
    nobody, just `load()`."""
    cache = _cache()
    if cache is None or user_id is None:
        return load()
    return _read(cache, user_key(user_id, facet), load)


def remembered_key(key: str, load: Callable[[], object]):
    """As `remembered`, for an entry named by its own key (a device's persistent id)."""
    cache = _cache()
    if cache is None:
        return load()
    return _read(cache, key, load)


def _read(cache, key: str, load: Callable[[], object]):
    found = cache.get(key)
    if found == TOMBSTONE:
        return load()
    if found is None:
        found = load()
        if found is not None:
            cache.add(key, found, timeout=settings.AUTH_CACHE_SECONDS)
    return found


def forget_user(user_id: int | None) -> None:
    """Drop everything cached about one user, now and when the transaction commits."""
    cache = _cache()
    if cache is None or user_id is None:
        return

    _bury(cache, [user_key(user_id, facet) for facet in FACETS])


def forget_key(key: str) -> None:
    """Drop one entry named by its own key, now and when the transaction commits."""
    cache = _cache()
    if cache is None:
        return
    _bury(cache, [key])


def _bury(cache, keys: list[str]) -> None:
    tombstones = dict.fromkeys(keys, TOMBSTONE)
    cache.set_many(tombstones, timeout=TOMBSTONE_SECONDS)
    transaction.on_commit(lambda: cache.set_many(tombstones, timeout=TOMBSTONE_SECONDS))
