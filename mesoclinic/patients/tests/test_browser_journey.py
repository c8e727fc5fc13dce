"""A receptionist's first morning, in a real Chromium: log in, register a patient whose CNIC is
typed in Urdu digits, find them again by mobile, and fail to open another clinic's patient."""

import re

import pytest
from playwright.sync_api import expect

from mesoclinic.audit.models import AuditEvent
from mesoclinic.conftest import PASSWORD
from mesoclinic.patients.models import Patient
from mesoclinic.security.tests.browser import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_receptionist_registers_finds_and_is_kept_out_of_another_clinic(
    page, live_server, screenshot, receptionist, clinic_a, patient_b
):
    page.set_viewport_size({"width": 412, "height": 915})  # a phone at the front desk

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Username").fill(receptionist.username)
    page.get_by_label("Password").fill(PASSWORD)
    screenshot("login")
    page.get_by_role("button", name="Log in").click()
    pass_second_factor(page, receptionist.username)
    expect(page.get_by_role("heading", name="Your clinics")).to_be_visible()
    screenshot("dashboard")

    page.get_by_role("link", name="Register patient").first.click()
    page.get_by_label("First name").fill("Mahnoor")
    page.get_by_label("Last name").fill("Abbasi")
    page.get_by_label("Name in Urdu script").fill("ماہ نور عباسی")
    page.get_by_label("Date of birth").fill("1994-09-12")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("CNIC").fill("۶۱۱۰۱-۷۶۵۴۳۲۱-۴")
    page.get_by_label("Mobile", exact=True).fill("0312-4567890")
    screenshot("registration-form")
    page.get_by_role("button", name="Register").click()

    expect(page.locator("#cnic")).to_have_text("61101-7654321-4")
    expect(page.locator("#mobile")).to_have_text("0312 4567890")
    mrn = page.locator("#mrn").inner_text()
    screenshot("registered")
    assert Patient.objects.get(mrn=mrn).cnic == "6110176543214"

    page.get_by_role("link", name="Patients", exact=True).click()
    page.get_by_role("searchbox").fill("03124567890")
    results = page.locator("#results")
    expect(results).to_contain_text(mrn)
    expect(results.locator("tbody tr")).to_have_count(1)  # Mahnoor alone
    screenshot("found-by-mobile")

    response = page.goto(f"{live_server.url}/patients/{patient_b.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(patient_b.first_name)
    screenshot("other-clinic-404")
    assert AuditEvent.objects.filter(
        action="denied", actor=receptionist, object_id=str(patient_b.pk)
    ).exists()

    # The language switcher keeps the page and turns it right-to-left.
    page.goto(f"{live_server.url}/patients/{Patient.objects.get(mrn=mrn).pk}/")
    page.get_by_role("button", name="اردو").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.locator("#mrn")).to_have_text(mrn)
    expect(page.get_by_role("heading", name="شناخت")).to_be_visible()  # "Identity"
    screenshot("patient-in-urdu")


def test_bad_input_is_explained_in_the_browser_and_what_was_typed_stays(
    page, live_server, screenshot, receptionist, clinic_a
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(receptionist.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_second_factor(page, receptionist.username)
    page.goto(f"{live_server.url}/patients/new/")
    page.get_by_label("First name").fill("Kiran")
    page.get_by_label("Date of birth").fill("2999-01-01")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("CNIC").fill("35202-123")
    page.get_by_label("Mobile", exact=True).fill("0300-12")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("The date of birth is in the future.")).to_be_visible()
    expect(page.get_by_text("A CNIC has 13 digits")).to_be_visible()
    expect(page.get_by_text("This is not a valid mobile number")).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Kiran")
    screenshot("errors")
    assert not Patient.objects.exists()
