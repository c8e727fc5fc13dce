"""The API schema and its docs are behind sign-in: they map every operation and field."""

import pytest
from rest_framework.test import APIClient

from mesoclinic.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

SCHEMA = "/api/v1/schema/"
DOCS = ("/api/v1/docs/", "/api/v1/redoc/")


def test_anonymous_visitors_get_no_schema(client):
    assert client.get(SCHEMA).status_code == 401
    assert client.get(SCHEMA, {"format": "json"}).status_code == 401


@pytest.mark.parametrize("url", DOCS)
def test_anonymous_visitors_are_sent_to_sign_in_for_the_docs(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_user_without_a_staff_role_gets_403(client, make_user):
    client.force_login(make_user("no_role"))
    assert client.get(SCHEMA).status_code == 403
    for url in DOCS:
        assert client.get(url).status_code == 403


def test_signed_in_staff_see_the_schema_and_docs(client, receptionist):
    client.force_login(receptionist)
    schema = client.get(SCHEMA, {"format": "json"})
    assert schema.status_code == 200 and "/api/v1/patients/" in schema.json()["paths"]
    for url in DOCS:
        assert client.get(url).status_code == 200


def test_a_token_reads_the_schema(receptionist):
    _row, key = ApiToken.issue(user=receptionist, scope="read")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(SCHEMA, {"format": "json"}).status_code == 200
