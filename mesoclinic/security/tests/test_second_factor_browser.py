"""Second factors in a real Chromium: a practitioner signs in with a password and the code
their authenticator app shows; a newcomer enrols a passkey on Chromium's virtual
authenticator (DevTools' WebAuthn domain) and signs in with it the next time."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from mesoclinic.audit.models import AuditEvent
from mesoclinic.conftest import PASSWORD
from mesoclinic.security.tests.browser import fresh_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _password_step(page, base_url, username):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _session_id(page):
    return next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")


def test_it_signs_in_with_password_then_the_apps_code(
    page, live_server, screenshot, practitioner_user
):
    _password_step(page, live_server.url, practitioner_user.username)
    expect(page.get_by_role("heading", name="Second step")).to_be_visible()
    assert "/security/verify/" in page.url
    screenshot("verify")

    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("not right")
    screenshot("wrong-code")

    page.wait_for_timeout(1100)  # the throttle's first wait after one wrong code
    page.get_by_label("Code from your authenticator app").fill(fresh_code("doctor_a"))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Your clinics")).to_be_visible()
    screenshot("dashboard")


def test_a_newcomer_enrols_a_passkey_and_signs_in_with_it(
    page, live_server, screenshot, make_user, clinic_a, settings
):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    newcomer = make_user("newdoc", "practitioner", [clinic_a])
    TOTPDevice.objects.filter(user=newcomer).delete()
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )

    _password_step(page, live_server.url, newcomer.username)
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    screenshot("enrol-app")
    page.get_by_role("link", name="Use a passkey instead").click()
    screenshot("enrol-passkey")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    screenshot("recovery-codes")
    assert WebAuthnCredential.objects.filter(user=newcomer, confirmed=True).count() == 1
    assert AuditEvent.objects.filter(detail__change="second_factor_enrolled").exists()
    page.get_by_role("link", name="I have kept them; continue").click()
    expect(page.get_by_role("heading", name="Your clinics")).to_be_visible()

    _password_step(page, live_server.url, newcomer.username)
    expect(page.get_by_role("heading", name="Second step")).to_be_visible()
    screenshot("verify-passkey")
    before = _session_id(page)
    page.get_by_role("button", name="Use my passkey").click()
    expect(page.get_by_role("heading", name="Your clinics")).to_be_visible()
    assert _session_id(page) != before  # a new session key once the passkey is proved
    assert AuditEvent.objects.filter(
        detail={"change": "second_factor_verified", "kind": "passkey"}
    ).exists()
    screenshot("signed-in-with-passkey")

    page.get_by_role("link", name="Security", exact=True).click()
    expect(page.get_by_role("heading", name="My security")).to_be_visible()
    expect(page.get_by_text("Recovery codes left: 10")).to_be_visible()
    screenshot("my-security")
