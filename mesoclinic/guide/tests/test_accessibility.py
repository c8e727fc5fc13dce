"""The public pages pass axe-core's checks in English and in Urdu, on a phone-sized screen.

Every page a visitor meets is checked: the guide, a topic with its picture, the questions,
search results, the self-check (empty, with errors, and each of its three verdicts), the clinic
finder, a clinic page (and its form with errors), the "request sent" page, the 404 page and the
page of an aftercare link that opens nothing.
Serious and critical violations fail the test; every violation found is printed, so the
minor ones can be fixed too.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from mesoclinic.guide.tests.test_browser_journey import (
    PHONE,
    QUESTIONS,
    load_shipped_content,
    staff_clinic,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: axe-core impacts that block someone from using a page.
BLOCKING = {"serious", "critical"}

#: A search each language's visitors would type.
SEARCH = {"en": "pain", "ur": "حمل"}

#: Self-check answers for each verdict ("no" to every other question).
VERDICTS = {
    "book a consultation": {},
    "talk to a doctor": {"blood_thinners": "yes"},
    "not suitable now": {"pregnant": "yes"},
}


@pytest.fixture(autouse=True)
def shipped_content(transactional_db):
    """The guide and rules the migrations loaded, which the last transactional test flushed."""
    load_shipped_content()


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


def _answer_self_check(page, answers):
    page.check("input[name=concern][value=melasma]")
    page.check(f"input[name=age][value={answers.get('age', 'adult')}]")
    for question in QUESTIONS:
        page.check(f"input[name={question}][value={answers.get(question, 'no')}]")
    page.locator("form.selfcheck button[type=submit]").click()
    page.wait_for_selector(".verdict")


@pytest.mark.parametrize("language", ["en", "ur"])
def test_public_pages_have_no_serious_accessibility_violations(
    page, live_server, screenshot, make_practitioner, clinic_a, language
):
    staff_clinic(clinic_a, make_practitioner=make_practitioner)
    page.set_viewport_size(PHONE)
    base = f"{live_server.url}/{language}"
    axe = Axe()
    problems = {}

    def check(name):
        """Check the page on screen, and keep a screenshot of it to look at."""
        screenshot(re.sub(r"\W+", "-", name).strip("-"))
        problems[name] = _violations(axe, page, name)

    for name, path in [
        ("guide index", "/guide/"),
        ("topic with the timeline picture", "/guide/treatment-timeline/"),
        ("questions and answers", "/guide/faq/"),
        ("search results", f"/guide/search/?q={SEARCH[language]}"),
        ("search with nothing found", "/guide/search/?q=zzzzqx"),
        ("clinic finder", "/clinics/?city=Islamabad"),
        ("clinic page", f"/clinics/{clinic_a.slug}/"),
        ("request sent", f"/clinics/{clinic_a.slug}/sent/"),
        ("page not found", "/guide/no-such-topic/"),
        ("aftercare link that opens nothing", "/aftercare/1.not.ours/"),
        ("self-check", "/self-check/"),
    ]:
        page.goto(f"{base}{path}")
        check(name)

    # Still on the self-check: send it empty, then once for each verdict.
    page.locator("form.selfcheck button[type=submit]").click()
    page.wait_for_selector("#missing")
    check("self-check with missing answers")
    for verdict, answers in VERDICTS.items():
        page.goto(f"{base}/self-check/")
        _answer_self_check(page, answers)
        check(f"self-check result: {verdict}")

    # The request form with every kind of error shown.
    page.goto(f"{base}/clinics/{clinic_a.slug}/")
    page.locator("#id_mobile").fill("12345")
    page.locator("#request button[type=submit]").click()
    page.wait_for_selector("#request .field-error")
    check("request form with errors")

    assert {name: found for name, found in problems.items() if found} == {}
