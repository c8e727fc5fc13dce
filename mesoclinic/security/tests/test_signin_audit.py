"""Every sign-in, failed sign-in, lockout and sign-out is in the audit trail (receivers.py),
with reason codes and never the name that was typed; the audit log page shows them."""

import pytest
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"
Action = AuditEvent.Action


def _rows(*actions):
    return list(AuditEvent.objects.filter(action__in=actions).order_by("id"))


def _no_typed_name(name):
    for event in AuditEvent.objects.all():
        assert name not in repr((event.detail, event.changed_fields, event.object_id))


def test_a_sign_in_names_the_account(sign_in, reception_khi):
    sign_in("reception.khi")

    (row,) = _rows(Action.SIGN_IN)
    assert (row.actor, row.interface, row.object_type, row.object_id) == (
        reception_khi,
        "web",
        "auth.user",
        str(reception_khi.pk),
    )


def test_a_wrong_password_is_a_failure_against_the_account(sign_in, reception_khi):
    sign_in("reception.khi", WRONG)

    (row,) = _rows(Action.SIGN_IN_FAILED)
    assert row.actor == reception_khi and row.object_id == str(reception_khi.pk)
    assert row.detail == {"reason": "bad_credentials"}
    _no_typed_name("reception.khi")


def test_a_name_that_matches_no_one_is_not_stored(sign_in, db):
    sign_in("Zainab Qureshi 35202-1234567-8", WRONG)

    (row,) = _rows(Action.SIGN_IN_FAILED)
    assert row.actor is None and row.object_id == ""
    assert row.detail == {"reason": "bad_credentials"}
    _no_typed_name("Zainab")
    _no_typed_name("35202")


def test_the_failure_that_locks_is_one_lockout_and_later_attempts_are_refusals(
    sign_in, reception_khi
):
    for _ in range(7):
        sign_in("reception.khi", WRONG)
    sign_in("reception.khi")  # the right password, refused unchecked

    (lockout,) = _rows(Action.LOCKED_OUT)
    failures = _rows(Action.SIGN_IN_FAILED)
    assert lockout.actor == reception_khi and lockout.detail == {"locked_by": "account"}
    # The three attempts refused while locked write one row: the trail cannot be pruned, so
    # hammering a locked account must not grow it one row per attempt.
    assert [f.detail["reason"] for f in failures] == ["bad_credentials"] * 5 + ["locked_out"]
    assert not _rows(Action.SIGN_IN)
    _no_typed_name("reception.khi")


def test_an_address_lockout_says_so(sign_in, settings, db):
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        sign_in(f"nobody{n}", WRONG)

    (lockout,) = _rows(Action.LOCKED_OUT)
    assert lockout.actor is None and lockout.detail == {"locked_by": "address"}


def test_the_admin_login_is_audited_as_the_admin(sign_in, administrator):
    url = reverse("admin:login")
    sign_in("admin", WRONG, url=url)
    sign_in("admin", url=url)

    assert {(e.action, e.interface) for e in _rows(Action.SIGN_IN, Action.SIGN_IN_FAILED)} == {
        (Action.SIGN_IN_FAILED, "admin"),
        (Action.SIGN_IN, "admin"),
    }


def test_a_sign_out_is_audited(sign_in, client, reception_khi):
    sign_in("reception.khi")

    client.post(reverse("logout"))

    (row,) = _rows(Action.SIGN_OUT)
    assert row.actor == reception_khi and row.detail == {"reason": "user"}


def test_signing_out_while_signed_out_writes_nothing(client, db):
    client.post(reverse("logout"))
    assert not _rows(Action.SIGN_OUT)


def test_the_audit_log_shows_the_sign_in_rows_readably(
    sign_in, client, reception_khi, administrator
):
    for _ in range(5):
        sign_in("reception.khi", WRONG)
    sign_in("nobody", WRONG, address="10.7.7.7")
    sign_in("admin", address="10.8.8.8")
    client.post(reverse("logout"))
    client.force_login(administrator)

    page = client.get(reverse("audit:list")).text
    locked = client.get(reverse("audit:list"), {"action": "lockout"}).context["events"]

    for label in ("Signed in", "Sign-in failed", "Locked out", "Signed out"):
        assert label in page
    assert "reason: bad_credentials" in page and "locked_by: account" in page
    assert "unknown name" in page  # the failure whose name matched no one
    assert [e.actor for e in locked] == [reception_khi]
