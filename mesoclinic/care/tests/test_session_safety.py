"""The gate's hard edges through the services and the API: what no clinic setting can switch
off, consent ending with its course, dates and inputs that would otherwise be a 500."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from mesoclinic.audit.services import Interface
from mesoclinic.care import course as course_rules
from mesoclinic.care.gate import Condition
from mesoclinic.care.models import Consent, ContraindicationRule, Course, TreatmentSession
from mesoclinic.care.services import course_status, courses, sessions
from mesoclinic.care.tests.conftest import consent_for, shorten_plan
from mesoclinic.formulary.models import StockMovement

pytestmark = pytest.mark.django_db
VIA = Interface.WEB


@pytest.fixture
def ready(make_ready, patient_a):
    return make_ready(patient_a)


def _session(user, plan, lot, **changes):
    now = timezone.now()
    data = {
        "lines": [sessions.Line(lot=lot, volume=Decimal("1"), zones=["cheek_left"])],
        "points": 20,
        "technique": "papules",
        "depth": "Intradermal",
        "needle": "30G × 4 mm",
        "started_at": now,
        "ended_at": now,
        "pregnant_today": False,
        "breastfeeding_today": False,
    }
    data.update(changes)
    return sessions.record_session(
        acting_user=user, via=VIA, course=plan, data=sessions.SessionInput(**data)
    )


@pytest.mark.parametrize("answer", ["pregnant_today", "breastfeeding_today"])
def test_pregnancy_or_breastfeeding_today_is_refused_even_with_the_rules_switched_off(
    dermatologist, ready, lot_a, answer
):
    ContraindicationRule.objects.filter(code__in=["pregnancy", "breastfeeding"]).update(
        is_active=False
    )
    with pytest.raises(sessions.GateRefused) as refused:
        _session(dermatologist.user, ready, lot_a, **{answer: True})
    conditions = {failure.condition for failure in refused.value.failures}
    assert conditions == {Condition.PREGNANT_OR_BREASTFEEDING}
    assert "breastfeeding today: no session" in str(refused.value)
    assert not TreatmentSession.objects.exists()
    assert not StockMovement.objects.filter(kind="used").exists()


def test_the_start_check_refuses_before_the_needle_and_audits_what_it_disclosed(
    dermatologist, ready
):
    from mesoclinic.audit.models import AuditEvent
    from mesoclinic.care.services.gate_facts import check_start

    failures = check_start(
        acting_user=dermatologist.user,
        via=VIA,
        course=ready,
        pregnant_today=True,
        breastfeeding_today=False,
    )
    assert {f.condition for f in failures} == {
        Condition.PREGNANT_OR_BREASTFEEDING,
        Condition.CONTRAINDICATED,
    }
    passed = check_start(
        acting_user=dermatologist.user,
        via=VIA,
        course=ready,
        pregnant_today=False,
        breastfeeding_today=False,
    )
    assert passed == ()
    checks = AuditEvent.objects.filter(object_type="care.course", detail__has_key="start_check")
    assert [e.detail["start_check"] for e in checks.order_by("id")] == [
        ["pregnant_or_breastfeeding", "contraindicated"],
        ["passed"],
    ]


def test_completing_a_course_ends_its_consent_so_the_next_course_is_consented_afresh(
    dermatologist, receptionist, ready, lot_a
):
    shorten_plan(ready, 1)
    _session(dermatologist.user, ready, lot_a)
    consent = Consent.objects.get()
    assert not consent.is_valid
    assert consent.invalidated_reason == f"Course {ready.pk} completed."
    # A new course for the same patient and procedure needs a new consent.
    again = _plan(dermatologist.user, ready.patient, ready.protocol_version)
    with pytest.raises(sessions.GateRefused) as refused:
        _session(dermatologist.user, again, lot_a)
    assert {f.condition for f in refused.value.failures} == {Condition.CONSENT_MISSING}
    consent_for(receptionist, ready.patient)
    assert _session(dermatologist.user, again, lot_a).number == 1


def test_cancelling_a_course_ends_its_consent(dermatologist, ready):
    course_status.set_course_status(
        acting_user=dermatologist.user,
        via=VIA,
        course=ready,
        status=Course.Status.CANCELLED,
        reason="Patient moved abroad",
    )
    assert Consent.objects.get().invalidated_reason == f"Course {ready.pk} cancelled."


def _plan(user, patient, version, start=None):
    return courses.create_course(
        acting_user=user,
        via=VIA,
        patient=patient,
        version=version,
        plan=course_rules.Plan(sessions=6, interval_days=14, maintenance_days=90),
        start_date=start or date.today(),
        components=[
            courses.PlannedComponent(component=c, volume_per_session=Decimal("2"))
            for c in version.components.all()
        ],
    )


@pytest.mark.parametrize("start", [date(9999, 12, 1), date(1, 1, 1), date.today() + timedelta(400)])
def test_a_course_starting_at_an_impossible_date_is_a_field_error(
    dermatologist, patient_a, consult, melasma_version, start
):
    consult(dermatologist.user, patient_a)
    with pytest.raises(ValidationError) as refused:
        _plan(dermatologist.user, patient_a, melasma_version, start)
    assert "start_date" in refused.value.message_dict
    assert not Course.objects.exists()


@pytest.mark.parametrize("started", [timedelta(days=8), timedelta(days=-1)])
def test_a_session_start_long_ago_or_in_the_future_is_a_field_error(
    dermatologist, ready, lot_a, started
):
    with pytest.raises(ValidationError) as refused:
        _session(
            dermatologist.user,
            ready,
            lot_a,
            started_at=timezone.now() - started,
            ended_at=timezone.now(),
        )
    assert "started_at" in refused.value.message_dict
    assert not TreatmentSession.objects.exists()


def test_the_api_takes_unicode_digits_and_deep_nesting_as_bad_input_not_a_500(dermatologist):
    api = APIClient()
    api.force_authenticate(dermatologist.user)
    # Issue 21: a filter that is not an id is a 400 naming it, not ignored (the whole list).
    assert api.get("/api/v1/courses/", {"patient": "²"}).status_code == 400
    assert api.get("/api/v1/sessions/", {"course": "²"}).status_code == 400
    deep = "[" * 100_000 + "]" * 100_000
    response = api.post("/api/v1/screening/evaluate", deep, content_type="application/json")
    assert response.status_code == 400


def test_a_clinics_own_ingredient_is_never_eligible_without_review(dermatologist):
    from mesoclinic.formulary.models import Ingredient

    Ingredient.objects.create(
        code="polynucleotide",
        name="Polynucleotide",
        name_ur="پولی نیوکلیوٹائڈ",
        concentration_unit="mg/mL",
    )
    api = APIClient()
    api.force_authenticate(dermatologist.user)
    url = "/api/v1/screening/evaluate"
    response = api.post(
        url,
        {"patient": {"sex": "female", "age": 30}, "ingredients": ["polynucleotide"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["decision"] == "needs_review" and body["reasons"]
    # An allergy to it can be stated too (the web form's allergy list is the formulary's).
    allergic = api.post(
        url,
        {
            "patient": {"sex": "female", "age": 30, "allergies": ["polynucleotide"]},
            "ingredients": ["polynucleotide"],
        },
        format="json",
    )
    assert allergic.status_code == 200 and allergic.json()["decision"] == "contraindicated"


def _change(user, plan, **changes):
    values = {"sessions": 6, "interval_days": 14, "maintenance_days": 90}
    values.update(changes)
    return courses.update_course(
        acting_user=user,
        via=VIA,
        course_to_change=plan,
        plan=course_rules.Plan(
            values["sessions"], values["interval_days"], values["maintenance_days"]
        ),
        start_date=plan.start_date,
        components=[
            courses.PlannedComponent(component=c.protocol_component, volume_per_session=Decimal(2))
            for c in plan.components.all()
        ],
    )


def test_changing_a_plan_keeps_charted_dates_and_lays_out_the_rest_from_the_last_session(
    dermatologist, ready, lot_a
):
    kept = ready.session_dates[0]
    session = _session(dermatologist.user, ready, lot_a)
    changed = _change(dermatologist.user, ready, interval_days=21)
    given = timezone.localdate(session.started_at)
    assert changed.session_dates[0] == kept
    assert changed.session_dates[1] == (given + timedelta(days=21)).isoformat()
    assert len(changed.session_dates) == 6
    assert changed.maintenance_due == given + timedelta(days=21 * 5 + 90)


def test_a_plan_cannot_shrink_to_the_sessions_already_charted(dermatologist, ready, lot_a):
    shorten_plan(ready, 2)
    _session(dermatologist.user, ready, lot_a)
    with pytest.raises(ValidationError) as refused:
        _change(dermatologist.user, ready, sessions=1)
    assert "already charted" in refused.value.message_dict["sessions"][0]


def test_it_refuses_a_second_course_under_way_for_the_same_indication(dermatologist, ready):
    with pytest.raises(ValidationError) as refused:
        _plan(dermatologist.user, ready.patient, ready.protocol_version)
    assert f"Course {ready.pk} for this indication is still under way" in str(refused.value)
    assert Course.objects.count() == 1
    course_status.set_course_status(
        acting_user=dermatologist.user,
        via=VIA,
        course=ready,
        status=Course.Status.PAUSED,
        reason="Travelling",
    )
    with pytest.raises(ValidationError):  # paused is still under way
        _plan(dermatologist.user, ready.patient, ready.protocol_version)
