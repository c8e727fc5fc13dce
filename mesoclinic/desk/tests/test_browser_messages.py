"""The aftercare message in a real Chromium, from the needle to the delivery log (issue 17's
browser journey). A patient who reads Urdu and agreed to WhatsApp is charted on a tablet; the
worker sends her aftercare message to the fake WhatsApp Cloud API (a real local HTTP server) as
the approved Urdu template; she opens its link on a cheap phone, without a login, and reads the
instructions right to left with the clinic's number; the provider reports the message
delivered through the signed webhook; and the clinic's manager sees it delivered in the log,
the number masked. The opt-out link in the same message opens a page that asks before it stops
anything.

The worker's drain runs in the test process at the first moment it may send: now, or, when
the suite runs in Karachi's quiet hours (21:00-09:00), at their end, as the real worker would.
"""

import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mesoclinic.audit.services import Interface
from mesoclinic.care import aftercare_link
from mesoclinic.care.models import TreatmentSession
from mesoclinic.care.tests.browser import Effort, chart_in_browser, log_in, start_in_browser, watch
from mesoclinic.notifications import contacts, rules, services
from mesoclinic.notifications.models import ContactConsent, Message
from mesoclinic.notifications.tests.helpers import KARACHI

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]

TABLET = {"viewport": {"width": 820, "height": 1180}, "has_touch": True, "is_mobile": True}
#: A cheap Android phone: small screen, touch, no login, nothing remembered.
PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def open_context(browser, js_errors):
    """open_context(**options): a fresh browser context's page; its errors land in
    `js_errors`, and it is closed after the test."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        watch(page, js_errors)
        return page

    yield open_page
    for context in contexts:
        context.close()


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _fonts_loaded(page) -> set[str]:
    """The web fonts (@font-face) the page has loaded, once it has drawn its text."""
    return set(
        page.evaluate(
            """() => document.fonts.ready.then(() => [...document.fonts]
                .filter(font => font.status === "loaded")
                .map(font => font.family.replaceAll('"', "")))"""
        )
    )


def _first_sending_moment():
    """Now, or the end of the quiet hours if now is inside them (Karachi's wall clock)."""
    start, end = services.quiet_window()
    return rules.next_send_time(
        timezone.localtime(timezone=KARACHI), quiet_start=start, quiet_end=end, urgent=False
    )


def test_a_charted_session_reaches_the_patient_on_whatsapp_in_urdu_and_shows_delivered(
    page,
    open_context,
    live_server,
    settings,
    screenshot,
    js_errors,
    fake_providers,
    dermatologist,
    manager,
    receptionist,
    make_patient,
    make_ready,
    clinic_a,
):
    settings.PUBLIC_BASE_URL = live_server.url  # the links in the message open this server
    patient = make_patient(
        clinic_a, first_name="Rukhsana", last_name="Bibi", preferred_language="ur"
    )
    contacts.opt_in(
        patient_id=patient.pk,
        clinic_id=clinic_a.pk,
        channel="whatsapp",
        method=ContactConsent.Method.IN_PERSON,
        acting_user=receptionist,
        via=Interface.WEB,
    )
    plan = make_ready(patient)

    # The practitioner charts the first session on the tablet, through the gate.
    tablet = open_context(base_url=live_server.url, **TABLET)
    log_in(tablet, live_server.url, dermatologist.user)
    tablet.goto(f"{live_server.url}/patients/{patient.pk}/")
    tablet.get_by_role("link", name=plan.protocol_version.protocol.display_name).tap()
    tablet.get_by_role("link", name="Chart the next session").tap()
    effort = Effort()
    start_in_browser(tablet, effort, pregnant=False)
    expect(tablet.locator("#gate-started")).to_contain_text("Safety gate passed at")
    chart_in_browser(tablet, effort)
    effort.tap(tablet.get_by_role("button", name="Chart session"))
    expect(tablet).to_have_url(re.compile(r"/care/sessions/\d+/$"))
    expect(tablet.get_by_role("status")).to_contain_text("Session charted.")
    screenshot("tablet-session-charted", of=tablet)
    session = TreatmentSession.objects.get()
    message = Message.objects.get(template="aftercare")
    assert (message.channel, message.template, message.language, message.status) == (
        "whatsapp",
        "aftercare",
        "ur",
        "queued",
    )

    # The worker drains the outbox: one WhatsApp template in Urdu reaches the fake provider.
    assert services.drain(now=_first_sending_moment()).sent == 1
    [delivery] = fake_providers.deliveries
    assert (delivery.provider, delivery.to) == ("whatsapp", patient.mobile)
    assert (delivery.template, delivery.language) == ("mesoclinic_aftercare", "ur")
    assert delivery.text == ""  # outside the 24-hour window: the template, never free text
    clinic_name, link, phone_number, opt_out = delivery.parameters
    assert (clinic_name, phone_number) == ("Clinic A Islamabad", "(051) 2650100")
    assert link.startswith(f"{live_server.url}/ur/aftercare/")
    assert aftercare_link.session_id_from(link.rstrip("/").rsplit("/", 1)[1]) == session.pk
    assert opt_out.startswith(f"{live_server.url}/ur/messages/stop/")
    assert contacts.read_opt_out_token(opt_out.rstrip("/").rsplit("/", 1)[1]) == (
        patient.pk,
        "whatsapp",
        clinic_a.pk,
    )
    message.refresh_from_db()
    assert (message.status, message.provider_message_id) == ("sent", delivery.id)

    # The patient follows the link on her phone: no login, Urdu, right to left.
    phone = open_context(**PHONE)
    phone.goto(link)
    expect(phone.locator("html")).to_have_attribute("lang", "ur")
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.get_by_role("heading", name=session.aftercare.title_ur)).to_be_visible()
    expect(phone.get_by_text(session.aftercare.title_en)).to_have_count(0)
    expect(phone.locator("#aftercare-phone")).to_have_text("(051) 2650100")
    expect(phone.locator("#aftercare-phone")).to_have_attribute("href", "tel:+92512650100")
    assert _scroll_width(phone) <= PHONE["viewport"]["width"], "the page scrolls sideways"
    assert "Noto Nastaliq Urdu" in _fonts_loaded(phone)  # self-hosted: not the phone's own
    screenshot("phone-aftercare-urdu", of=phone)

    # The opt-out link in the same message asks first: opening it stops nothing.
    phone.goto(opt_out)
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("#opt-out")).to_be_visible()
    assert _scroll_width(phone) <= PHONE["viewport"]["width"], "the page scrolls sideways"
    assert "Noto Nastaliq Urdu" in _fonts_loaded(phone)
    screenshot("phone-opt-out-urdu", of=phone)
    assert contacts.current_consent(patient_id=patient.pk, channel="whatsapp").opted_in

    # The provider reports the message delivered, signed, to the webhook.
    status, answer = fake_providers.post_whatsapp_status(
        f"{live_server.url}/hooks/whatsapp/", delivery.id, "delivered"
    )
    assert (status, json.loads(answer)["changed"]) == (200, 1)

    # The clinic's manager sees it delivered in the delivery log, the number masked.
    log_in(page, live_server.url, manager)
    page.goto(f"{live_server.url}/staff/clinics/{clinic_a.slug}/messages/")
    row = page.locator(f"#message-{message.pk}")
    expect(row).to_have_attribute("data-status", "delivered")
    expect(row.locator("[data-label=Status]")).to_have_text("Delivered")
    expect(row.locator("[data-label=Channel]")).to_have_text("WhatsApp")
    # The manager reads clinical records, so the text as sent folds out under its name.
    text = row.locator("[data-label=Message] details")
    expect(text.locator("summary")).to_have_text("Aftercare")
    expect(text.locator(".message-body")).to_be_hidden()
    text.locator("summary").click()
    expect(text.locator(".message-body")).to_contain_text("تشریف لانے کا شکریہ")
    expect(row.locator("[data-label=Language]")).to_have_text("Urdu")
    expect(row.locator("[data-label=To]")).to_have_text(
        "*" * (len(patient.mobile) - 4) + patient.mobile[-4:]
    )
    expect(page.get_by_text(patient.mobile)).to_have_count(0)
    expect(row.locator('[data-label="Failed attempts"]')).to_have_text("0")
    screenshot("manager-delivery-log")
    assert js_errors == []
