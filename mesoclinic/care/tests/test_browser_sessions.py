"""Plans and sessions in a real Chromium. A dermatologist takes a new patient through the whole
pathway on a desktop (consultation, TXA patch test read negative, a course planned from the
approved melasma protocol, a signed consent naming that plan), then charts the first session on
a tablet (820 × 1180, touch) and follows it to the aftercare sheet and the patient's chart. A
pregnant patient is refused at the safety gate before the needle (the start page), and nothing
is saved or drawn from stock.

The charting step is measured: the test counts every tap and every field the practitioner
sets on the charting page (the issue: "a practitioner charts a session on a tablet in under
two minutes"), prints the counts (shown with -s) and holds them under a ceiling. axe-core
checks the charting page as the tablet shows it.

A transactional test flushes data-migration rows, so the rules, ingredients, consent and
aftercare texts are loaded again with the migrations' own loaders.
"""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from mesoclinic.care.models import (
    Consent,
    Course,
    SessionProduct,
    TreatmentSession,
)
from mesoclinic.care.tests.browser import (
    LOCAL_MINUTE,
    Effort,
    chart_in_browser,
    fill_consultation,
    log_in,
    sign,
    start_in_browser,
    watch,
)
from mesoclinic.formulary.models import StockMovement
from mesoclinic.patients.tests.test_accessibility import BLOCKING

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]

TABLET = {"viewport": {"width": 820, "height": 1180}, "has_touch": True, "is_mobile": True}

#: The ceiling for charting one session on the tablet (the issue's "under two minutes").
MAX_CLICKS = 12
MAX_FIELDS = 8


@pytest.fixture
def tablet(browser, live_server, js_errors):
    """A second browser context sized and behaving like a tablet (touch, mobile viewport);
    its errors land in the same `js_errors` list."""
    context = browser.new_context(base_url=live_server.url, **TABLET)
    page = context.new_page()
    watch(page, js_errors)
    yield page
    context.close()


def _axe(page, label):
    """axe-core on the page as shown: prints every violation (shown with -s) and returns the
    blocking ones (serious, critical), as the other browser tests count them."""
    violations = Axe().run(page).response["violations"]
    for v in violations:
        targets = [n["target"] for n in v["nodes"]][:3]
        print(f"\n[axe: {label}] {v['id']} ({v['impact']}): {v['help']} — {targets}")
    return [
        f"{v['id']} ({v['impact']}): {v['help']}" for v in violations if v["impact"] in BLOCKING
    ]


def _smallest_zone(page):
    """The narrower side, in CSS pixels, of the smallest zone drawn on the map."""
    return page.evaluate(
        """() => Math.min(...[...document.querySelectorAll("[data-zone] .zone-shape")]
            .map(shape => { const r = shape.getBoundingClientRect();
                            return Math.min(r.width, r.height); }))"""
    )


def test_a_dermatologist_takes_a_patient_from_consultation_to_a_charted_session_on_a_tablet(
    page,
    tablet,
    live_server,
    shots,
    js_errors,
    dermatologist,
    melasma_version,
    make_patient,
    clinic_a,
    lot_a,
):
    doctor = dermatologist.user
    patient = make_patient(clinic_a, first_name="Sana", last_name="Malik")
    log_in(page, live_server.url, doctor)

    # The consultation: melasma, tranexamic acid planned, eligible.
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="New consultation").click()
    fill_consultation(page)
    expect(page.locator("#decision [data-decision]")).to_have_attribute("data-decision", "eligible")
    page.get_by_role("button", name="Record consultation").click()
    expect(page).to_have_url(re.compile(r"/care/consultations/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("Consultation recorded.")
    shots(page, "consultation-recorded")

    # The patch test with the lot to be used, applied 25 hours ago and read negative.
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Apply patch test").click()
    applied = timezone.localtime() - timedelta(hours=25)
    page.get_by_label(re.compile("TXA-A1")).check()
    page.get_by_label("Site", exact=True).select_option("inner_forearm")
    page.get_by_label("Applied at").fill(applied.strftime(LOCAL_MINUTE))
    # Stated that far back, the application needs the dermatologist's attestation (issue 15).
    page.get_by_label("Dermatologist's attestation").fill("Applied yesterday; entered from paper.")
    page.get_by_role("button", name="Record application").click()
    expect(page).to_have_url(re.compile(r"/care/patch-tests/\d+/$"))
    page.get_by_label("Negative", exact=True).check()
    page.get_by_role("button", name="Record reading").click()
    expect(page.get_by_role("status")).to_contain_text("Reading recorded.")
    expect(page.locator("#result")).to_contain_text("Negative")

    # The plan: the approved melasma protocol, its defaults kept.
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Plan a course").click()
    expect(page.get_by_role("heading", name="Plan a course")).to_be_visible()
    expect(page.get_by_label("Protocol", exact=True)).to_contain_text(
        "Melasma: intradermal tranexamic acid"
    )
    expect(page.get_by_label("Sessions", exact=True)).to_have_value(
        str(melasma_version.sessions_min)
    )
    # The plan previews its dates as it is typed (htmx), and says when a value leaves the
    # protocol's range.
    preview = page.locator("#course-preview")
    expect(preview).to_contain_text("Target dates")
    interval = page.get_by_label("Days between sessions")
    kept = interval.input_value()
    interval.fill("3")
    expect(preview).to_contain_text("for this protocol")
    interval.fill(kept)
    expect(preview).to_contain_text("Maintenance due")
    shots(page, "course-form")
    page.get_by_role("button", name="Save plan").click()
    expect(page).to_have_url(re.compile(r"/care/courses/\d+/$"))
    expect(page.get_by_role("status")).to_contain_text("Treatment plan saved.")
    expect(page.locator("#course-status")).to_have_text("Active")
    plan = Course.objects.get()
    assert plan.sessions_planned == melasma_version.sessions_min
    expect(page.locator("table tbody tr")).to_have_count(plan.sessions_planned)
    shots(page, "course")

    # The consent, naming the plan, signed on the screen.
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Take consent").click()
    page.get_by_label("English").check()
    page.locator("#id_photo_consent").get_by_label("No", exact=True).check()
    page.get_by_label("Patient's name, typed by the patient").fill("Sana Malik")
    sign(page)
    page.get_by_role("button", name="Sign consent").click()
    expect(page).to_have_url(re.compile(r"/care/consents/\d+/$"))
    expect(page.locator("#consent-status")).to_have_text("valid")
    expect(page.locator("#consent-plan")).to_contain_text("Tranexamic acid 4 mg/mL")

    # The first session, charted on the tablet: from the plan, "Chart the next session".
    log_in(tablet, live_server.url, doctor)
    tablet.goto(f"{live_server.url}/care/courses/{plan.pk}/")
    tablet.get_by_role("link", name="Chart the next session").tap()
    expect(tablet.get_by_role("heading", name=re.compile("^Session 1"))).to_be_visible()
    expect(tablet.locator("#gate-known")).to_have_count(0)  # nothing the gate already refuses
    shots(tablet, "tablet-start-page")
    assert _axe(tablet, "start page, tablet") == []
    effort = Effort()
    start_in_browser(tablet, effort, pregnant=False)
    expect(tablet).to_have_url(re.compile(rf"/care/courses/{plan.pk}/sessions/new/\?start="))
    expect(tablet.locator("#gate-started")).to_contain_text("Safety gate passed at")
    width = tablet.evaluate("document.documentElement.scrollWidth")
    assert width <= TABLET["viewport"]["width"], f"the charting page scrolls sideways ({width}px)"
    shots(tablet, "tablet-charting-page")
    assert _axe(tablet, "charting page, tablet") == []
    smallest = _smallest_zone(tablet)
    height = tablet.evaluate("document.documentElement.scrollHeight")
    print(
        f"\n[charting page] {height}px tall on a {TABLET['viewport']['height']}px screen "
        f"({height / TABLET['viewport']['height']:.1f} screens); smallest zone {smallest:.0f}px"
    )
    assert smallest >= 44  # a fingertip (WCAG 2.5.5)

    chart_in_browser(tablet, effort, volume="1")  # the plan's volume
    expect(tablet.locator("[data-zone-map-summary]")).to_have_text(
        re.compile("Forehead.*Right cheek.*Left cheek")
    )
    shots(tablet, "tablet-charting-filled")
    effort.tap(tablet.get_by_role("button", name="Chart session"))
    expect(tablet).to_have_url(re.compile(r"/care/sessions/\d+/$"))
    seconds = effort.report("first session")
    assert effort.clicks <= MAX_CLICKS, effort.clicks
    assert effort.fields <= MAX_FIELDS, effort.fields
    assert seconds < 120

    expect(tablet.get_by_role("status")).to_contain_text("Session charted.")
    products = tablet.locator("#session-products tbody tr")
    expect(products).to_have_count(1)
    expect(products).to_contain_text("TXA-A1")
    zones_cell = products.locator("td").nth(3)
    for label in ("Forehead", "Right cheek", "Left cheek"):
        expect(zones_cell).to_contain_text(label)
    shots(tablet, "tablet-session")
    session = TreatmentSession.objects.get()
    assert (session.number, session.points, session.pregnant_today) == (1, 40, False)
    line = SessionProduct.objects.get()
    assert (line.lot_id, str(line.volume), sorted(line.zones)) == (
        lot_a.pk,
        "1.00",
        ["cheek_left", "cheek_right", "forehead"],
    )
    assert StockMovement.objects.filter(kind="used", lot=lot_a).count() == 1

    # Aftercare to hand over, in English and Urdu.
    tablet.get_by_role("link", name="Aftercare instructions").tap()
    expect(tablet).to_have_url(re.compile(rf"/care/sessions/{session.pk}/aftercare/$"))
    expect(tablet.get_by_text("After your mesotherapy session").first).to_be_visible()
    expect(tablet.get_by_text("میسوتھراپی سیشن کے بعد").first).to_be_visible()
    shots(tablet, "tablet-aftercare")

    # The chart: every step of the pathway, the session with its lot and volume.
    tablet.goto(f"{live_server.url}/care/sessions/{session.pk}/")
    tablet.get_by_role("link", name="Chart", exact=True).tap()
    expect(tablet.get_by_role("heading", name="Chart: Sana Malik")).to_be_visible()
    chart = tablet.locator("#chart > li")
    kinds = [chart.nth(i).get_attribute("data-kind") for i in range(chart.count())]
    assert sorted(kinds) == sorted(["consultation", "patch_test", "consent", "course", "session"])
    expect(tablet.locator("#chart > li[data-kind=session]")).to_contain_text("TXA-A1 · 1.00 mL")
    shots(tablet, "tablet-chart")
    page.goto(f"{live_server.url}/care/patients/{patient.pk}/chart/")
    shots(page, "desktop-chart")
    assert js_errors == []


def test_a_pregnant_patient_is_refused_at_the_gate_before_the_needle_and_nothing_is_saved(
    tablet, live_server, shots, js_errors, dermatologist, make_ready, make_patient, clinic_a
):
    patient = make_patient(clinic_a, first_name="Maryam", last_name="Iqbal")
    plan = make_ready(patient)
    log_in(tablet, live_server.url, dermatologist.user)
    tablet.goto(f"{live_server.url}/patients/{patient.pk}/")
    tablet.get_by_role("link", name=plan.protocol_version.protocol.display_name).tap()
    tablet.get_by_role("link", name="Chart the next session").tap()
    expect(tablet.locator("#gate-known")).to_have_count(0)  # consent, patch test: all in order

    effort = Effort()
    start_in_browser(tablet, effort, pregnant=True)
    effort.report("refused start")

    refused = tablet.locator("#gate-refused")
    expect(refused).to_be_visible()
    expect(refused).to_contain_text("Do not start: the safety gate refuses this session")
    expect(refused).to_contain_text("pregnant, may be, or is breastfeeding today")
    expect(refused).to_contain_text("Contraindicated today: Pregnancy")
    expect(tablet).to_have_url(re.compile(rf"/care/courses/{plan.pk}/sessions/start/$"))
    # The charting form is never shown.
    expect(tablet.locator("#session-form")).to_have_count(0)
    expect(tablet.locator("#id_pregnant_today").get_by_label("Yes")).to_be_checked()
    shots(tablet, "tablet-gate-refused")
    assert _axe(tablet, "start page refused, tablet") == []

    # Straight to the charting address: sent back to the start.
    tablet.goto(f"{live_server.url}/care/courses/{plan.pk}/sessions/new/")
    expect(tablet).to_have_url(re.compile(rf"/care/courses/{plan.pk}/sessions/start/$"))

    assert TreatmentSession.objects.count() == 0
    assert not SessionProduct.objects.exists()
    assert not StockMovement.objects.filter(kind="used").exists()
    assert Consent.objects.get().is_valid
    tablet.goto(f"{live_server.url}/care/courses/{plan.pk}/")
    expect(tablet.locator("table tbody tr").first).to_contain_text("—")  # still not charted
    assert js_errors == []
