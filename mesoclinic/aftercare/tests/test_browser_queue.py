"""The clinic's side of an escalation in a real Chromium: the dermatologist watches the
aftercare queue, a patient's grade-2 swelling appears in it by itself, the event shows the
paused course and the lots used, closing without an outcome is refused beside the field, and
closing with one resumes the course."""

import re

import pytest
from playwright.sync_api import expect

from mesoclinic.aftercare.tests.clinic_fixtures import escalated
from mesoclinic.care.models import AdverseEvent, Course
from mesoclinic.care.tests.browser import log_in, watch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]


@pytest.fixture
def desk(browser, live_server, js_errors):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch(page, js_errors)
    yield page
    context.close()


def test_a_severe_answer_reaches_the_queue_and_a_dermatologist_closes_it(
    desk, live_server, shots, js_errors, charted, dermatologist, settings
):
    settings.AFTERCARE_QUEUE_REFRESH_SECONDS = 1
    log_in(desk, live_server.url, dermatologist.user)
    desk.get_by_role("link", name="Aftercare queue").click()
    expect(desk.get_by_role("heading", name=re.compile("Aftercare queue"))).to_be_visible()
    expect(desk.locator("[data-list=events]")).to_contain_text("No open adverse event.")
    shots(desk, "queue-empty")

    event = escalated(charted)  # the patient answers the 72-hour check-in from their link
    row = desk.locator(f"[data-event='{event.pk}']")
    expect(row).to_contain_text("Grade 2", timeout=10_000)  # no reload: the queue refreshes
    shots(desk, "queue-with-event")

    row.get_by_role("link", name=event.reference).click()
    expect(desk.locator("#course-status")).to_contain_text("Paused")
    expect(desk.locator("#lots-before")).to_contain_text("TXA-A1")
    shots(desk, "event")

    desk.get_by_role("button", name="Close the event").click()
    expect(desk.locator("#close-form")).to_contain_text("Choose the outcome.")
    assert AdverseEvent.objects.get().is_open
    shots(desk, "close-refused")

    desk.get_by_label("Outcome", exact=True).select_option(label="Resolved")
    desk.get_by_label("Resume the course").check()
    desk.get_by_role("button", name="Close the event").click()
    expect(desk.locator("#event-status")).to_have_text("Closed")
    expect(desk.locator("#course-status")).to_contain_text("Active")
    shots(desk, "closed")
    assert Course.objects.get(pk=charted.course_id).status == Course.Status.ACTIVE
    assert js_errors == []
