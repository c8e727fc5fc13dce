"""My data on a cheap phone (360 × 740, touch), in Urdu, in a real Chromium with JavaScript
off: Sana opens My data, downloads the JSON and the PDF (both land as files), looks at who
opened her record, asks for an erasure after reading what it keeps, and says no to SMS from
clinic B. Screenshots in artifacts/screenshots/<database>/<test>/."""

import json
from pathlib import Path

import pytest
from django.utils import translation

from mesoclinic.notifications.models import ContactConsent
from mesoclinic.portal.models import DataRequest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]


def _ur(text: str) -> str:
    with translation.override("ur"):
        return translation.gettext(text)


def test_it_downloads_her_data_in_urdu_on_a_phone(phone, screenshot, portal_world, treated):
    phone.goto("/ur/portal/my-data/")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.locator("h1").inner_text() == _ur("My data")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("my-data", of=phone)

    with phone.expect_download() as got:
        phone.get_by_role("link", name=_ur("Download as JSON (for another clinic or app)")).click()
    download = got.value
    assert download.suggested_filename.endswith(".json")
    export = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert [r["patient"]["mrn"] for r in export["records"]] == [
        portal_world.at_a.mrn,
        portal_world.at_b.mrn,
    ]

    with phone.expect_download() as got:
        phone.get_by_role("link", name=_ur("Download as PDF (to read)")).click()
    download = got.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"

    phone.get_by_role(
        "link", name=_ur("See who at the clinic opened your record, and when")
    ).click()
    assert phone.locator("h1").inner_text() == _ur("Who opened my record")
    assert phone.locator("tbody tr").count() > 0
    screenshot("who-opened", of=phone)

    phone.goto("/ur/portal/my-data/requests/new/?kind=erasure")
    assert phone.locator("#kept li").count() == 3
    screenshot("erasure-form", of=phone)
    phone.get_by_role("button", name=_ur("Send my request")).click()
    assert phone.locator("#request-status").is_visible()
    assert DataRequest.objects.get().kind == "erasure"
    screenshot("erasure-sent", of=phone)

    phone.goto("/ur/portal/my-data/contact/")
    screenshot("contact", of=phone)
    phone.locator(
        f'form:has(input[name="record"][value="{portal_world.at_b.pk}"])'
        ':has(input[name="channel"][value="sms"]) button'
    ).click()
    assert (
        ContactConsent.objects.filter(patient_id=portal_world.at_b.pk).order_by("-id")[0].method
        == "portal"
    )
    screenshot("contact-saved", of=phone)
