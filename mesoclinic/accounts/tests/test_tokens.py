"""API tokens as an integration meets them: they expire, can be revoked, record their last use
without a write per request, may be read-only, rotate with an overlap, and an address that
guesses tokens is locked out. Every change is audited with codes only."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from mesoclinic.accounts import tokens
from mesoclinic.accounts.models import ApiToken
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface

pytestmark = pytest.mark.django_db

LIST = "/api/v1/patients/"


def _client(key, address="203.0.113.7"):
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _issue(user, **options):
    return tokens.issue_token(acting_user=user, user=user, via=Interface.WEB, **options)


def test_it_refuses_an_expired_token_with_401_and_says_so(receptionist):
    token, key = _issue(receptionist, days=30)
    assert _client(key).get(LIST).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _client(key).get(LIST)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_it_refuses_a_revoked_token_with_401_and_says_so(receptionist):
    token, key = _issue(receptionist)
    assert tokens.revoke_token(acting_user=receptionist, token=token, via=Interface.WEB)
    response = _client(key).get(LIST)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    # Revoking twice changes nothing and audits nothing more.
    assert not tokens.revoke_token(acting_user=receptionist, token=token, via=Interface.WEB)
    assert AuditEvent.objects.filter(detail__code="token_revoked").count() == 1


def test_it_records_the_last_use_but_not_on_every_request(receptionist, settings):
    token, key = _issue(receptionist)
    assert token.last_used_at is None
    client = _client(key)
    client.get(LIST)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    def writes_of_the_token():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "accounts_apitoken"')]

    # Within API_TOKEN_LAST_USED_MINUTES: no write at all.
    assert writes_of_the_token() == []
    token.refresh_from_db()
    assert token.last_used_at == first
    # Once that long has passed, the next request writes it, once.
    earlier = first - timedelta(minutes=settings.API_TOKEN_LAST_USED_MINUTES + 1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    assert len(writes_of_the_token()) == 1
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_read_only_token_reads_but_may_not_write(receptionist, patient_a):
    _token, key = _issue(receptionist, scope="read")
    client = _client(key)
    assert client.get(LIST).status_code == 200
    assert client.get(f"{LIST}{patient_a.pk}/").status_code == 200
    for response in (
        client.post(LIST, {}, format="json"),
        client.patch(f"{LIST}{patient_a.pk}/", {"first_name": "X"}, format="json"),
        client.put(f"{LIST}{patient_a.pk}/", {}, format="json"),
        client.delete(f"{LIST}{patient_a.pk}/"),
    ):
        assert response.status_code == 403
        assert "read-only" in response.json()["detail"]
    patient_a.refresh_from_db()
    assert patient_a.first_name != "X"


def test_a_read_and_write_token_may_write(receptionist):
    _token, key = _issue(receptionist, scope="read_write")
    # Past the permission: the empty patient is refused for its missing fields instead.
    assert _client(key).post(LIST, {}, format="json").status_code == 400


def test_the_database_refuses_an_unknown_scope(receptionist):
    token, _key = _issue(receptionist)
    with pytest.raises(IntegrityError):
        ApiToken.objects.filter(pk=token.pk).update(scope="admin")


def test_rotation_keeps_the_old_token_for_the_overlap_then_refuses_it(receptionist):
    old, old_key = _issue(receptionist, name="lab import", scope="read")
    new, new_key = tokens.rotate_token(
        acting_user=receptionist, token=old, via=Interface.WEB, overlap_hours=2
    )
    assert (new.name, new.scope, new.user) == ("lab import", "read", receptionist)
    old.refresh_from_db()
    assert old.replaced_by == new
    assert timedelta(hours=1, minutes=59) < old.expires_at - timezone.now() <= timedelta(hours=2)
    # During the overlap both keys work.
    assert _client(old_key).get(LIST).status_code == 200
    assert _client(new_key).get(LIST).status_code == 200
    # After it (the two hours passed), the old key is refused and the new one still works.
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _client(old_key).get(LIST).status_code == 401
    assert _client(new_key).get(LIST).status_code == 200
    # A rotated token is not rotated again: its successor is.
    with pytest.raises(ValidationError):
        tokens.rotate_token(acting_user=receptionist, token=old, via=Interface.WEB)


def test_rotation_without_overlap_refuses_the_old_token_at_once(receptionist):
    old, old_key = _issue(receptionist)
    tokens.rotate_token(acting_user=receptionist, token=old, via=Interface.WEB, overlap_hours=0)
    assert _client(old_key).get(LIST).status_code == 401


def test_the_overlap_and_the_lifetime_are_bounded(receptionist, settings):
    token, _key = _issue(receptionist)
    with pytest.raises(ValidationError, match="0 to 72 hours"):
        tokens.rotate_token(
            acting_user=receptionist, token=token, via=Interface.WEB, overlap_hours=73
        )
    with pytest.raises(ValidationError, match="1 to 365 days"):
        _issue(receptionist, days=settings.API_TOKEN_MAX_DAYS + 1)
    with pytest.raises(ValidationError):
        _issue(receptionist, days=0)


def test_issuing_rotating_and_revoking_are_audited_with_codes_only(receptionist):
    old, old_key = _issue(receptionist, name="lab import", days=10)
    new, new_key = tokens.rotate_token(
        acting_user=receptionist, token=old, via=Interface.WEB, overlap_hours=1
    )
    tokens.revoke_token(acting_user=receptionist, token=new, via=Interface.WEB)
    events = AuditEvent.objects.filter(object_type="accounts.apitoken").order_by("id")
    assert [(e.action, e.detail["code"], e.object_id) for e in events] == [
        ("security", "token_issued", str(old.pk)),
        ("security", "token_issued", str(new.pk)),
        ("security", "token_rotated", str(old.pk)),
        ("security", "token_revoked", str(new.pk)),
    ]
    assert all(e.actor == receptionist and e.interface == "web" for e in events)
    for event in events:
        text = str(event.detail)
        for secret in (old_key, new_key, old.prefix, new.prefix, "lab import"):
            assert secret not in text


def test_the_command_takes_days_and_scope_and_rotates(receptionist):
    out = StringIO()
    call_command("create_api_token", "reception_a", "--days", "7", "--scope", "read", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert token.scope == "read"
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)
    assert _client(key).get(LIST).status_code == 200
    assert AuditEvent.objects.get(detail__code="token_issued").interface == "cli"

    out = StringIO()
    call_command(
        "create_api_token",
        "reception_a",
        f"--rotate={token.prefix}",  # a prefix may begin with "-": never a separate argument
        "--overlap-hours",
        "0",
        stdout=out,
    )
    new_key = out.getvalue().strip().splitlines()[-1]
    assert _client(key).get(LIST).status_code == 401
    assert _client(new_key).get(LIST).status_code == 200
    call_command("create_api_token", "reception_a", f"--revoke={new_key[:8]}", stdout=StringIO())
    assert _client(new_key).get(LIST).status_code == 401


def test_the_command_refuses_a_lifetime_past_the_longest(receptionist):
    with pytest.raises(CommandError, match="1 to 365 days"):
        call_command("create_api_token", "reception_a", "--days", "400", stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_an_address_guessing_tokens_is_locked_out_before_any_lookup(receptionist, settings):
    _token, key = _issue(receptionist)
    limit = settings.API_BAD_TOKEN_LIMIT
    for attempt in range(limit):
        response = _client(f"guess-{attempt}").get(LIST)
        assert response.status_code == 401
        assert response.json()["detail"] == "Invalid token."
    # Locked out: even the right key is refused, without being looked up.
    with CaptureQueriesContext(connection) as queries:
        response = _client(key).get(LIST)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many invalid tokens" in response.json()["detail"]
    assert not any("accounts_apitoken" in q["sql"] for q in queries)
    # Another address is not affected.
    assert _client(key, address="198.51.100.20").get(LIST).status_code == 200
    # One audit row for the lockout, naming neither the address nor any token.
    event = AuditEvent.objects.get(action="lockout")
    assert (event.interface, event.detail["code"]) == ("api", "bad_tokens")
    assert "203.0.113.7" not in str(event.detail) and len(event.detail["address"]) == 12
    _client("one-more-guess").get(LIST)
    assert AuditEvent.objects.filter(action="lockout").count() == 1


def test_expired_or_revoked_tokens_do_not_count_as_guesses(receptionist, settings):
    settings.API_BAD_TOKEN_LIMIT = 3
    token, key = _issue(receptionist)
    tokens.revoke_token(acting_user=receptionist, token=token, via=Interface.WEB)
    for _ in range(5):
        assert _client(key).get(LIST).status_code == 401
    assert not AuditEvent.objects.filter(action="lockout").exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_tokens_the_default_lifetime(receptionist, settings):
    """Tokens issued before expiry existed keep working, for the default lifetime from the
    migration on, and are read-and-write as they were."""
    from django.db.migrations.executor import MigrationExecutor

    before, after = ("accounts", "0002_role_groups"), ("accounts", "0003_token_limits")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([before])
        old = executor.loader.project_state([before]).apps
        old.get_model("accounts", "ApiToken").objects.create(
            user_id=receptionist.pk, prefix="oldtoken", key_hash="0" * 64
        )
        MigrationExecutor(connection).migrate([after])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    token = ApiToken.objects.get(prefix="oldtoken")
    lifetime = token.expires_at - timezone.now()
    days = timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    assert days - timedelta(minutes=5) < lifetime <= days
    assert (token.scope, token.last_used_at) == ("read_write", None)


def test_it_counts_bad_tokens_per_client_behind_the_proxy_not_per_proxy(settings):
    # Behind the TLS proxy every request comes from the proxy: counting its address would let
    # anyone with 20 made-up tokens lock every integration out.
    from django.test import RequestFactory

    from mesoclinic.accounts import limits

    settings.TRUSTED_PROXY_COUNT = 1
    through_proxy = [
        RequestFactory().get("/api/v1/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=client)
        for client in ("203.0.113.9", "198.51.100.7")
    ]
    assert limits.address_tag(through_proxy[0]) != limits.address_tag(through_proxy[1])
