"""The day view in a real Chromium: a receptionist sees an appointment, moves it with the
keyboard (Tab to its Move link, a day's free times, Enter on one), then drags it to another
quarter hour, and a drop on a taken time shows the refusal beside the grid. A phone shows the
same day as a list. Screenshots land in artifacts/screenshots/<database>/<test>/."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mesoclinic.appointments.tests.fixtures import at
from mesoclinic.appointments.tests.pages import book, day_url
from mesoclinic.conftest import PASSWORD
from mesoclinic.security.tests.browser import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}


def watch(page, errors):
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("response", lambda r: r.status >= 500 and errors.append(f"{r.status} {r.url}"))


def log_in(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_second_factor(page, user.username)
    expect(page.get_by_role("heading", name="Your clinics")).to_be_visible()


def tab_to(page, name, most=60):
    """Press Tab until the focused element is the link or button called `name`."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"{name!r} is not reachable with Tab")


def cell(ready, hhmm):
    """The day grid's cell of the doctor's column at `hhmm`."""
    return f'td[data-start="{ready.day.isoformat()}T{hhmm}"][data-practitioner="{ready.doctor.pk}"]'


def test_it_moves_an_appointment_by_keyboard_and_by_drag(
    page, browser, live_server, ready, receptionist, make_patient, screenshot
):
    errors = []
    watch(page, errors)
    appointment = book(ready, receptionist, hour=10)
    book(ready, receptionist, hour=12, patient=make_patient(ready.clinic, first_name="Other"))
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, receptionist)

    page.goto(live_server.url + day_url(ready))
    card = page.locator(f'[data-appointment="{appointment.pk}"]').first
    expect(card).to_contain_text("Zainab Qureshi")
    expect(card).to_contain_text("10:00–10:30")
    screenshot("day-view")

    # The keyboard's way: Tab to the card's Move link, find the day's free times, pick 14:00.
    tab_to(page, "Move")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Move to another time")).to_be_visible()
    tab_to(page, "Find free times")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="14:00")).to_be_visible()
    screenshot("free-times")
    tab_to(page, "14:00", most=120)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Moved to")).to_be_visible()
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at) == at(ready.day, 14)
    screenshot("moved-by-keyboard")

    # Drag and drop: onto 15:00 in the doctor's column.
    page.goto(live_server.url + day_url(ready))
    target = (
        f'td[data-start="{ready.day.isoformat()}T15:00"][data-practitioner="{ready.doctor.pk}"]'
    )
    page.locator(f'.day-grid [data-appointment="{appointment.pk}"]').drag_to(page.locator(target))
    expect(page.locator(f'{target} [data-appointment="{appointment.pk}"]')).to_be_visible()
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at) == at(ready.day, 15)
    screenshot("moved-by-drag")

    # A drop on a taken time: the refusal is shown, nothing moves.
    taken = cell(ready, "12:00")
    page.locator(f'.day-grid [data-appointment="{appointment.pk}"]').drag_to(page.locator(taken))
    expect(page.locator("[data-drag-status]")).to_contain_text("already booked")
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at) == at(ready.day, 15)
    screenshot("drop-refused")

    # A phone: the same day as a list.
    phone_context = browser.new_context(**PHONE)
    phone = phone_context.new_page()
    watch(phone, errors)
    log_in(phone, live_server.url, receptionist)
    phone.goto(live_server.url + day_url(ready))
    expect(phone.locator(".day-list")).to_contain_text("Zainab Qureshi")
    expect(phone.locator(".day-grid")).to_be_hidden()
    screenshot("phone-list", of=phone)
    phone_context.close()

    assert errors == []


def test_it_books_from_the_patients_page(page, live_server, ready, receptionist, screenshot):
    """Patient page → Book an appointment → a type, anyone, a day → a free time → booked."""
    errors = []
    watch(page, errors)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, receptionist)

    page.goto(f"{live_server.url}/patients/{ready.patient.pk}/")
    page.get_by_role("link", name="Book an appointment").click()
    page.locator("#id_type").select_option(str(ready.type("consultation").pk))
    page.get_by_label("Date").fill(ready.day.isoformat())
    page.get_by_role("button", name="Find free times").click()
    expect(page.get_by_role("button", name="11:00")).to_be_visible()
    screenshot("free-times")
    page.get_by_role("button", name="11:00").click()

    expect(page.get_by_text("Booked.")).to_be_visible()
    expect(page.get_by_role("heading", name="Consultation: Zainab Qureshi")).to_be_visible()
    screenshot("booked")
    assert errors == []
