"""The formulary's staff pages in a real Chromium: a clinic manager receives a lot, records a use
for a patient, is refused a use larger than the lot, recalls the lot and opens its recall list;
a credentialed dermatologist checks a dose against the melasma protocol and approves it.

The ingredients and draft protocols are loaded by a data migration, and a transactional test
flushes the database when it ends, so each test loads them again with the migration's own
loader (as the guide's browser test does).
"""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from mesoclinic.accounts.roles import Role
from mesoclinic.conftest import PASSWORD
from mesoclinic.formulary.models import Lot, ProtocolVersion, StockMovement
from mesoclinic.security.tests.browser import pass_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MELASMA = "Melasma: intradermal tranexamic acid"
TXA_COMPONENT = "Tranexamic acid 4 mg/mL"


@pytest.fixture(autouse=True)
def shipped_formulary(formulary_seed):
    """Ingredients and draft protocols, as the migration loads them (before `txa` needs them)."""


def _log_in(page, base_url, user):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_second_factor(page, user.username)
    expect(page.get_by_role("heading", name="Your clinics")).to_be_visible()


def test_a_manager_receives_uses_and_recalls_a_lot(
    page, live_server, screenshot, make_user, make_patient, clinic_a, txa
):
    manager = make_user("manager_a", Role.CLINIC_MANAGER, [clinic_a])
    patient = make_patient(clinic_a, first_name="Rabia", last_name="Anwar")
    today = date.today()
    _log_in(page, live_server.url, manager)

    # The stock page: nothing on the shelf yet.
    page.get_by_role("link", name="Stock", exact=True).click()
    expect(page.get_by_role("heading", name="Stock and lots", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Low stock")).to_be_visible()
    expect(page.locator("table tbody")).to_have_text("No lots here.")
    screenshot("stock-empty")

    # Receive a delivery of ten millilitres; the lot number is kept in capitals.
    page.get_by_role("link", name="Receive a lot").click()
    expect(page.get_by_role("heading", name="Receive a lot")).to_be_visible()
    expect(page.get_by_label("Clinic")).to_have_value(str(clinic_a.pk))  # her only clinic
    page.get_by_label("Product").select_option(label=str(txa))
    page.get_by_label("Lot number").fill("txa-2406b")
    page.get_by_label("Received on").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Expires on").fill((today + timedelta(days=365)).isoformat())
    page.get_by_label("Quantity received").fill("10")
    screenshot("receive-form")
    page.get_by_role("button", name="Receive").click()

    lot = Lot.objects.get()
    expect(page).to_have_url(f"{live_server.url}/formulary/lots/{lot.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Lot TXA-2406B received.")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("TXA 4")
    expect(heading).to_contain_text("TXA-2406B")
    expect(heading.locator(".badge")).to_have_text("Available")
    expect(page.locator("#balance")).to_have_text("10.00 mL")
    screenshot("lot-received")

    # Two millilitres used for the patient.
    page.get_by_label("What happened").select_option("used")
    page.get_by_label("Quantity", exact=True).fill("2")
    page.get_by_label("Patient MRN").fill(patient.mrn)
    page.get_by_role("button", name="Record movement").click()
    expect(page.get_by_role("status")).to_contain_text("Recorded. Balance: 8.00 mL.")
    expect(page.locator("#balance")).to_have_text("8.00 mL")
    ledger = page.locator("table tbody tr")
    expect(ledger).to_have_count(2)
    expect(ledger.first).to_contain_text("Used for a patient")
    expect(ledger.first.get_by_role("link", name=patient.mrn)).to_be_visible()
    screenshot("use-recorded")

    # Fifty is more than the lot holds: refused, nothing written, what was typed stays.
    page.get_by_label("What happened").select_option("used")
    page.get_by_label("Quantity", exact=True).fill("50")
    page.get_by_label("Patient MRN").fill(patient.mrn)
    with page.expect_response(re.compile(rf"/formulary/lots/{lot.pk}/movements/$")) as posted:
        page.get_by_role("button", name="Record movement").click()
    assert posted.value.status == 400
    expect(page.locator(".field-error")).to_contain_text("This lot holds only 8.00 mL.")
    expect(page.get_by_label("Quantity", exact=True)).to_have_value("50")
    expect(page.locator("#balance")).to_have_text("8.00 mL")
    screenshot("use-refused-too-much")
    lot.refresh_from_db()
    assert lot.balance == 8
    assert StockMovement.objects.filter(lot=lot).count() == 2

    # The manufacturer recalls the lot.
    page.goto(f"{live_server.url}/formulary/lots/{lot.pk}/")
    page.get_by_label("New status").select_option("recalled")
    page.get_by_label("Reason or recall notice").fill("DRAP alert 12/2025: particles in vials.")
    screenshot("recall-form")
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_role("status")).to_contain_text("Status saved: Recalled.")
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("Recalled")
    blocked = page.get_by_role("alert")
    expect(blocked).to_contain_text("This lot cannot be used:")
    expect(blocked).to_contain_text("This lot has been recalled; it cannot be used.")
    expect(blocked).to_contain_text("DRAP alert 12/2025: particles in vials.")
    screenshot("lot-recalled")
    lot.refresh_from_db()
    assert lot.status == Lot.Status.RECALLED

    # Who received it: the patient, with a way to call her.
    page.get_by_role("link", name="Who received this lot").click()
    expect(page).to_have_url(f"{live_server.url}/formulary/lots/{lot.pk}/recipients/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recall list")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(patient.mrn)
    expect(rows.first).to_contain_text("Rabia Anwar")
    expect(rows.first).to_contain_text("Clinic A Islamabad")
    screenshot("recall-list")

    with page.expect_download() as downloaded:
        page.get_by_role("link", name="Download CSV").click()
    download = downloaded.value
    assert download.suggested_filename == "recall-recipients.csv"
    with open(download.path(), encoding="utf-8-sig") as handle:
        table = list(csv.DictReader(io.StringIO(handle.read())))
    assert [(row["mrn"], row["lot_number"], row["quantity"]) for row in table] == [
        (patient.mrn, "TXA-2406B", "2.00")
    ]


def test_a_dermatologist_checks_a_dose_and_approves_a_protocol(
    page, live_server, screenshot, make_practitioner, clinic_a
):
    dermatologist = make_practitioner("derm_a", clinic_a)
    user = dermatologist.user
    user.first_name, user.last_name = "Amina", "Siddiqui"
    user.save(update_fields=["first_name", "last_name"])
    version = ProtocolVersion.objects.get(protocol__code="melasma-txa", number=1)
    assert version.status == ProtocolVersion.Status.DRAFT
    _log_in(page, live_server.url, user)

    # The protocols: every seeded one is a draft waiting for the clinic's dermatologist.
    page.get_by_role("link", name="Protocols", exact=True).first.click()
    expect(page.get_by_role("heading", name="Protocols", level=1)).to_be_visible()
    melasma = page.locator("section.card").filter(has=page.get_by_role("heading", name=MELASMA))
    expect(melasma.locator("tbody tr")).to_have_count(1)
    expect(melasma.locator("tbody tr")).to_contain_text("Draft")
    expect(melasma.locator("tbody tr")).to_contain_text(TXA_COMPONENT)
    screenshot("protocols")

    melasma.get_by_role("link", name="v1", exact=True).click()
    version_url = f"{live_server.url}/formulary/protocols/versions/{version.pk}/"
    expect(page).to_have_url(version_url)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(f"{MELASMA} · v1")
    expect(heading.locator(".badge")).to_have_text("Draft")
    expect(page.get_by_role("note")).to_contain_text("clinic to confirm")
    screenshot("version-draft")

    # Half a millilitre at each of twenty points: ten times the per-point maximum, and a
    # 10 mL session past both the protocol's 4 mL and the 5 mL ceiling.
    page.get_by_label("Component").select_option(label=TXA_COMPONENT)
    page.get_by_label("mL per point").fill("0.5")
    page.get_by_label("Points", exact=True).fill("20")
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Check", exact=True).click()
    result = page.locator("#dose-result")
    expect(result.get_by_role("alert")).to_contain_text("Outside the protocol:")
    problems = result.locator("li")
    expect(problems).to_have_count(3)
    expect(problems.nth(0)).to_contain_text(
        f"{TXA_COMPONENT}: At most 0.05 mL per point. Given: 0.5 mL."
    )
    expect(problems.nth(0)).to_contain_text("(a dermatologist may override with a reason)")
    expect(problems.nth(1)).to_contain_text(
        f"{TXA_COMPONENT}: At most 4 mL in a session. Given: 10 mL."
    )
    expect(problems.nth(2)).to_contain_text(
        f"{TXA_COMPONENT}: Never more than 5 mL in one session (no override). Given: 10 mL."
    )
    expect(problems.nth(2)).not_to_contain_text("may override")
    expect(page).to_have_url(version_url)  # htmx swapped the result in; no page load
    screenshot("dose-outside-protocol")

    # Inside the limits: 0.03 mL at 100 points is 3 mL.
    page.get_by_label("mL per point").fill("0.03")
    page.get_by_label("Points", exact=True).fill("100")
    page.get_by_role("button", name="Check", exact=True).click()
    expect(result.get_by_role("status")).to_have_text("Within the protocol's limits.")
    expect(result.locator("li")).to_have_count(0)
    screenshot("dose-within-protocol")

    # Approve in her own name.
    page.get_by_label(
        "I have checked the values marked “clinic to confirm” for this clinic"
    ).check()
    page.get_by_role("button", name="Approve in my name").click()
    expect(page).to_have_url(version_url)
    expect(page.locator("ul.messages")).to_contain_text("Approved.")
    expect(page.get_by_role("heading", level=1).locator(".badge")).to_have_text("Approved")
    approved_by = page.locator("dt", has_text="Approved by").locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(approved_by).to_contain_text("Amina Siddiqui")
    expect(page.get_by_role("button", name="Approve in my name")).to_have_count(0)
    screenshot("version-approved")
    version.refresh_from_db()
    assert (version.status, version.approved_by) == (
        ProtocolVersion.Status.APPROVED,
        dermatologist,
    )

    page.get_by_role("link", name="Protocols", exact=True).first.click()
    row = page.locator("section.card").filter(has=page.get_by_role("heading", name=MELASMA))
    expect(row.locator("tbody tr")).to_contain_text("Approved")
    expect(row.locator("tbody tr")).to_contain_text("Amina Siddiqui")
    screenshot("protocols-after-approval")
