"""The staff pages a receptionist uses all day pass axe-core's checks in English and in Urdu."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from mesoclinic.conftest import PASSWORD
from mesoclinic.patients.tests.message_fixtures import queue
from mesoclinic.security.tests.browser import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: axe-core impacts that block someone from using a page.
BLOCKING = {"serious", "critical"}


def blocking_violations(page):
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("language", ["en", "ur"])
def test_staff_pages_have_no_serious_accessibility_violations(
    page, live_server, receptionist, patient_a, language
):
    queue(patient_a.registered_clinic, patient_a)  # a row in each delivery log
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/accounts/login/")
    problems = {"login": blocking_violations(page)}
    page.locator("#id_username").fill(receptionist.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit].primary").click()
    pass_second_factor(page, receptionist.username)
    page.wait_for_url(f"{live_server.url}/")
    for name, path in [
        ("dashboard", "/"),
        ("patient list", "/patients/"),
        ("patient", f"/patients/{patient_a.pk}/"),
        ("messages", f"/staff/clinics/{patient_a.registered_clinic.slug}/messages/"),
        ("patient's messages", f"/patients/{patient_a.pk}/messages/"),
        ("registration form", "/patients/new/"),  # the last: its form is sent empty below
    ]:
        page.goto(f"{live_server.url}{path}")
        problems[name] = blocking_violations(page)
    page.locator("form.card button[type=submit]").click()  # an empty form: every error shown
    problems["form with errors"] = blocking_violations(page)
    assert {name: found for name, found in problems.items() if found} == {}
