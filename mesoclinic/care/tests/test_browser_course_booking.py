"""A receptionist books a patient's whole course from the worklist in a real Chromium: the
proposal lists every date, one click books them all, and the booked appointments are shown.
Afterwards the outbox holds the reminders (once the reminders slice fills
`appointments.reminders`: see the TODO below)."""

import pytest
from playwright.sync_api import expect

from mesoclinic.appointments.models import Appointment
from mesoclinic.appointments.tests.fixtures import open_every_day
from mesoclinic.care.tests.browser import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]


def test_a_receptionist_books_a_whole_course_from_the_worklist(
    page,
    live_server,
    screenshot,
    js_errors,
    receptionist,
    dermatologist,
    make_patient,
    clinic_a,
    consult,
    plan,
):
    open_every_day(clinic_a, [dermatologist])
    patient = make_patient(clinic_a, first_name="Hina", last_name="Course")
    consult(dermatologist.user, patient, planned_ingredients=["tranexamic_acid"])
    course = plan(dermatologist.user, patient, sessions=4, interval_days=21)

    log_in(page, live_server.url, receptionist)
    sessions_to_book = page.locator("[data-list=this_week]")
    expect(sessions_to_book).to_contain_text("Hina")
    screenshot("worklist")
    sessions_to_book.get_by_role("link", name="Book the whole course").click()

    expect(page.get_by_role("heading", name="Book the whole course")).to_be_visible()
    proposal = page.locator("#proposal tbody tr")
    expect(proposal).to_have_count(5)  # four sessions and the maintenance visit
    expect(page.locator("#proposal")).to_contain_text("Maintenance")
    expect(page.locator("body")).not_to_contain_text(course.protocol_version.protocol.display_name)
    screenshot("proposal")

    page.get_by_role("button", name="Book the whole course").click()

    booked = page.locator("#booked tbody tr")
    expect(booked).to_have_count(5)
    expect(page.locator("#booked")).to_contain_text("Session 1 of 4")
    screenshot("booked")
    assert Appointment.objects.filter(series__course_id=course.pk, patient=patient).count() == 5
    # TODO(lead, after merging the reminders slice): the outbox holds each appointment's
    # confirmation and reminders, e.g.
    #   from mesoclinic.notifications.models import Message
    #   assert Message.objects.filter(subject__startswith="appointments.appointment:").exists()
    assert js_errors == []
