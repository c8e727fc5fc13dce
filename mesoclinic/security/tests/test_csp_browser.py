"""Every kind of page, in a real Chromium under the enforced Content-Security-Policy, loads
without a single policy violation or console error: the public guide in English and Urdu, the
self-check, the clinic finder and its request form, a patient's check-in and aftercare links,
and, signed in as the demo's dermatologist and administrator, the dashboard, patient, chart,
session form, aftercare, calendar, formulary, audit log, admin and API docs. The addresses come
from the demo (`seed_demo`), so each page renders real content.

The two behaviours that used to be inline (the session form's "Add another product" and the
aftercare sheet's Print button) are exercised, not just loaded."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from mesoclinic.accounts.roles import Role
from mesoclinic.aftercare import links as check_in_links
from mesoclinic.aftercare.models import CheckIn
from mesoclinic.care import aftercare_link
from mesoclinic.care.models import Course, TreatmentSession
from mesoclinic.care.tests.conftest import (  # noqa: F401 (fixtures)
    consent_texts,
    screening_rules,
    shipped_care_data,
)
from mesoclinic.clinics.models import Clinic
from mesoclinic.conftest import SecondFactorClient
from mesoclinic.guide.models import Topic
from mesoclinic.guide.tests.test_browser_journey import load_shipped_content
from mesoclinic.patients.models import Patient

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]

# Runs before any page script: records each violation the browser reports, and stands in for
# window.print so the Print button can be seen to work without a print dialog.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  const what = `${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`;
  window.__violations.push(`${what} at ${where}`);
});
window.__printed = 0;
window.print = () => { window.__printed += 1; };
"""


@pytest.fixture
def demo(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True  # seed_demo refuses production settings
    for role in Role:  # an earlier transactional test may have flushed the role groups
        Group.objects.get_or_create(name=role)
    # ... and the guide's shipped topics (the data migrations' own loaders, run again).
    load_shipped_content()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())
    return Clinic.objects.get(slug="islamabad-f7")


class Visitor:
    """One browser context (anonymous, or signed in through a session made by the test client)
    that visits pages and keeps every violation and console error, with the page it was on."""

    def __init__(self, browser, base_url, user=None):
        self.base_url = base_url
        self.context = browser.new_context(base_url=base_url)
        if user is not None:
            # Staff who need a second factor have the demo's authenticator app: the session
            # is marked as having proved it, as the verify page does.
            client = SecondFactorClient()
            client.force_login(user)
            cookie = client.cookies["sessionid"]
            self.context.add_cookies(
                [{"name": "sessionid", "value": cookie.value, "url": base_url}]
            )
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.expected_status = 200
        self.page.on("console", self.on_console)
        self.page.on("response", self.on_response)
        self.page.on("pageerror", lambda e: self.problems.append(f"{self.page.url}: {e}"))

    def on_console(self, message):
        # A failed load is reported by on_response, which knows what it was and what was meant.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"{self.page.url}: {message.text}")

    def on_response(self, response):
        document = response.request.resource_type == "document"
        if response.status >= 400 and not (document and response.status == self.expected_status):
            self.problems.append(f"{self.page.url}: {response.status} {response.url}")

    def visit(self, path: str, *, status: int = 200):
        self.expected_status = status
        response = self.page.goto(path)
        assert response.status == status, f"{path}: {response.status}"
        self.page.wait_for_load_state("networkidle")
        self.collect()
        return self.page

    def collect(self):
        for violation in self.page.evaluate("window.__violations || []"):
            self.problems.append(f"{self.page.url}: CSP {violation}")
        self.page.evaluate("window.__violations = []")


def start_a_session(doctor, courses):
    """The charting form of the first active course whose safety gate lets a session start
    today (the start page asks today's questions first)."""
    reasons = []
    for course in courses.order_by("id")[:8]:
        page = doctor.visit(reverse("care:course", args=[course.pk]))
        link = page.get_by_role("link", name="Chart the next session")
        if not link.count():
            continue
        link.click()
        page.locator("#id_pregnant_today").get_by_label("No").check()
        page.locator("#id_breastfeeding_today").get_by_label("No").check()
        page.get_by_role("button", name="Start session").click()
        page.wait_for_load_state("networkidle")
        doctor.collect()
        if not page.locator("#gate-started").count():
            # The demo charted this course's last session recently: the dermatologist may
            # start before the interval with a reason.
            page.get_by_text("Override the protocol's interval").click()
            page.get_by_label("clinical reason to start before").fill("Demo: CSP browser test.")
            page.get_by_role("button", name="Start session").click()
            page.wait_for_load_state("networkidle")
            doctor.collect()
        if page.locator("#gate-started").count():
            return page
        reasons.append(page.locator("main").inner_text())
    raise AssertionError(f"no demo course could start a session today: {reasons}")


def test_every_kind_of_page_loads_with_no_csp_violation(demo, browser, live_server, screenshot):
    url = live_server.url
    staff = get_user_model().objects
    course = Course.objects.filter(clinic=demo, status=Course.Status.ACTIVE).first()
    session = TreatmentSession.objects.filter(clinic=demo).order_by("-id").first()
    patient = Patient.objects.get(pk=session.patient_id)
    check_in = CheckIn.objects.filter(status=CheckIn.Status.DUE).order_by("id").first()
    topic = Topic.objects.filter(is_published=True).first()
    assert course and session and check_in and topic
    today = timezone.localdate().isoformat()

    public = Visitor(browser, url)
    for path in (
        "/en/guide/",
        "/ur/guide/",
        f"/en/guide/{topic.slug}/",
        f"/ur/guide/{topic.slug}/",
        "/en/guide/faq/",
        "/en/guide/search/?q=melasma",
        "/en/clinics/",
        f"/en/clinics/{demo.slug}/",
        f"/ur/clinics/{demo.slug}/",
        f"/en/check-in/{check_in_links.token_for(check_in.pk)}/",
        f"/ur/aftercare/{aftercare_link.token_for(session.pk)}/",
        "/accounts/login/",
    ):
        public.visit(path)
    public.visit("/en/no-such-page/", status=404)
    page = public.visit("/en/self-check/")
    screenshot("self-check", of=page)
    public.expected_status = 400  # unanswered: the form is shown again
    page.get_by_role("button", name="See my result").click()
    page.wait_for_load_state("networkidle")
    public.collect()

    doctor = Visitor(browser, url, staff.get(username="doctor.isb"))
    for path in (
        "/",
        "/patients/",
        f"/patients/{patient.pk}/",
        f"/care/patients/{patient.pk}/chart/",
        f"/care/courses/{course.pk}/",
        f"/care/sessions/{session.pk}/",
        f"/aftercare/courses/{course.pk}/",
        f"/aftercare/courses/{course.pk}/compare/",
        f"/aftercare/clinics/{demo.pk}/queue/",
        f"/appointments/{demo.slug}/",
        f"/appointments/{demo.slug}/week/{today}/",
        "/appointments/calendar-addresses/",
        reverse("formulary:stock"),
        reverse("formulary:protocols"),
        reverse("formulary:products"),
        reverse("patients:enquiries"),
        reverse("clinics:detail", args=[demo.slug]),
    ):
        doctor.visit(path)

    # The session form's former inline script: "Add another product" shows the next line.
    # The demo charts its active course's last session today; move it four weeks back, as if
    # the patient had come back for the next one (the gate never allows two on one day).
    active = Course.objects.filter(clinic=demo, status=Course.Status.ACTIVE)
    TreatmentSession.objects.filter(course__in=active).update(
        started_at=F("started_at") - timedelta(days=28), ended_at=F("ended_at") - timedelta(days=28)
    )
    page = start_a_session(doctor, active)
    hidden_before = page.locator("fieldset.session-line[hidden]").count()
    assert hidden_before > 0
    page.get_by_role("button", name="Add another product").click()
    expect(page.locator("fieldset.session-line[data-line='1']")).to_be_visible()
    assert page.locator("fieldset.session-line[hidden]").count() == hidden_before - 1
    screenshot("session-form-second-line", of=page)

    # The aftercare sheet's former onclick: Print prints.
    page = doctor.visit(f"/care/sessions/{session.pk}/aftercare/")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") == 1
    screenshot("aftercare", of=page)

    admin = Visitor(browser, url, staff.get(username="admin"))
    for path in (
        "/audit/",
        "/admin/",
        "/admin/patients/patient/",
        f"/admin/clinics/clinic/{demo.pk}/change/",
        "/api/v1/",
    ):
        admin.visit(path)

    problems = public.problems + doctor.problems + admin.problems
    assert problems == [], "\n".join(problems)


def test_the_api_docs_render_under_the_policy(administrator, browser, live_server, screenshot):
    """drf-spectacular's Swagger UI and Redoc run their inline parts with the page's nonce (our
    templates/drf_spectacular/), so they need no relaxed policy."""
    admin = Visitor(browser, live_server.url, administrator)
    # Redoc shows its maker's logo from its CDN (allowed on that page); this machine is offline.
    admin.context.route(
        "https://cdn.redoc.ly/**",
        lambda route: route.fulfill(content_type="image/svg+xml", body="<svg/>"),
    )
    page = admin.visit(reverse("api:docs"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("mesoclinic API")
    screenshot("swagger", of=page)
    page = admin.visit(reverse("api:redoc"))
    expect(page.locator("#redoc-container h1").first).to_contain_text(
        "mesoclinic API", timeout=30_000
    )
    admin.collect()
    screenshot("redoc", of=page)

    assert admin.problems == [], "\n".join(admin.problems)
