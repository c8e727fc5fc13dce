"""Sana moves a follow-up on a cheap phone (360 × 740, touch), in Urdu, in a real Chromium with
JavaScript switched off: her bookings, the next days' free times with the same doctor, one tap
on another time, and the list shows the new time. Script-driven checks (axe-core, the page's
width) hang with JavaScript off, so the portal-wide page checks hold those. Screenshots in
artifacts/screenshots/<database>/<test>/."""

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from mesoclinic.appointments import services
from mesoclinic.appointments.models import Appointment
from mesoclinic.appointments.tests.fixtures import at, day_ahead, open_every_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ur(text: str) -> str:
    with translation.override("ur"):
        return translation.gettext(text)


def test_she_moves_a_follow_up_to_another_free_time_in_urdu_on_a_phone(
    phone, screenshot, portal_world, make_practitioner, administrator
):
    clinic = portal_world.at_a.registered_clinic
    doctor = make_practitioner("derm_portal", clinic)
    open_every_day(clinic, [doctor])
    appointment = services.book(
        acting_user=administrator,
        clinic=clinic,
        appointment_type=clinic.appointment_types.get(code="follow_up"),
        start=at(day_ahead(7), 10),
        patient=portal_world.at_a,
    )

    phone.goto("/ur/portal/bookings/")
    expect(phone.get_by_role("heading", name=_ur("My bookings"))).to_be_visible()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    screenshot("bookings", of=phone)

    phone.get_by_role("link", name=_ur("Choose another time")).click()
    expect(phone.get_by_role("heading", name=_ur("Choose another time"))).to_be_visible()
    screenshot("free-times", of=phone)

    new = at(day_ahead(3), 14)
    phone.locator(f'button[name="start"][value="{timezone.localtime(new):%Y-%m-%dT%H:%M}"]').click()

    expect(phone.get_by_role("heading", name=_ur("My bookings"))).to_be_visible()
    expect(phone.get_by_role("status")).to_contain_text(_ur("Moved. Your new time: %(when)s.")[:8])
    expect(phone.locator("main")).to_contain_text("14:00")
    screenshot("moved", of=phone)
    appointment.refresh_from_db()
    assert Appointment.objects.get(pk=appointment.pk).starts_at == new
