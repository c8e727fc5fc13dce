"""The 72-hour check-in on a cheap phone (360 × 740, touch), in Urdu, in a real Chromium with
JavaScript switched off: the patient opens the link from their message, reports a moderate
(grade 2) swelling and is told what to do now, with the clinic's number to call. The course is
paused behind them. Every tap target is a fingertip wide, nothing scrolls sideways, and
axe-core finds nothing serious on the form or the page after it. Screenshots in
artifacts/screenshots/<database>/<test>/.
"""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation
from playwright.sync_api import expect

from mesoclinic.aftercare import labels
from mesoclinic.aftercare.tests.check_in_helpers import check_in, form_url
from mesoclinic.care.models import AdverseEvent, Course
from mesoclinic.care.tests.browser import watch
from mesoclinic.notifications.models import Message
from mesoclinic.patients.tests.test_accessibility import BLOCKING

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "has_touch": True,
    "is_mobile": True,
    "locale": "ur-PK",
}
FINGERTIP = 44


def _ur(text) -> str:
    """The Urdu the page shows for `text` (a msgid, or one of aftercare's lazy labels)."""
    with translation.override("ur"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _blocking(page, label):
    violations = Axe().run(page).response["violations"]
    for v in violations:
        print(f"\n[axe: {label}] {v['id']} ({v['impact']}): {v['help']}")
    return [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in BLOCKING]


def _fits_a_phone(page):
    """Nothing wider than the screen, and every tap target a fingertip tall and wide."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    small = page.evaluate(
        """(least) => [...document.querySelectorAll('label.tap, button, a.button')]
            .map(e => e.getBoundingClientRect())
            .filter(r => r.height < least || r.width < least).length""",
        FINGERTIP,
    )
    assert small == 0


@pytest.fixture
def phone(browser, live_server):
    """A phone with JavaScript off: the form must work without it."""
    errors = []
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, **PHONE)
    page = context.new_page()
    watch(page, errors)
    yield page
    assert errors == []
    context.close()


def test_it_reports_a_grade_two_swelling_at_72_hours_in_urdu_and_says_what_to_do_now(
    phone, screenshot, charted, clinic_a
):
    found = check_in(charted, 72)
    link = Message.objects.get(idempotency_key=f"checkin-{found.pk}").values["link"]

    phone.goto(urlsplit(link).path)

    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.get_by_role("heading", level=1)).to_have_text(_ur("How is your skin?"))
    expect(phone.locator("#clinic-phone")).to_have_text(clinic_a.phone_display)
    screenshot("form", of=phone)
    _fits_a_phone(phone)

    phone.get_by_role("radio", name=_ur(labels.SKIN["worried"])).tap()
    phone.get_by_role("checkbox", name=_ur(labels.EFFECTS["swelling"]), exact=True).tap()
    phone.get_by_label(_ur("Where on your body?")).fill("بایاں گال")
    phone.get_by_role("radio", name=_ur("Today")).tap()
    phone.get_by_role("radio", name=_ur(labels.SELF_RATING[2])).tap()
    phone.get_by_role("radio", name=_ur("Still there")).tap()
    expect(phone.get_by_role("radio", name=_ur(labels.SELF_RATING[2]))).to_be_checked()
    screenshot("answered", of=phone)

    phone.get_by_role("button", name=_ur("Send to the clinic")).tap()

    expect(phone.get_by_role("heading", level=1)).to_have_text(_ur("What to do now"))
    call = phone.get_by_role("link", name=_ur("Call the clinic"), exact=True)
    expect(call).to_have_attribute("href", f"tel:{clinic_a.phone}")
    expect(phone.locator(".advice")).to_contain_text(clinic_a.phone_display)
    expect(phone.locator(".advice")).to_contain_text(
        _ur("The clinic has been told about what you reported: a doctor will look at it.")
    )
    expect(phone.locator(".clinic-card")).to_contain_text(clinic_a.name)
    screenshot("what-to-do-now", of=phone)
    _fits_a_phone(phone)

    event = AdverseEvent.objects.get()
    assert (event.grade, event.triggers, event.is_open) == (2, ["grade"], True)
    assert Course.objects.get(pk=charted.course_id).status == Course.Status.PAUSED


def test_the_urdu_form_and_its_refusal_have_nothing_serious_for_a_screen_reader(
    browser, live_server, screenshot, charted
):
    context = browser.new_context(base_url=live_server.url, **PHONE)
    page = context.new_page()
    found = check_in(charted, 72)
    page.goto(
        urlsplit(Message.objects.get(idempotency_key=f"checkin-{found.pk}").values["link"]).path
    )
    assert _blocking(page, "form") == []

    # Ticked, but not said how bad: the refusal names it and links to the question.
    page.get_by_role("radio", name=_ur(labels.SKIN["some_problems"])).tap()
    page.get_by_role("checkbox", name=_ur(labels.EFFECTS["erythema"]), exact=True).tap()
    page.get_by_role("button", name=_ur("Send to the clinic")).tap()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text(_ur("Say how bad it is."))
    summary.get_by_role("link", name=_ur("Say how bad it is.")).tap()
    expect(page.locator("#id_how_bad_0")).to_be_focused()
    expect(
        page.get_by_role("checkbox", name=_ur(labels.EFFECTS["erythema"]), exact=True)
    ).to_be_checked()
    screenshot("refused", of=page)
    assert _blocking(page, "refused") == []
    context.close()


def test_it_sends_a_patient_whose_face_swells_to_emergency_care_in_english(
    phone, screenshot, charted, clinic_a
):
    phone.goto(form_url(check_in(charted, 24).pk))

    phone.get_by_role("radio", name="I am worried").tap()
    phone.get_by_role("checkbox", name=str(labels.EFFECTS["breathing_face_swelling"])).tap()
    phone.get_by_role("radio", name="Today").tap()
    phone.get_by_role("radio", name=str(labels.SELF_RATING[3])).tap()
    phone.get_by_role("radio", name="Still there").tap()
    phone.get_by_role("button", name="Send to the clinic").tap()

    expect(phone.get_by_role("heading", level=1)).to_have_text("What to do now")
    expect(phone.get_by_role("link", name="Call 1122")).to_have_attribute("href", "tel:1122")
    expect(phone.locator(".clinic-card")).to_contain_text(clinic_a.phone_display)
    screenshot("emergency", of=phone)
    _fits_a_phone(phone)
    assert AdverseEvent.objects.get().triggers == ["allergic", "grade"]
