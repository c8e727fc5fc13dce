"""The issue's journey for "Report a side effect", in one real Chromium: Sana, signed in to the
portal on a cheap phone (360 × 740, touch, Urdu, JavaScript off), reports a moderate (grade 2)
swelling after her session at clinic A, is told what to do now and given the clinic's number;
at the desk, clinic A's dermatologist (signed in, second factor proved) finds the adverse event
in the clinic's aftercare queue. Screenshots in artifacts/screenshots/<database>/<test>/."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import expect

from mesoclinic.aftercare import labels
from mesoclinic.aftercare.models import CheckIn
from mesoclinic.care.models import AdverseEvent
from mesoclinic.care.tests.browser import watch
from mesoclinic.conftest import SecondFactorClient
from mesoclinic.patients.tests.test_accessibility import BLOCKING
from mesoclinic.portal.tests.conftest import PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]

FINGERTIP = 44


def _ur(text) -> str:
    """The Urdu the page shows for `text` (a msgid, or one of aftercare's lazy labels)."""
    with translation.override("ur"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def _signed_in(browser, live_server, client, user, **options):
    """A browser context carrying the session of `client` signed in as `user` (the sign-in
    pages are their own slice's journey)."""
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, **options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context


def _fits_a_phone(page):
    """Nothing wider than the screen, every tap target a fingertip tall and wide, and the page
    (without the font) under 100 KB."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    small = page.evaluate(
        """(least) => [...document.querySelectorAll('label.tap, button.big, a.button')]
            .map(e => e.getBoundingClientRect())
            .filter(r => r.height < least || r.width < least).length""",
        FINGERTIP,
    )
    assert small == 0
    assert len(page.content().encode()) < 100_000


def _blocking(page):
    violations = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in BLOCKING]


def test_it_reports_a_grade_two_swelling_in_urdu_and_the_clinics_queue_receives_it(
    browser, live_server, screenshot, portal_world, sana_session, dermatologist, clinic_a
):
    errors = []
    phone_context = _signed_in(
        browser, live_server, Client(), portal_world.user, java_script_enabled=False, **PHONE
    )
    phone = phone_context.new_page()
    watch(phone, errors)

    # The form, in Urdu, right to left, about her only session.
    phone.goto("/ur/portal/report/")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.get_by_role("heading", level=1)).to_have_text(_ur("Report a side effect"))
    expect(phone.locator(".about-session")).to_contain_text(clinic_a.name)
    expect(phone.locator("#clinic-phone")).to_have_text(clinic_a.phone_display)
    screenshot("phone-form", of=phone)
    _fits_a_phone(phone)

    phone.get_by_role("radio", name=_ur(labels.SKIN["worried"])).tap()
    phone.get_by_role("checkbox", name=_ur(labels.EFFECTS["swelling"]), exact=True).tap()
    phone.get_by_label(_ur("Where on your body?")).fill("بایاں گال")
    phone.get_by_role("radio", name=_ur("Today")).tap()
    phone.get_by_role("radio", name=_ur(labels.SELF_RATING[2])).tap()
    phone.get_by_role("radio", name=_ur("Still there")).tap()
    screenshot("phone-answered", of=phone)
    phone.get_by_role("button", name=_ur("Send to the clinic")).tap()

    # What to do now: call the clinic, its number a tap away; the address is the answer's own
    # (a reload sends nothing twice).
    expect(phone.get_by_role("heading", level=1)).to_have_text(_ur("What to do now"))
    assert "/ur/portal/report/" in phone.url and phone.url.rstrip("/").split("/")[-1].isdigit()
    call = phone.get_by_role("link", name=_ur("Call the clinic"), exact=True)
    expect(call).to_have_attribute("href", f"tel:{clinic_a.phone}")
    expect(phone.locator(".advice")).to_contain_text(clinic_a.phone_display)
    screenshot("phone-what-to-do-now", of=phone)
    _fits_a_phone(phone)
    phone.reload()
    assert CheckIn.objects.filter(kind=CheckIn.Kind.PATIENT).count() == 1
    event = AdverseEvent.objects.get()
    assert (event.grade, event.source, event.is_open) == (2, "patient", True)
    assert errors == []
    phone_context.close()

    # At the desk: clinic A's aftercare queue shows the event and the portal's check-in.
    desk_context = _signed_in(
        browser,
        live_server,
        SecondFactorClient(),
        dermatologist.user,
        viewport={"width": 1280, "height": 900},
    )
    desk = desk_context.new_page()
    watch(desk, errors)
    desk.goto(f"/aftercare/clinics/{clinic_a.pk}/queue/")
    row = desk.locator(f"[data-event='{event.pk}']")
    expect(row).to_contain_text("Grade 2")
    expect(row).to_contain_text(portal_world.at_a.mrn)
    expect(desk.locator("[data-list='check_ins']")).to_contain_text("The patient portal")
    screenshot("desk-queue", of=desk)
    desk.goto(f"/aftercare/events/{event.pk}/")
    expect(desk.locator("body")).to_contain_text("Reported by the patient")
    screenshot("desk-event", of=desk)
    assert errors == []
    desk_context.close()


def test_the_urdu_form_and_its_refusal_have_nothing_serious_for_a_screen_reader(
    browser, live_server, screenshot, portal_world, sana_session
):
    context = _signed_in(browser, live_server, Client(), portal_world.user, **PHONE)
    page = context.new_page()
    page.goto("/ur/portal/report/")
    assert _blocking(page) == []

    # Ticked, but not said how bad: the refusal names it next to the question, keeps the tick.
    page.get_by_role("radio", name=_ur(labels.SKIN["some_problems"])).tap()
    page.get_by_role("checkbox", name=_ur(labels.EFFECTS["erythema"]), exact=True).tap()
    page.get_by_label(_ur("Where on your body?")).fill("ماتھا")
    page.get_by_role("button", name=_ur("Send to the clinic")).tap()
    expect(page.locator("#how_bad-error")).to_contain_text(_ur("Say how bad it is."))
    expect(
        page.get_by_role("checkbox", name=_ur(labels.EFFECTS["erythema"]), exact=True)
    ).to_be_checked()
    expect(page.get_by_label(_ur("Where on your body?"))).to_have_value("ماتھا")
    screenshot("phone-refused", of=page)
    assert _blocking(page) == []
    context.close()
