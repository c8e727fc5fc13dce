"""The token page in a real Chromium: create a read-only token, see its key once, rotate it."""

import re

import pytest
from playwright.sync_api import expect

from mesoclinic.accounts.models import ApiToken
from mesoclinic.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_receptionist_creates_sees_once_and_rotates_a_token(
    page, live_server, screenshot, receptionist
):
    page.goto(f"{live_server.url}/security/tokens/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill(receptionist.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    expect(page.get_by_text("You have no API tokens.")).to_be_visible()

    page.get_by_label("What it is for").fill("lab import")
    page.get_by_label("Access").select_option("read")
    page.get_by_label("Days until it expires").fill("30")
    page.get_by_role("button", name="Create token").click()
    key = page.locator("#new-key").inner_text()
    token = ApiToken.objects.get(user=receptionist)
    assert key.startswith(token.prefix) and token.scope == "read"
    screenshot("created")

    page.goto(f"{live_server.url}/security/tokens/")
    expect(page.locator("#new-key")).to_have_count(0)
    expect(page.get_by_text(f"{token.prefix}…")).to_be_visible()

    page.get_by_role("button", name="Rotate").click()
    expect(page.get_by_role("heading", name=re.compile("rotated"))).to_be_visible()
    assert page.locator("#new-key").inner_text() != key
    screenshot("rotated")
    page.set_viewport_size({"width": 412, "height": 915})
    screenshot("rotated-phone")
