"""The treatment maps and the worklist on a 1024 × 768 tablet (landscape, touch), in a real
Chromium.

The charting page of a course of each kind (face, scalp, body) is opened as a passed start
check would open it, and every zone drawn on the map is measured: a fingertip needs at least
44 × 44 CSS pixels (WCAG 2.5.5), and each label must be legible (at least 14 px as drawn) and
stand wholly inside the map. The dashboard with a clinic's worklist is photographed too;
the screenshots land in artifacts/screenshots/<database>/<test>/ like the other browser tests'.
"""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mesoclinic.audit.services import Interface
from mesoclinic.care import course as course_rules
from mesoclinic.care.forms.sessions import start_token
from mesoclinic.care.models import Consent
from mesoclinic.care.services import courses, patch_tests
from mesoclinic.care.tests.browser import log_in, watch
from mesoclinic.care.tests.worklist_fixtures import days_pass, hours_pass
from mesoclinic.formulary import services as formulary_services
from mesoclinic.formulary.models import Protocol

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]

TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True, "is_mobile": True}
FINGERTIP = 44
LEGIBLE = 14

#: A course of each kind: the protocol, the indication and the ingredient planned.
MAPS = {
    "face": ("melasma-txa", "melasma", "tranexamic_acid", "female"),
    "scalp": ("aga-dutasteride", "androgenetic_alopecia", "dutasteride", "male"),
    "body": ("localized-fat-deoxycholic", "localized_fat", "deoxycholic_acid", "female"),
}


@pytest.fixture
def tablet(browser, live_server, js_errors):
    context = browser.new_context(base_url=live_server.url, **TABLET)
    page = context.new_page()
    watch(page, js_errors)
    yield page
    context.close()


def _course(doctor, patient, consult, code, indication, ingredient):
    """A course planned from the approved protocol `code` on a screening for `indication`."""
    version = Protocol.objects.get(code=code).versions.get()
    if version.maintenance_days_min is None:
        # The seeded fat protocol names no maintenance, and a plan cannot be laid out without
        # one: the clinic sets it on the draft before approving.
        type(version).objects.filter(pk=version.pk).update(
            maintenance_days_min=90, maintenance_days_max=180
        )
        version.refresh_from_db()
    version = formulary_services.approve_version(
        acting_user=doctor,
        via=Interface.WEB,
        version=version,
        revision=version.revision,
        confirmed_unverified=True,
    )
    consult(doctor, patient, indication=indication, planned_ingredients=[ingredient])
    return courses.create_course(
        acting_user=doctor,
        via=Interface.WEB,
        patient=patient,
        version=version,
        plan=course_rules.Plan(
            sessions=version.sessions_min,
            interval_days=version.interval_days_min,
            maintenance_days=version.maintenance_days_min,
        ),
        start_date=timezone.localdate(),
        components=[
            courses.PlannedComponent(
                component=c, volume_per_session=c.volume_per_session_min or Decimal("1")
            )
            for c in version.components.all()
        ],
    )


def _charting_url(plan, doctor):
    """The charting page as a passed start check opens it (the signed start token)."""
    token = start_token(
        course=plan,
        user=doctor,
        number=1,
        pregnant=False,
        breastfeeding=False,
        checked_at=timezone.now(),
    )
    return f"/care/courses/{plan.pk}/sessions/new/?start={token}"


MEASURE = """() => {
  const svg = document.querySelector("[data-zone-map] svg");
  const frame = svg.getBoundingClientRect();
  const scale = svg.getScreenCTM().a;
  return {
    width: frame.width,
    zones: [...svg.querySelectorAll("[data-zone]")].map(zone => {
      const shape = zone.querySelector(".zone-shape").getBoundingClientRect();
      const label = zone.querySelector(".zone-label");
      const box = label.getBoundingClientRect();
      return {
        code: zone.dataset.zone,
        width: shape.width,
        height: shape.height,
        font: parseFloat(getComputedStyle(label).fontSize) * scale,
        inside: box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5
          && box.top >= frame.top - 0.5 && box.bottom <= frame.bottom + 0.5,
      };
    }),
  };
}"""


def test_every_zone_of_each_map_takes_a_fingertip_on_a_landscape_tablet(
    tablet, live_server, shots, js_errors, dermatologist, consult, make_patient, clinic_a
):
    doctor = dermatologist.user
    log_in(tablet, live_server.url, doctor)
    problems = []
    plans = {}
    for name, (code, indication, ingredient, sex) in MAPS.items():
        patient = make_patient(clinic_a, first_name=name.title(), sex=sex)
        plans[name] = _course(doctor, patient, consult, code, indication, ingredient)
    # Each map in English, then in Urdu (longer words, a taller script).
    urdu = [(f"{name}-ur", plan) for name, plan in plans.items()]
    for name, plan in [*plans.items(), *urdu]:
        if name.endswith("-ur"):
            tablet.context.add_cookies(
                [{"name": "django_language", "value": "ur", "url": live_server.url}]
            )
        tablet.goto(_charting_url(plan, doctor))
        zone_map = tablet.locator("[data-zone-map]")
        expect(zone_map).to_be_visible()
        width = tablet.evaluate("document.documentElement.scrollWidth")
        assert width <= TABLET["viewport"]["width"], f"{name}: scrolls sideways ({width}px)"
        measured = tablet.evaluate(MEASURE)
        for zone in measured["zones"]:
            print(
                f"\n[{name} map, {measured['width']:.0f}px] {zone['code']}: "
                f"{zone['width']:.0f} × {zone['height']:.0f} px, label {zone['font']:.1f} px"
            )
            if min(zone["width"], zone["height"]) < FINGERTIP:
                problems.append(f"{name}/{zone['code']}: {zone['width']:.0f}×{zone['height']:.0f}")
            if zone["font"] < LEGIBLE:
                problems.append(f"{name}/{zone['code']}: label {zone['font']:.1f}px")
            if not zone["inside"]:
                problems.append(f"{name}/{zone['code']}: label cut off by the map's edge")
        zone_map.scroll_into_view_if_needed()
        page_shot = shots(tablet, f"{name}-charting-page")
        zone_map.screenshot(path=str(page_shot.with_name(f"{page_shot.stem}-map.png")))
    assert problems == []
    assert js_errors == []


def test_the_worklist_on_a_landscape_tablet(
    tablet,
    live_server,
    shots,
    js_errors,
    dermatologist,
    receptionist,
    consult,
    make_ready,
    make_patient,
    clinic_a,
    lot_a,
):
    doctor = dermatologist.user
    for name, hours in (("Sana Open", 30), ("Hina Closing", 68), ("Rabia Missed", 80)):
        first, last = name.split()
        test = patch_tests.apply_patch_test(
            acting_user=doctor,
            via=Interface.WEB,
            patient=make_patient(clinic_a, first_name=first, last_name=last),
            lots=[lot_a],
            site="inner_forearm",
        )
        hours_pass(test, hours)
    # Planned, its first session a month away; the consent on the plan ended when the plan
    # changed (set up directly): a consent to take again.
    waiting = days_pass(
        make_ready(make_patient(clinic_a, first_name="Amna", last_name="Consent")), -30
    )
    Consent.objects.filter(course=waiting).update(
        invalidated_at=timezone.now(), invalidated_reason="Plan changed."
    )
    make_ready(make_patient(clinic_a, first_name="Saima", last_name="Weekly"))
    days_pass(make_ready(make_patient(clinic_a, first_name="Nida", last_name="Overdue")), 20)

    log_in(tablet, live_server.url, doctor)
    worklist = tablet.locator(".worklist")
    expect(worklist.locator('[data-list="closing_soon"]')).to_contain_text("Hina Closing")
    expect(worklist.locator('[data-list="open"]')).to_contain_text("Sana Open")
    expect(worklist.locator('[data-list="missed"]')).to_contain_text("Rabia Missed")
    expect(worklist.locator('[data-list="consents"]')).to_contain_text("Amna Consent")
    expect(worklist.locator('[data-list="this_week"]')).to_contain_text("Saima Weekly")
    expect(worklist.locator('[data-list="overdue"]')).to_contain_text("Nida Overdue")
    width = tablet.evaluate("document.documentElement.scrollWidth")
    assert width <= TABLET["viewport"]["width"], f"the dashboard scrolls sideways ({width}px)"
    shots(tablet, "worklist-practitioner")
    worklist.locator('[data-list="closing_soon"] a').first.tap()
    expect(tablet.get_by_role("heading", name="Patch test", exact=False).first).to_be_visible()

    log_in(tablet, live_server.url, receptionist)
    expect(tablet.locator('.worklist [data-list="consents"]')).to_contain_text("Amna Consent")
    expect(tablet.locator('.worklist [data-list="missed"]')).to_have_count(0)
    shots(tablet, "worklist-receptionist")
    assert js_errors == []
