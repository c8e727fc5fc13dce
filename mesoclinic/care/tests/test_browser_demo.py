"""The demo chain in a real Chromium: `doctor.isb` takes a demo patient of the Islamabad clinic
who has not been seen yet from consultation to a charted session and the chart, on the demo's
own lots, protocol and consent texts (what a newcomer does after `make run`)."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from mesoclinic.accounts.roles import Role
from mesoclinic.care.models import Consultation, TreatmentSession
from mesoclinic.care.tests.browser import LOCAL_MINUTE, fill_consultation, sign
from mesoclinic.clinics.models import Clinic
from mesoclinic.formulary.models import Lot
from mesoclinic.security.tests.browser import pass_second_factor
from mesoclinic.seed.demo import DEMO_PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]


def test_a_demo_dermatologist_takes_an_unseen_demo_patient_to_a_charted_session(
    page, live_server, shots, js_errors, settings, django_capture_on_commit_callbacks
):
    settings.DEBUG = True  # seed_demo refuses production settings
    # The role groups come with the migrations; an earlier transactional test flushed them.
    for role in Role:
        Group.objects.get_or_create(name=role)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    clinic = Clinic.objects.get(slug="islamabad-f7")
    seen = Consultation.objects.values("patient")
    patient = clinic.patients.exclude(pk__in=seen).order_by("id").first()
    lot = (
        Lot.objects.filter(
            clinic=clinic,
            status="available",
            balance__gte=5,
            expires_on__gt=timezone.localdate() + timedelta(days=31),
            product__ingredients__code="tranexamic_acid",
        )
        .select_related("product")
        .first()
    )
    assert patient is not None and lot is not None

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("doctor.isb")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    pass_second_factor(page, "doctor.isb")
    expect(page.get_by_role("heading", name="Your clinics")).to_be_visible()

    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="New consultation").click()
    fill_consultation(page)
    expect(page.locator("#decision [data-decision]")).to_have_attribute("data-decision", "eligible")
    page.get_by_role("button", name="Record consultation").click()
    expect(page.get_by_role("status")).to_contain_text("Consultation recorded.")

    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Apply patch test").click()
    page.get_by_label(re.compile(lot.lot_number)).check()
    page.get_by_label("Site", exact=True).select_option("inner_forearm")
    applied = timezone.localtime() - timedelta(hours=26)
    page.get_by_label("Applied at").fill(applied.strftime(LOCAL_MINUTE))
    # Stated that far back, the application needs the dermatologist's attestation (issue 15).
    page.get_by_label("Dermatologist's attestation").fill("Applied yesterday; entered from paper.")
    page.get_by_role("button", name="Record application").click()
    page.get_by_label("Negative", exact=True).check()
    page.get_by_role("button", name="Record reading").click()
    expect(page.locator("#result")).to_contain_text("Negative")

    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Plan a course").click()
    page.get_by_role("button", name="Save plan").click()
    expect(page.get_by_role("status")).to_contain_text("Treatment plan saved.")
    shots(page, "demo-course")

    course_url = page.url
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Take consent").click()
    page.get_by_label("English").check()
    page.locator("#id_photo_consent").get_by_label("No", exact=True).check()
    page.get_by_label("Patient's name, typed by the patient").fill(patient.full_name)
    sign(page)
    page.get_by_role("button", name="Sign consent").click()
    expect(page.locator("#consent-status")).to_have_text("valid")

    page.goto(course_url)
    page.get_by_role("link", name="Chart the next session").click()
    page.locator("#id_pregnant_today").get_by_label("No").check()
    page.locator("#id_breastfeeding_today").get_by_label("No").check()
    shots(page, "demo-start")
    page.get_by_role("button", name="Start session").click()
    expect(page.locator("#gate-started")).to_be_visible()
    line = page.locator("fieldset.session-line").first
    line.get_by_label("Lot").select_option(str(lot.pk))
    line.get_by_label("mL").fill("1")
    page.locator("[data-zone-map] [data-zone=cheek_left] .zone-shape").click()
    page.locator("[data-zone-map] [data-zone=cheek_right] .zone-shape").click()
    page.get_by_label("Injection points").fill("30")
    shots(page, "demo-charting")
    page.get_by_role("button", name="Chart session").click()
    expect(page.get_by_role("status")).to_contain_text("Session charted.")
    session = TreatmentSession.objects.get(patient=patient)
    assert session.products.get().lot_id == lot.pk

    page.get_by_role("link", name="Chart", exact=True).click()
    chart = page.locator("#chart > li")
    kinds = {chart.nth(i).get_attribute("data-kind") for i in range(chart.count())}
    assert kinds == {"consultation", "patch_test", "consent", "course", "session"}
    expect(page.locator("#chart > li[data-kind=session]")).to_contain_text(lot.lot_number)
    shots(page, "demo-chart")
    assert js_errors == []
