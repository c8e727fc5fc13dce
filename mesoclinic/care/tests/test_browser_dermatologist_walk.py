"""The dermatologist's walk of issue 15, again, in a real Chromium on a tablet: a melasma
patient's first session charted, then a second one tried the same evening. The start page
says before the questions that the gate will refuse, naming the last session's date; starting
anyway (even with a dermatologist's reason) is refused and saves nothing."""

import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from mesoclinic.care.models import TreatmentSession
from mesoclinic.care.tests.browser import log_in
from mesoclinic.care.tests.test_browser_sessions import (
    TABLET,
    Effort,
    chart_in_browser,
    start_in_browser,
)
from mesoclinic.formulary.models import StockMovement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]


@pytest.fixture
def tablet(browser, live_server, js_errors):
    from mesoclinic.care.tests.browser import watch

    context = browser.new_context(base_url=live_server.url, **TABLET)
    page = context.new_page()
    watch(page, js_errors)
    yield page
    context.close()


def test_a_second_session_the_same_evening_is_refused_naming_the_interval(
    tablet, live_server, shots, js_errors, dermatologist, make_ready, make_patient, clinic_a
):
    patient = make_patient(clinic_a, first_name="Ayesha", last_name="Raza")
    plan = make_ready(patient)
    log_in(tablet, live_server.url, dermatologist.user)
    tablet.goto(f"{live_server.url}/care/courses/{plan.pk}/")
    tablet.get_by_role("link", name="Chart the next session").tap()
    effort = Effort()
    start_in_browser(tablet, effort, pregnant=False)
    chart_in_browser(tablet, effort, volume="2")
    effort.tap(tablet.get_by_role("button", name="Chart session"))
    expect(tablet).to_have_url(re.compile(r"/care/sessions/\d+/$"))
    assert TreatmentSession.objects.count() == 1
    drawn = StockMovement.objects.count()

    # Eight minutes later, the same course again.
    tablet.goto(f"{live_server.url}/care/courses/{plan.pk}/")
    tablet.get_by_role("link", name="Chart the next session").tap()
    today = date_format(timezone.localdate(), "j F Y")
    known = tablet.locator("#gate-known")
    expect(known).to_contain_text(f"last session was on {today}")
    expect(known).to_contain_text("never allowed")
    shots(tablet, "same-evening-start-page")

    tablet.get_by_text("Override the protocol's interval").tap()
    tablet.get_by_label(re.compile("clinical reason to start before")).fill(
        "The patient travels tomorrow."
    )
    start_in_browser(tablet, Effort(), pregnant=False)
    refused = tablet.locator("#gate-refused")
    expect(refused).to_contain_text("a second session of the same course on the same day")
    expect(tablet).to_have_url(re.compile(rf"/care/courses/{plan.pk}/sessions/start/$"))
    expect(tablet.locator("#session-form")).to_have_count(0)
    shots(tablet, "same-evening-refused")
    assert TreatmentSession.objects.count() == 1
    assert StockMovement.objects.count() == drawn
    assert js_errors == []


def test_a_fourteen_year_old_needs_a_dermatologists_review_before_any_treatment(
    page, live_server, shots, js_errors, dermatologist, make_patient, clinic_a
):
    from datetime import date

    from mesoclinic.care.models import Consultation
    from mesoclinic.care.tests.browser import fill_consultation

    today = timezone.localdate()
    born = date(today.year - 14, today.month, min(today.day, 28))
    patient = make_patient(clinic_a, first_name="Hira", last_name="Shah", date_of_birth=born)
    log_in(page, live_server.url, dermatologist.user)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="New consultation").click()
    fill_consultation(page)
    decision = page.locator("#decision")
    expect(decision).not_to_contain_text("Not answered yet")  # every answer reached the card
    expect(decision.locator("[data-decision]")).to_have_attribute("data-decision", "needs_review")
    expect(decision.locator('[data-code="minor"]')).to_contain_text(
        "a credentialed dermatologist reviews the screening"
    )
    shots(page, "fourteen-year-old-needs-review")
    page.get_by_role("button", name="Record consultation").click()
    expect(page).to_have_url(re.compile(r"/care/consultations/\d+/$"))
    assert Consultation.objects.get().decision == "needs_review"
    assert js_errors == []
