"""Sana on a cheap phone (360 × 740, touch), in Urdu, JavaScript off, in a real Chromium: from
her clinics she opens her record at clinic A, reads her plan, downloads her signed consent (the
PDF printed by the server on first download), and sees her photos side by side; at clinic B,
whose consent she signed again saying no to photos, she is told why there are none. Screenshots
in artifacts/screenshots/<database>/<test>/.
"""

import pytest
from django.utils import translation
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]


def _ur(text: str, context: str = "portal treatment") -> str:
    with translation.override("ur"):
        return translation.pgettext(context, text)


def test_it_opens_her_record_reads_the_plan_and_downloads_the_consent_in_urdu(
    phone, screenshot, portal_world, treated
):
    world = treated(sessions=2, views=1)
    phone.goto("/ur/portal/")
    screenshot("clinics", of=phone)
    phone.locator(f'a[href="/ur/portal/records/{portal_world.at_a.pk}/"]').click()
    expect(phone.locator("h1")).to_have_text(_ur("My treatment"))
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    plan = phone.locator("#plan")
    expect(plan.locator("tr.done")).to_have_count(2)
    expect(plan.locator("tr.to-come")).to_have_count(4)
    expect(plan.locator(".maintenance")).to_be_visible()
    screenshot("plan", of=phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    link = phone.locator(f"#consent-{world.consent_a.pk} a.consent-pdf")
    link.scroll_into_view_if_needed()
    screenshot("consents", of=phone)
    with phone.expect_download() as caught:
        link.click()
    download = caught.value
    assert download.suggested_filename == (
        f"consent-{portal_world.at_a.mrn}-{world.consent_a.pk}.pdf"
    )
    with open(download.path(), "rb") as saved:
        assert saved.read(5) == b"%PDF-"

    phone.locator("#scores").scroll_into_view_if_needed()
    expect(phone.locator("#scores svg")).to_have_count(1)
    screenshot("scores", of=phone)
    photos = phone.locator("#photos .pair img")
    expect(photos).to_have_count(2)
    photos.first.scroll_into_view_if_needed()
    assert phone.evaluate(
        "[...document.querySelectorAll('#photos .pair img')].every(i => i.naturalWidth > 0)"
    )
    screenshot("photos", of=phone)

    phone.goto(f"/ur/portal/records/{portal_world.at_b.pk}/")
    expect(phone.locator("#photos .no-photos")).to_have_text(
        _ur(
            "No photos are shown: on this clinic's consent for this course you did not agree "
            "to treatment photos."
        )
    )
    expect(phone.locator("#photos img")).to_have_count(0)
    phone.locator("#photos").scroll_into_view_if_needed()
    screenshot("clinic-b-no-photos", of=phone)
