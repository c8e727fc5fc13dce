"""The token page (/security/tokens/): a staff member's own tokens, the key shown once."""

import pytest
from rest_framework.test import APIClient

from mesoclinic.accounts import tokens
from mesoclinic.accounts.models import ApiToken
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface

pytestmark = pytest.mark.django_db

PAGE = "/security/tokens/"


def _signed_in(client, user):
    client.force_login(user)
    return client


def _works(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/v1/clinics/").status_code == 200


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_refuses_a_user_without_a_staff_role(client, make_user):
    assert _signed_in(client, make_user("no_role")).get(PAGE).status_code == 403


def test_it_lists_only_the_users_own_tokens(client, receptionist, outsider):
    mine, _key = ApiToken.issue(user=receptionist, name="lab import")
    theirs, _key = ApiToken.issue(user=outsider, name="their export")
    page = _signed_in(client, receptionist).get(PAGE).text
    assert mine.prefix in page and "lab import" in page
    assert theirs.prefix not in page and "their export" not in page


def test_creating_a_token_shows_the_key_once(client, receptionist):
    _signed_in(client, receptionist)
    response = client.post(PAGE, {"name": "lab import", "scope": "read", "days": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=receptionist)
    key = response.context["new_key"]
    assert key in response.text and key.startswith(token.prefix)
    assert token.scope == "read" and _works(key)
    assert "no-store" in response["Cache-Control"]
    # Never again: the list shows the prefix only.
    again = client.get(PAGE).text
    assert key not in again and token.prefix in again
    assert AuditEvent.objects.get(detail__code="token_issued").interface == "web"


def test_it_refuses_a_lifetime_past_the_longest_with_a_message(client, receptionist):
    response = _signed_in(client, receptionist).post(
        PAGE, {"name": "", "scope": "read", "days": "999"}
    )
    assert response.status_code == 400
    assert "1 to 365 days" in response.text
    assert not ApiToken.objects.exists()


def test_rotating_shows_the_successors_key_and_keeps_the_old_for_the_overlap(client, receptionist):
    old, old_key = tokens.issue_token(
        acting_user=receptionist, user=receptionist, via=Interface.WEB, name="lab import"
    )
    response = _signed_in(client, receptionist).post(
        f"{PAGE}{old.pk}/rotate/", {"overlap_hours": "1"}
    )
    assert response.status_code == 200
    new_key = response.context["new_key"]
    assert new_key in response.text
    assert _works(new_key) and _works(old_key)
    old.refresh_from_db()
    assert old.replaced_by.name == "lab import"


def test_revoking_from_the_page(client, receptionist):
    token, key = ApiToken.issue(user=receptionist)
    response = _signed_in(client, receptionist).post(f"{PAGE}{token.pk}/revoke/")
    assert response.status_code == 302
    assert not _works(key)
    assert AuditEvent.objects.get(detail__code="token_revoked").actor == receptionist


def test_another_users_token_is_404_and_untouched(client, receptionist, outsider):
    theirs, key = ApiToken.issue(user=outsider)
    _signed_in(client, receptionist)
    assert client.post(f"{PAGE}{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"{PAGE}{theirs.pk}/rotate/", {"overlap_hours": "0"}).status_code == 404
    assert client.post(f"{PAGE}999999/revoke/").status_code == 404
    assert _works(key)
    assert ApiToken.objects.filter(user=outsider).count() == 1
