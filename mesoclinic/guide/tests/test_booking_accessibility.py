"""The booking pages pass axe-core's checks in English and in Urdu on a phone: the clinic page
with its free times, the form (and with errors), the code page (and after a wrong code), the
booked page, the "time taken" page with alternatives and the rate-limit page. Serious and
critical violations fail; every violation is printed."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from mesoclinic.appointments import services
from mesoclinic.appointments.models import VisitorBooking
from mesoclinic.appointments.tests.fixtures import at, day_ahead, type_at
from mesoclinic.guide.tests.booking_fixtures import bookable, param, sent_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
BLOCKING = {"serious", "critical"}


def blocking(axe, page, name):
    found = axe.run(page).response["violations"]
    for v in found:
        print(f"[{page.url}] {name}: {v['id']} ({v['impact']}): {v['help']}")
    return [f"{name}: {v['id']}" for v in found if v["impact"] in BLOCKING]


def submit(page):
    page.locator("main form button[type=submit]").first.click()


@pytest.mark.parametrize("lang", ["en", "ur"])
def test_the_booking_pages_pass_axe(
    page, live_server, clinic_a, make_practitioner, patient_a, receptionist, settings, lang
):
    bookable(clinic_a, make_practitioner)
    settings.VISITOR_CODES_PER_MOBILE_HOUR = 2
    day = day_ahead()
    base = f"{live_server.url}/{lang}/clinics/clinic-a"
    axe, problems = Axe(), []
    page.set_viewport_size(PHONE)

    page.goto(f"{base}/?day={day:%Y-%m-%d}")
    problems += blocking(axe, page, "clinic page with times")

    page.goto(f"{base}/book/?start={param(at(day, 10))}")
    submit(page)  # empty: every field named
    problems += blocking(axe, page, "form with errors")
    page.locator("#id_name").fill("Ayesha Khan")
    page.locator("#id_mobile").fill("0300-1234567")
    page.locator("#id_agree").check()
    submit(page)
    problems += blocking(axe, page, "code page")
    booking = VisitorBooking.objects.latest("id")
    page.locator("#id_code").fill(f"{(int(sent_code(booking)) + 1) % 1_000_000:06d}")
    submit(page)
    problems += blocking(axe, page, "wrong code")
    page.locator("#id_code").fill(sent_code(booking))
    submit(page)
    problems += blocking(axe, page, "booked")

    # A second request whose time is taken before the code comes: the alternatives.
    page.goto(f"{base}/book/?start={param(at(day, 11))}")
    page.locator("#id_name").fill("Ayesha Khan")
    page.locator("#id_mobile").fill("0300-1234567")
    page.locator("#id_agree").check()
    submit(page)
    second = VisitorBooking.objects.latest("id")
    services.book(
        acting_user=receptionist,
        clinic=clinic_a,
        appointment_type=type_at(clinic_a, "consultation"),
        start=at(day, 11),
        patient=patient_a,
    )
    page.locator("#id_code").fill(sent_code(second))
    submit(page)
    problems += blocking(axe, page, "time taken")

    # A third code to the same number within the hour: refused (429).
    page.goto(f"{base}/book/?start={param(at(day, 14))}")
    page.locator("#id_name").fill("Ayesha Khan")
    page.locator("#id_mobile").fill("0300-1234567")
    page.locator("#id_agree").check()
    submit(page)
    problems += blocking(axe, page, "too many")

    assert problems == []
