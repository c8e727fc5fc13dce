"""The counter behind the public forms' rate limits: a fixed window per key, refusals that say
how long to wait, keys that never hold an address or a number in clear, and the client's
address read behind a known number of proxies only."""

import time
from datetime import UTC

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.core.ratelimit import client_address, hit, key_for

T0 = 1_800_000_000.0  # the start of a window for any window length that divides it


def fresh_cache(name="ratelimit-test"):
    cache = LocMemCache(name, {})
    cache.clear()
    return cache


@given(limit=st.integers(1, 30), attempts=st.integers(0, 60), window=st.sampled_from([60, 3600]))
def test_it_allows_exactly_the_limit_within_a_window(limit, attempts, window):
    cache = fresh_cache()
    decisions = [
        hit(cache, "k", limit=limit, window=window, now=T0 + i * (window / 100))
        for i in range(attempts)
    ]
    assert sum(d.allowed for d in decisions) == min(attempts, limit)
    assert all(d.allowed for d in decisions[:limit])
    assert all(0 < d.retry_after <= window for d in decisions if not d.allowed)


def test_it_says_how_long_until_the_window_ends():
    cache = fresh_cache()
    hit(cache, "k", limit=1, window=3600, now=T0)
    refused = hit(cache, "k", limit=1, window=3600, now=T0 + 600.5)
    assert not refused.allowed
    assert (refused.retry_after, refused.retry_after_minutes) == (3000, 50)


def test_it_allows_again_once_the_window_has_passed():
    cache = fresh_cache()
    assert hit(cache, "k", limit=1, window=60, now=T0).allowed
    assert not hit(cache, "k", limit=1, window=60, now=T0 + 59).allowed
    assert hit(cache, "k", limit=1, window=60, now=T0 + 60).allowed


def test_it_counts_each_key_apart():
    cache = fresh_cache()
    assert hit(cache, "a", limit=1, window=60, now=T0).allowed
    assert not hit(cache, "a", limit=1, window=60, now=T0).allowed
    assert hit(cache, "b", limit=1, window=60, now=T0).allowed


def test_a_limit_of_zero_switches_counting_off():
    cache = fresh_cache()
    assert all(hit(cache, "k", limit=0, window=60, now=T0).allowed for _ in range(5))


def test_it_keeps_no_address_or_number_in_the_key():
    key = key_for("enquiry-mobile", "+923001234567")
    assert "3001234567" not in key and key.startswith("ratelimit:enquiry-mobile:")
    assert key != key_for("enquiry-address", "+923001234567")
    assert "203.0.113" not in key_for("enquiry-address", "203.0.113.9")


def _request(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().post("/", REMOTE_ADDR=remote, **extra)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_it_reads_the_socket_address_with_no_proxy_and_ignores_a_forged_header():
    assert client_address(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_it_trusts_only_what_our_proxy_appended():
    # The visitor wrote 198.51.100.1 themselves; nginx appended the address it saw.
    assert client_address(_request("127.0.0.1", "198.51.100.1, 203.0.113.9")) == "203.0.113.9"
    assert client_address(_request("127.0.0.1")) == "127.0.0.1"


@pytest.mark.django_db
def test_it_counts_in_the_shared_cache_every_worker_reads():
    from django.core.cache import caches

    shared = caches["shared"]
    assert hit(shared, "shared-k", limit=1, window=60, now=T0).allowed
    assert not hit(shared, "shared-k", limit=1, window=60, now=T0 + 1).allowed


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
    ],
)
def test_it_counts_an_ipv6_visitor_as_their_whole_64(address, counted_as):
    # One phone or home holds a whole /64 and may pick any address in it.
    assert client_address(_request(address)) == counted_as


def test_it_keeps_the_window_to_its_end_on_the_database_cache(db):
    # Django's database cache has no increment of its own: its default `incr` wrote the count
    # back with a five-minute timeout, so the hour's limit reset five minutes after a burst.
    from django.core.cache import caches

    cache = caches["shared"]
    key = key_for("test-window", "0300-1234567")
    for _ in range(3):
        assert hit(cache, key, limit=3, window=3600).allowed
    refused = hit(cache, key, limit=3, window=3600)
    assert not refused.allowed
    bucket = f"{key}:3600:{int(time.time() // 3600)}"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM mesoclinic_shared_cache WHERE cache_key = %s",
            [cache.make_and_validate_key(bucket)],
        )
        (stored,) = cursor.fetchone()
    if isinstance(stored, str):
        from django.utils.dateparse import parse_datetime

        stored = parse_datetime(stored)
    if stored.tzinfo is None:
        stored = stored.replace(tzinfo=UTC)
    window_end = (int(time.time() // 3600) + 1) * 3600
    assert abs(stored.timestamp() - window_end) <= 2, "the count lives until its window ends"
