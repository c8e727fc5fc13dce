"""The shared auth cache (accounts/auth_cache.py): a signed-in staff request reads who is asking
(user and roles, clinics, the proved second factor, the session) from the cache, and every
change that revokes access shows on the very next request. Run on a local-memory cache and on
the real Redis the production settings use (skipped without one, except under CI)."""

import os
import uuid

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesoclinic.accounts import auth_cache
from mesoclinic.clinics import scoping
from mesoclinic.clinics.models import Membership
from mesoclinic.security.second_factor_services import end_sessions_of

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
#: The tables a warm request must not read: who is asking comes from the cache.
WHO_IS_ASKING = ('"django_session"', '"auth_user"', '"auth_user_groups"', '"otp_totp_totpdevice"')


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


@pytest.fixture(params=["local memory", "redis"])
def shared_cache(request, settings):
    """Production's configuration with REDIS_URL: the auth cache and cached_db sessions on one
    shared alias (keys of this test only: Redis is shared by the suite's workers)."""
    if request.param == "redis":
        if not _redis_reachable():
            if os.environ.get("CI") == "true":
                pytest.fail(f"Under CI Redis is required, and it is not reachable at {REDIS_URL}")
            pytest.skip(f"Redis not reachable at {REDIS_URL}")
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-auth-{uuid.uuid4().hex}",
        }
    else:
        backend = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"auth-{uuid.uuid4().hex}",
        }
    settings.CACHES = {**settings.CACHES, "auth": backend}
    settings.AUTH_CACHE = "auth"
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.SESSION_CACHE_ALIAS = "auth"
    return caches["auth"]


def _search(client, term="Zainab"):
    return client.get(reverse("patients:list"), {"q": term})


def _warm(client, user, term="Zainab"):
    """Sign in, let the sign-in's tombstones lapse (it saved the user: `last_login`), and fill
    the cache with one request."""
    client.force_login(user)
    if not auth_cache.enabled():
        return _search(client, term)
    caches["auth"].delete_many(
        [auth_cache.user_key(user.pk, facet) for facet in auth_cache.FACETS]
        + [f"auth:device:{device.persistent_id}" for device in TOTPDevice.objects.filter(user=user)]
    )
    first = _search(client, term)
    assert first.status_code == 200
    return first


def test_a_warm_staff_request_reads_nobody_from_the_database(
    shared_cache, client, practitioner_user, patient_a
):
    _warm(client, practitioner_user)
    with CaptureQueriesContext(connection) as queries:
        answer = _search(client)
    assert answer.status_code == 200
    assert "Qureshi" in answer.text
    read = [q["sql"] for q in queries if any(t in q["sql"] for t in WHO_IS_ASKING)]
    assert read == []


def test_without_a_shared_cache_nothing_is_cached(settings, client, practitioner_user, patient_a):
    settings.AUTH_CACHE = None
    _warm(client, practitioner_user)
    with CaptureQueriesContext(connection) as queries:
        _search(client)
    assert any('"auth_user"' in q["sql"] for q in queries)


def test_a_deactivated_account_is_signed_out_on_its_next_request(
    shared_cache, client, receptionist, patient_a
):
    _warm(client, receptionist)
    receptionist.is_active = False
    receptionist.save()
    answer = _search(client)
    assert answer.status_code == 302
    assert answer.url.startswith(reverse("login"))


def test_a_removed_role_is_refused_on_the_next_request(
    shared_cache, client, receptionist, patient_a
):
    _warm(client, receptionist)
    receptionist.groups.remove(Group.objects.get(name="receptionist"))
    assert _search(client).status_code == 403


def test_a_role_removed_from_the_group_side_is_refused_too(
    shared_cache, client, receptionist, patient_a
):
    _warm(client, receptionist)
    Group.objects.get(name="receptionist").user_set.remove(receptionist)
    assert _search(client).status_code == 403


def test_a_renamed_role_group_changes_its_members_roles(
    shared_cache, client, receptionist, patient_a
):
    _warm(client, receptionist)
    group = Group.objects.get(name="receptionist")
    group.name = "former receptionist"
    group.save()
    assert _search(client).status_code == 403


def test_a_removed_membership_hides_that_clinics_patients_at_once(
    shared_cache, client, receptionist, patient_a
):
    assert "Qureshi" in _warm(client, receptionist).text
    Membership.objects.filter(user=receptionist).delete()
    assert "Qureshi" not in _search(client).text


def test_a_new_membership_shows_that_clinics_patients_at_once(
    shared_cache, client, outsider, patient_a, clinic_a
):
    assert "Qureshi" not in _warm(client, outsider).text
    Membership.objects.create(user=outsider, clinic=clinic_a)
    assert "Qureshi" in _search(client).text


def test_a_removed_authenticator_must_be_replaced_before_the_next_page(
    shared_cache, client, practitioner_user, patient_a
):
    _warm(client, practitioner_user)
    TOTPDevice.objects.filter(user=practitioner_user).delete()
    answer = _search(client)
    assert answer.status_code == 302
    assert reverse("security:enrol") in answer.url


def test_a_password_changed_elsewhere_ends_this_session(
    shared_cache, client, receptionist, patient_a
):
    _warm(client, receptionist)
    receptionist.set_password("a new and long passphrase 42")
    receptionist.save()
    answer = _search(client)
    assert answer.status_code == 302
    assert answer.url.startswith(reverse("login"))


def test_sessions_ended_by_an_administrator_end_in_the_cache_too(
    shared_cache, client, receptionist, patient_a
):
    _warm(client, receptionist)
    assert end_sessions_of(receptionist) == 1
    answer = _search(client)
    assert answer.status_code == 302
    assert answer.url.startswith(reverse("login"))


def test_a_reader_that_loaded_before_a_change_cannot_put_the_old_row_back(shared_cache, db):
    """The race the tombstone closes: a request read the user, the change committed and
    forgot it, then the request tried to store what it had read."""
    auth_cache.forget_user(7)
    assert auth_cache.remembered(7, "user", lambda: "the old row") == "the old row"
    assert auth_cache.remembered(7, "user", lambda: "the new row") == "the new row"
    key = auth_cache.user_key(7, "clinics")
    shared_cache.delete(key)
    assert auth_cache.remembered(7, "clinics", lambda: [1]) == [1]
    assert auth_cache.remembered(7, "clinics", lambda: [2]) == [1]  # kept until forgotten
    auth_cache.forget_user(7)
    assert auth_cache.remembered(7, "clinics", lambda: [2]) == [2]


def test_the_cached_clinics_follow_every_membership_change(
    shared_cache, client, receptionist, outsider, clinic_a, clinic_b, patient_a
):
    """The clinics a search and an export's scope read (`scoping.clinic_ids`), cached: a
    membership removed, added, or given to another person shows at once for both people."""
    _warm(client, receptionist)
    assert scoping.clinic_ids(receptionist, scoping.Kind.PATIENT) == [clinic_a.pk]
    assert scoping.clinic_ids(outsider, scoping.Kind.PATIENT) == [clinic_b.pk]
    membership = Membership.objects.get(user=receptionist)
    membership.user = outsider
    membership.save()
    assert scoping.clinic_ids(receptionist, scoping.Kind.PATIENT) == []
    assert sorted(scoping.clinic_ids(outsider, scoping.Kind.PATIENT)) == sorted(
        [clinic_a.pk, clinic_b.pk]
    )
    Membership.objects.filter(user=outsider, clinic=clinic_b).delete()
    assert scoping.clinic_ids(outsider, scoping.Kind.PATIENT) == [clinic_a.pk]


def test_a_deleted_role_group_takes_its_members_roles(
    shared_cache, client, receptionist, patient_a
):
    _warm(client, receptionist)
    Group.objects.get(name="receptionist").delete()
    assert _search(client).status_code == 403


def test_the_forgetting_is_done_again_when_the_change_commits(
    shared_cache, receptionist, django_capture_on_commit_callbacks
):
    """A request may read the old row between the change and its commit: the tombstone is
    written again on commit, over whatever that request stored."""
    key = auth_cache.user_key(receptionist.pk, "user")
    with django_capture_on_commit_callbacks() as callbacks:
        receptionist.is_active = False
        receptionist.save()
        shared_cache.set(key, "the row a racing request read before the commit")
    for callback in callbacks:
        callback()
    assert shared_cache.get(key) == auth_cache.TOMBSTONE
