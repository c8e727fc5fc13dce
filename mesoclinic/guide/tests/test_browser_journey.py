"""A visitor on a phone, in a real Chromium: reads the guide in Urdu, searches it in English and
Urdu, takes the self-check, finds a clinic in Islamabad with a verified doctor and asks for an
appointment; then the clinic's receptionist finds the request in the staff inbox.

The guide's topics, questions, concerns, timeline, search index and screening rules are loaded
by data migrations, and a transactional test flushes the database when it ends. So each test
loads the shipped content again, with the code the migrations use (on SQLite the new search
rows fill the FTS5 index through its triggers). A serialized rollback does not do it here:
pytest-django keeps the snapshot on the thread's database connection, and once Playwright runs
an event loop in the test thread Django hands the test a different connection object, without
the snapshot, whenever a test without a browser set up the database first (the whole suite).
"""

import importlib
import re
from datetime import time

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from mesoclinic.clinics.models import OpeningHours, Service
from mesoclinic.conftest import PASSWORD
from mesoclinic.guide.services import rebuild_search_index
from mesoclinic.patients.models import Enquiry
from mesoclinic.security.tests.browser import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
URDU = re.compile(r"[\u0600-\u06FF]")
REGISTRATION = "12345-P"
#: The self-check's yes/no questions (the concern and the condition boxes aside).
QUESTIONS = (
    "pregnant",
    "breastfeeding",
    "planning_pregnancy",
    "allergy",
    "infection",
    "blood_thinners",
    "isotretinoin",
)
SEED_MIGRATIONS = (
    "mesoclinic.guide.migrations.0003_content_v1",
    "mesoclinic.guide.migrations.0004_worklist_cellulite_note",
    "mesoclinic.care.migrations.0002_rules_v1",
)


def load_shipped_content():
    """Run the data migrations' own loaders again (guide 0003 and 0004, care 0002; each
    creates or updates), then index: transactional tests flush what the migrations loaded."""
    for module in SEED_MIGRATIONS:
        importlib.import_module(module).forwards(django_apps, None)
    rebuild_search_index()


@pytest.fixture(autouse=True)
def shipped_content(transactional_db):
    load_shipped_content()


def staff_clinic(clinic, *, make_practitioner):
    """Give `clinic` hours with a prayer break, a service and a dermatologist whose PMDC
    registration is recorded and verified (so the public pages list her)."""
    OpeningHours.objects.create(clinic=clinic, weekday=0, opens=time(11), closes=time(13))
    OpeningHours.objects.create(clinic=clinic, weekday=0, opens=time(14), closes=time(19))
    OpeningHours.objects.create(clinic=clinic, weekday=5, opens=time(10), closes=time(16))
    service, _created = Service.objects.get_or_create(
        code="melasma", defaults={"name": "Melasma", "name_ur": "میلازما"}
    )
    clinic.services.add(service)
    practitioner = make_practitioner("dr_sana", clinic, number=REGISTRATION)
    user = practitioner.user
    user.first_name, user.last_name = "Sana", "Malik"
    user.save(update_fields=["first_name", "last_name"])
    return practitioner


@pytest.fixture
def islamabad_clinic(clinic_a, make_practitioner):
    staff_clinic(clinic_a, make_practitioner=make_practitioner)
    return clinic_a


def _log_in(page, base_url, user):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_second_factor(page, user.username)
    expect(page.get_by_role("heading", name="Your clinics")).to_be_visible()


def test_a_visitor_reads_the_guide_in_urdu_and_searches_it_in_both_languages(
    page, live_server, screenshot
):
    page.set_viewport_size(PHONE)

    # The guide in Urdu: right to left, in Nastaliq.
    page.goto(f"{live_server.url}/ur/guide/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    expect(heading).to_have_text(URDU)
    font_family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Noto Nastaliq Urdu" in font_family
    # The self-hosted webfont is not only named but actually loaded for the Urdu text.
    loaded = page.evaluate(
        """async () => {
            await document.fonts.ready;
            return [...document.fonts]
                .filter(f => f.family.includes("Noto Nastaliq Urdu") && f.status === "loaded")
                .length;
        }"""
    )
    assert loaded >= 1
    screenshot("guide-in-urdu")

    # A topic with the timeline picture, reached from the index.
    page.get_by_role("link", name="علاج کے مراحل اور وقت").click()
    expect(page).to_have_url(re.compile(r"/ur/guide/treatment-timeline/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("علاج کے مراحل اور وقت")
    timeline = page.locator("svg.guide-timeline")
    expect(timeline).to_be_visible()
    expect(timeline).to_contain_text("مشاورہ")  # "Consultation", the first step
    assert timeline.bounding_box()["width"] <= PHONE["width"]
    screenshot("topic-with-timeline")

    # The FAQ's search box, in English: "pain" finds "Is it painful?".
    page.goto(f"{live_server.url}/en/guide/faq/")
    page.locator("#id_q").fill("pain")
    screenshot("faq-search-typed")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/en/guide/search/\?q=pain$"))
    result = page.locator('ol.results a[href$="#is-it-painful"]')
    expect(result).to_have_text("Is it painful?")
    expect(page.locator("ol.results mark").first).to_be_visible()
    screenshot("search-results-en")
    result.click()
    expect(page).to_have_url(re.compile(r"/en/guide/faq/#is-it-painful$"))
    expect(page.get_by_role("heading", name="Is it painful?")).to_be_in_viewport()
    screenshot("faq-answer")

    # Searching in Urdu: "حمل" (pregnancy) finds the pregnancy question in Urdu.
    page.goto(f"{live_server.url}/ur/guide/search/")
    page.locator("#id_q").fill("حمل")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/ur/guide/search/\?q="))
    urdu_result = page.locator('ol.results li[lang=ur] a[href$="#pregnancy-breastfeeding"]')
    expect(urdu_result).to_have_attribute("href", "/ur/guide/faq/#pregnancy-breastfeeding")
    expect(urdu_result).to_contain_text("حمل")
    screenshot("search-results-ur")


def test_a_visitor_is_told_what_is_missing_then_that_pregnancy_rules_treatment_out_for_now(
    page, live_server, screenshot
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/en/self-check/")
    screenshot("self-check")

    with page.expect_response(re.compile(r"/en/self-check/$")) as posted:
        page.get_by_role("button", name="See my result").click()
    assert posted.value.status == 400
    missing = page.locator("#missing")
    expect(missing).to_be_visible()
    # Every question but the optional "tick all that apply" one is named.
    expect(missing.locator("li")).to_have_count(9)
    expect(missing).to_contain_text("What would you like treated?")
    expect(missing).to_contain_text("Are you pregnant, or could you be pregnant now?")
    screenshot("self-check-missing-answers")

    page.check("input[name=concern][value=melasma]")
    page.check("input[name=age][value=adult]")
    page.check("input[name=pregnant][value=yes]")
    for question in QUESTIONS:
        if question != "pregnant":
            page.check(f"input[name={question}][value=no]")
    screenshot("self-check-answered")
    page.get_by_role("button", name="See my result").click()

    expect(page.get_by_role("heading", name="Your self-check result")).to_be_visible()
    expect(page.locator(".verdict")).to_have_class(re.compile(r"verdict-not_suitable_now"))
    expect(page.get_by_role("heading", name="Not suitable now")).to_be_visible()
    expect(page.locator(".reasons")).to_contain_text(
        "Pregnancy: mesotherapy is not given during pregnancy."
    )
    # Not suitable now: the result does not send her to book.
    expect(page.locator("main").get_by_role("link", name="Find a clinic")).to_have_count(0)
    screenshot("self-check-result")


def test_a_visitor_requests_an_appointment_that_only_the_clinics_staff_see(
    page, live_server, screenshot, islamabad_clinic, clinic_b, receptionist, outsider
):
    page.set_viewport_size(PHONE)

    # The finder: choose Islamabad from the list.
    page.goto(f"{live_server.url}/en/clinics/")
    screenshot("finder-all-cities")
    page.locator("#id_city").select_option("Islamabad")
    page.get_by_role("button", name="Show clinics").click()
    expect(page).to_have_url(re.compile(r"/en/clinics/\?city=Islamabad$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinics in Islamabad")
    clinics = page.locator("article.clinic")
    expect(clinics).to_have_count(1)  # not the Lahore clinic
    card = clinics.first
    expect(card.get_by_role("heading", name="Clinic A Islamabad")).to_be_visible()
    expect(card.locator(".practitioners")).to_contain_text("Sana Malik")
    expect(card.locator(".practitioners .badge")).to_have_text("PMDC registration verified")
    expect(card.locator(".practitioners")).to_contain_text(REGISTRATION)
    screenshot("finder-islamabad")

    # The clinic page and its request form.
    card.get_by_role("link", name="Request an appointment").click()
    expect(page).to_have_url(re.compile(r"/en/clinics/clinic-a/#request$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinic A Islamabad")
    expect(page.locator("#request")).to_be_in_viewport()
    screenshot("clinic-page")

    page.get_by_label("Your name").fill("Sadia Perveen")
    page.get_by_label("Mobile number").fill("12345")
    page.get_by_label("The clinic may call or message me").check()
    with page.expect_response(re.compile(r"/en/clinics/clinic-a/$")) as posted:
        page.get_by_role("button", name="Send request").click()
    assert posted.value.status == 400
    expect(page.get_by_role("alert")).to_have_text("Please correct the fields marked below.")
    mobile_field = page.locator(".field-error")
    expect(mobile_field).to_have_count(1)
    expect(mobile_field).to_contain_text("This is not a valid mobile number")
    expect(page.get_by_label("Your name")).to_have_value("Sadia Perveen")
    screenshot("request-invalid-mobile")
    assert not Enquiry.objects.exists()

    page.get_by_label("Mobile number").fill("0300-1234567")
    page.get_by_label("The clinic may call or message me").check()
    page.get_by_role("button", name="Send request").click()
    # The browser keeps the form's "#request" fragment across the redirect.
    expect(page).to_have_url(re.compile(r"/en/clinics/clinic-a/sent/(#request)?$"))
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Clinic A Islamabad has your request")
    screenshot("request-sent")
    enquiry = Enquiry.objects.get()
    assert (enquiry.clinic, enquiry.name, enquiry.mobile, enquiry.preferred_language) == (
        islamabad_clinic,
        "Sadia Perveen",
        "+923001234567",
        "en",
    )

    # The clinic's receptionist sees the request in the inbox …
    _log_in(page, live_server.url, receptionist)
    page.goto(f"{live_server.url}/patients/enquiries/")
    expect(page.get_by_role("heading", name="Appointment requests")).to_be_visible()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Sadia Perveen")
    expect(rows.first).to_contain_text("0300 1234567")
    expect(rows.first).to_contain_text("Clinic A Islamabad")
    screenshot("staff-inbox")

    # … and a receptionist of the Lahore clinic does not.
    _log_in(page, live_server.url, outsider)
    page.goto(f"{live_server.url}/patients/enquiries/")
    expect(page.locator("table tbody")).to_have_text("No requests here.")
    expect(page.locator("body")).not_to_contain_text("Sadia Perveen")
    screenshot("other-clinic-inbox")
