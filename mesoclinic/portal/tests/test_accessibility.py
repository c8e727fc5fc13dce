"""Every portal page passes axe-core's checks in English and in Urdu, in Chromium on a phone-sized
screen (360×740), as the signed-in patient and, for the public pages, as a visitor.

The pages come from the table (`pages.py`): a slice's new page is checked as soon as it has its
line there. Serious and critical violations fail the test; every violation is printed, so the
minor ones can be fixed too. A screenshot of each page is kept under artifacts/screenshots/.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from mesoclinic.portal.tests import pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
#: axe-core impacts that block someone from using a page.
BLOCKING = {"serious", "critical"}


def _violations(axe, page, name):
    """All violations on the page, printed; the blocking ones returned as readable lines."""
    found = axe.run(page).response["violations"]
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        f"{[node['target'] for node in v['nodes']][:3]} {v['helpUrl']}"
        for v in found
    ]
    for line in lines:
        print(f"[{page.url}] {name}: {line}")
    return [line for line, v in zip(lines, found, strict=True) if v["impact"] in BLOCKING]


def _sign_in(page, live_server, user):
    """The patient's session, made by a `force_login`-ed client, in the browser (the code flow
    itself is the sign-in slice's journey)."""
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    page.context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )


@pytest.mark.parametrize("language", ["en", "ur"])
def test_it_finds_no_serious_accessibility_violation_on_any_portal_page(
    page, live_server, screenshot, portal_world, language
):
    page.set_viewport_size(PHONE)
    axe = Axe()
    problems = {}
    values = pages.values(portal_world)

    def check(name, url):
        page.goto(f"{live_server.url}{url}")
        screenshot(re.sub(r"\W+", "-", name).strip("-"))
        problems[name] = _violations(axe, page, name)

    for entry in pages.get_pages():
        if not entry.signed_in:
            check(f"{entry.name} visitor", entry.url(values, language))
    _sign_in(page, live_server, portal_world.user)
    for entry in pages.get_pages():
        check(f"{entry.name} patient", entry.url(values, language))

    assert problems, "no portal page was checked"
    assert {name: found for name, found in problems.items() if found} == {}
