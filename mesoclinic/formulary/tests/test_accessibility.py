"""The formulary pages a clinic manager uses pass axe-core's checks in English and in Urdu."""

import pytest

from mesoclinic.conftest import PASSWORD
from mesoclinic.formulary.models import ProtocolVersion
from mesoclinic.patients.tests.test_accessibility import blocking_violations
from mesoclinic.security.tests.browser import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "ur"])
def test_formulary_pages_have_no_serious_accessibility_violations(
    page, live_server, manager, lot_a, language
):
    version = ProtocolVersion.objects.first()
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(manager.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("button[type=submit].primary").click()
    pass_second_factor(page, manager.username)
    page.wait_for_url(f"{live_server.url}/")
    problems = {}
    for name, path in [
        ("stock", "/formulary/"),
        ("receive", "/formulary/lots/new/"),
        ("lot", f"/formulary/lots/{lot_a.pk}/"),
        ("recipients", f"/formulary/lots/{lot_a.pk}/recipients/"),
        ("products", "/formulary/products/"),
        ("protocols", "/formulary/protocols/"),
        ("version", f"/formulary/protocols/versions/{version.pk}/"),
        ("edit draft", f"/formulary/protocols/versions/{version.pk}/edit/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        problems[name] = blocking_violations(page)
    page.goto(f"{live_server.url}/formulary/lots/new/")
    page.locator("form.card button[type=submit]").click()  # an empty form: every error shown
    problems["receive with errors"] = blocking_violations(page)
    assert {name: found for name, found in problems.items() if found} == {}
