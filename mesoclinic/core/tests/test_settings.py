"""Production settings pass `check --deploy`; development needs nothing set; pages follow the
language; logs keep no search terms."""

import base64
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import global_settings
from django.urls import reverse

from mesoclinic.core.logging import RedactQueryStrings

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7!" + "k" * 20 + "q9#Zr2" + "m" * 30,
    "ALLOWED_HOSTS": "clinic.example.pk",
    "DATABASE_URL": "postgres://app:secret@db.example.pk:5432/mesoclinic",
    "EMAIL_HOST": "smtp.example.pk",
    "PUBLIC_BASE_URL": "https://clinic.example.pk",
    # A Fernet key: 32 bytes, url-safe base64.
    "MESOCLINIC_FILES_KEYS": base64.urlsafe_b64encode(b"production-files-key-for-tests!!").decode(),
}


def _manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_values():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "EMAIL_HOST",
        "PUBLIC_BASE_URL",
        "MESOCLINIC_FILES_KEYS",
    ],
)
def test_production_refuses_to_start_without_each_required_setting(missing):
    for env in (
        {k: v for k, v in PRODUCTION.items() if k != missing},
        {**PRODUCTION, missing: " "},
    ):
        result = _manage("check", env=env)
        assert result.returncode != 0
        assert f"Set the environment variable {missing}" in result.stderr


def test_production_refuses_a_public_address_without_its_scheme():
    result = _manage("check", env={**PRODUCTION, "PUBLIC_BASE_URL": "clinic.example.pk"})
    assert result.returncode != 0
    assert "PUBLIC_BASE_URL must start with http:// or https://" in result.stderr


def test_the_migrations_match_the_models():
    result = _manage("makemigrations", "--check", "--dry-run", env={})
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_malformed_boolean_is_named():
    result = _manage("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ur", "rtl")])
def test_pages_declare_the_active_language_and_direction(client, language, direction):
    client.cookies["django_language"] = language
    response = client.get(reverse("login"))
    assert f'<html lang="{language}" dir="{direction}">' in response.text


@pytest.mark.django_db
def test_the_language_switcher_keeps_the_page(client):
    response = client.post(reverse("set_language"), {"language": "ur", "next": "/accounts/login/"})
    assert response.status_code == 302 and response.url == "/accounts/login/"
    page = client.get("/accounts/login/")
    assert 'dir="rtl"' in page.text
    assert "صارف نام" in page.text  # "Username", from our own Urdu catalog


def test_request_lines_lose_their_query_strings_before_logging():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /patients/?q=35202-1234567-1&before=9 HTTP/1.1", "200", "512"),
        None,
    )
    RedactQueryStrings().filter(record)
    message = record.getMessage()
    assert "35202" not in message
    assert message.startswith('"GET /patients/?[redacted] HTTP/1.1"')


def test_production_hashes_passwords_with_djangos_default_not_the_tests_md5():
    """The suite hashes with MD5 for speed (conftest.py); the settings themselves choose
    nothing, so a deployment gets Django's PBKDF2."""
    import mesoclinic.settings as project_settings

    assert not hasattr(project_settings, "PASSWORD_HASHERS")
    assert global_settings.PASSWORD_HASHERS[0].endswith("PBKDF2PasswordHasher")
