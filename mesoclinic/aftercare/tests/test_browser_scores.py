"""A dermatologist scores a session's melasma in a real Chromium: the mMASI shows as the grades
are chosen, before saving, and is stored with who scored."""

import pytest
from playwright.sync_api import expect

from mesoclinic.aftercare.models import OutcomeScore
from mesoclinic.care.tests.browser import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]

REGIONS = ("forehead", "right_malar", "left_malar", "chin")


def test_the_mmasi_shows_live_and_is_saved(
    page, live_server, screenshot, js_errors, charted, dermatologist
):
    log_in(page, live_server.url, dermatologist.user)
    page.goto(f"{live_server.url}/care/sessions/{charted.pk}/")
    page.locator("#session-scores").click()
    expect(page.locator("#score-value")).to_contain_text("shown when every field is filled")
    for region in REGIONS:
        page.locator(f'select[name="{region}.area"]').select_option("3")
        page.locator(f'select[name="{region}.darkness"]').select_option("2")
    expect(page.locator("#score-value output")).to_have_text("6.0")
    screenshot("live-mmasi")
    page.get_by_role("button", name="Save score").click()
    expect(page.locator("#stored-scores")).to_contain_text("6")
    screenshot("saved")
    stored = OutcomeScore.objects.get()
    assert stored.scored_by_id == dermatologist.user.pk and stored.session_id == charted.pk
    assert js_errors == []
