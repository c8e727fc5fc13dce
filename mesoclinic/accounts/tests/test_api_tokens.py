"""`create_api_token` and the hashed tokens it issues."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from mesoclinic.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _create(username):
    out = StringIO()
    call_command("create_api_token", username, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def test_it_prints_a_working_token_on_its_last_line(receptionist, patient_a):
    key = _create("reception_a")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/v1/patients/")
    assert response.status_code == 200
    assert response.json()["results"][0]["mrn"] == patient_a.mrn


def test_only_a_hash_of_the_token_is_stored(receptionist):
    key = _create("reception_a")
    token = ApiToken.objects.get()
    assert key not in (token.key_hash, token.prefix)
    assert token.prefix == key[:8]


def test_a_revoked_token_or_an_inactive_user_is_refused(receptionist):
    key = _create("reception_a")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    ApiToken.objects.update(revoked_at=timezone.now())
    assert client.get("/api/v1/patients/").status_code == 401
    ApiToken.objects.update(revoked_at=None)
    receptionist.is_active = False
    receptionist.save()
    assert client.get("/api/v1/patients/").status_code == 401


def test_it_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        _create("ghost")
