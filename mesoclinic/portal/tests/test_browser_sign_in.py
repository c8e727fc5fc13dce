"""Sana signs in to the portal on a cheap phone (360 × 740, touch), in Urdu, with JavaScript
switched off: her mobile number and date of birth, then the code the worker sent to the fake SMS
gateway (a real local HTTP server), and she lands on her records at both clinics. axe-core finds
nothing serious on the two sign-in pages. Screenshots in artifacts/screenshots/<database>/<test>/.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from mesoclinic.care.tests.browser import watch
from mesoclinic.patients.tests.test_accessibility import BLOCKING
from mesoclinic.portal.tests.conftest import PHONE, SANA_BORN, SANA_MOBILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URDU = re.compile(r"[\u0600-\u06FF]")


def no_serious_violation(page) -> None:
    found = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in BLOCKING]
    assert found == []


def test_a_patient_signs_in_in_urdu_with_the_code_from_her_phone(
    browser, live_server, screenshot, portal_world, fake_providers, run_task_worker
):
    errors: list = []
    context = browser.new_context(**PHONE, java_script_enabled=False)
    phone = context.new_page()
    watch(phone, errors)

    phone.goto(f"{live_server.url}/ur/portal/sign-in/")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("h1")).to_have_text(URDU)
    screenshot("sign-in-page", of=phone)

    phone.locator("#id_mobile").fill("0333-5550101")
    phone.locator("#id_date_of_birth").fill(SANA_BORN.isoformat())
    screenshot("number-and-date-of-birth-typed", of=phone)
    phone.locator("form button[type=submit]").click()

    expect(phone).to_have_url(re.compile(r"/ur/portal/sign-in/code/$"))
    expect(phone.locator("[role=status]")).to_have_text(URDU)
    screenshot("code-page", of=phone)

    # The worker sends the code; the phone receives it from the fake SMS gateway.
    run_task_worker()
    [delivery] = fake_providers.deliveries
    assert (delivery.provider, delivery.to) == ("sms", SANA_MOBILE)
    code = re.search(r"\b\d{6}\b", delivery.text).group()
    assert URDU.search(delivery.text)
    for detail in ("Sana", "Malik", "Clinic", portal_world.at_a.mrn):
        assert detail not in delivery.text

    phone.locator("#id_code").fill(code)
    screenshot("code-typed", of=phone)
    phone.locator("form button[type=submit]").click()

    expect(phone).to_have_url(f"{live_server.url}/ur/portal/")
    expect(phone.get_by_text("Clinic A Islamabad")).to_be_visible()
    expect(phone.get_by_text("Clinic B Lahore")).to_be_visible()
    screenshot("signed-in-portal-home", of=phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []
    context.close()


def test_the_sign_in_pages_pass_axe_in_urdu(browser, live_server, portal_world):
    context = browser.new_context(**{**PHONE, "java_script_enabled": True})
    phone = context.new_page()
    phone.goto(f"{live_server.url}/ur/portal/sign-in/")
    no_serious_violation(phone)
    phone.locator("#id_mobile").fill("123")
    phone.locator("form button[type=submit]").click()
    expect(phone.locator("#id_mobile_error")).to_be_visible()
    no_serious_violation(phone)
    phone.locator("#id_mobile").fill("0333-5550101")
    phone.locator("#id_date_of_birth").fill(SANA_BORN.isoformat())
    phone.locator("form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/ur/portal/sign-in/code/$"))
    no_serious_violation(phone)
    context.close()
