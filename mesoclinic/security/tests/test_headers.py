"""Permissions-Policy: every response switches off the browser features mesoclinic never uses
and keeps passkeys for this site."""

import pytest
from django.urls import reverse

from mesoclinic.security.headers import POLICY, permissions_policy

pytestmark = pytest.mark.django_db


def features(response) -> dict[str, str]:
    return dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))


def test_it_switches_off_camera_microphone_location_and_payment(client):
    policy = features(client.get(reverse("guide:index")))

    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "display-capture"):
        assert policy[feature] == "()"


def test_it_keeps_passkeys_for_this_site_only(client):
    policy = features(client.get(reverse("login")))

    assert policy["publickey-credentials-get"] == "(self)"
    assert policy["publickey-credentials-create"] == "(self)"


def test_it_sends_the_header_on_staff_pages_errors_and_the_api(client, receptionist):
    assert "Permissions-Policy" in client.get("/en/no-such-page/")
    client.force_login(receptionist)
    assert "camera=()" in client.get(reverse("patients:list"))["Permissions-Policy"]
    assert "camera=()" in client.get("/api/v1/patients/")["Permissions-Policy"]


def test_it_quotes_other_origins_as_strings():
    assert (
        permissions_policy({"camera": (), "fullscreen": ("self", "https://a.example")})
        == 'camera=(), fullscreen=(self "https://a.example")'
    )


def test_it_lists_only_features_browsers_recognise():
    # "interest-cohort", "document-domain" and "vr" make Chromium log a console error.
    assert not {"interest-cohort", "document-domain", "vr", "speaker"} & POLICY.keys()
