"""The issue's journey, end to end in one real Chromium: on a phone in Urdu the patient opens
the 72-hour check-in link from their message and reports a grade-2 swelling; at the desk the
dermatologist's aftercare queue shows the adverse event, the course page says it is paused,
the next session's start page refuses naming the event, and the dermatologist closes it with
an outcome, after which the start page no longer names it. Screenshots in
artifacts/screenshots/<database>/<test>/."""

import re
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import expect

from mesoclinic.aftercare import labels
from mesoclinic.aftercare.tests.check_in_helpers import check_in
from mesoclinic.care.models import AdverseEvent, Course
from mesoclinic.care.tests.browser import log_in, watch
from mesoclinic.notifications.models import Message

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]

PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}


def _ur(text) -> str:
    with translation.override("ur"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


@pytest.fixture
def phone(browser, live_server, js_errors):
    context = browser.new_context(base_url=live_server.url, locale="ur-PK", **PHONE)
    page = context.new_page()
    watch(page, js_errors)
    yield page
    context.close()


@pytest.fixture
def desk(browser, live_server, js_errors):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch(page, js_errors)
    yield page
    context.close()


def test_a_patients_grade_two_swelling_pauses_the_course_until_a_dermatologist_closes_it(
    phone, desk, live_server, screenshot, js_errors, charted, dermatologist, clinic_a
):
    # The patient, on a phone, from the 72-hour message (Urdu: the patient's language).
    found = check_in(charted, 72)
    link = Message.objects.get(idempotency_key=f"checkin-{found.pk}").values["link"]
    assert "/ur/check-in/" in link
    phone.goto(urlsplit(link).path)
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    phone.get_by_role("radio", name=_ur(labels.SKIN["worried"])).tap()
    phone.get_by_role("checkbox", name=_ur(labels.EFFECTS["swelling"]), exact=True).tap()
    phone.get_by_label(_ur("Where on your body?")).fill("بایاں گال")
    phone.get_by_role("radio", name=_ur("Today")).tap()
    phone.get_by_role("radio", name=_ur(labels.SELF_RATING[2])).tap()
    phone.get_by_role("radio", name=_ur("Still there")).tap()
    screenshot("phone-answered", of=phone)
    phone.get_by_role("button", name=_ur("Send to the clinic")).tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text(_ur("What to do now"))
    expect(phone.locator(".advice")).to_contain_text(clinic_a.phone_display)
    screenshot("phone-what-to-do-now", of=phone)
    event = AdverseEvent.objects.get()

    # The dermatologist's queue shows it; the course is paused.
    log_in(desk, live_server.url, dermatologist.user)
    desk.get_by_role("link", name="Aftercare queue").click()
    row = desk.locator(f"[data-event='{event.pk}']")
    expect(row).to_contain_text("Grade 2")
    screenshot("queue", of=desk)
    desk.goto(f"/care/courses/{charted.course_id}/")
    expect(desk.locator("body")).to_contain_text("Paused")
    screenshot("course-paused", of=desk)

    # The next session's start is refused, naming the event.
    desk.goto(f"/care/courses/{charted.course_id}/sessions/start/")
    refusal = desk.locator("#gate-known")
    expect(refusal).to_contain_text(f"Adverse event {event.reference} is open")
    screenshot("start-refused", of=desk)

    # The dermatologist closes it with an outcome and resumes the course.
    desk.goto(f"/aftercare/events/{event.pk}/")
    desk.get_by_label("Outcome", exact=True).select_option(label="Resolved")
    desk.get_by_label("Resume the course").check()
    desk.get_by_role("button", name="Close the event").click()
    expect(desk.locator("#event-status")).to_have_text("Closed")
    screenshot("closed", of=desk)
    closed = AdverseEvent.objects.get()
    assert (closed.outcome, closed.dermatologist_id) == ("resolved", dermatologist.pk)
    assert Course.objects.get(pk=charted.course_id).status == Course.Status.ACTIVE

    desk.goto(f"/care/courses/{charted.course_id}/sessions/start/")
    expect(desk.locator("body")).not_to_contain_text(re.compile(r"Adverse event AE-\d+ is open"))
    screenshot("start-no-longer-names-it", of=desk)
    assert js_errors == []
