"""The gate learns time and totals (issue 15): the interval since the course's last session,
never two sessions of a course in a day, the protocol's session limits across everything the
patient received that day, the plan's volume; and plans that follow the screening and the
sessions as they actually happened. Through the services and the API, on a real database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.care import course as course_rules
from mesoclinic.care.gate import Condition
from mesoclinic.care.models import Allergy, Consultation, Course, DoseOverride, TreatmentSession
from mesoclinic.care.services import course_status, courses, sessions
from mesoclinic.care.tests.conftest import chart_session, consent_for, plan_course
from mesoclinic.formulary.models import Ingredient, StockMovement

pytestmark = pytest.mark.django_db
VIA = Interface.WEB


@pytest.fixture
def ready(make_ready, patient_a):
    return make_ready(patient_a)


def _chart(user, plan, lot, volume="2", **changes):
    # 100 points: 0.02–0.05 mL a point for up to 5 mL.
    return chart_session(user, plan, lot, volume=volume, **{"points": 100, **changes})


def _refused(user, plan, lot, volume="2", **changes):
    before = (TreatmentSession.objects.count(), StockMovement.objects.count())
    with pytest.raises(sessions.GateRefused) as refused:
        _chart(user, plan, lot, volume, **changes)
    assert (TreatmentSession.objects.count(), StockMovement.objects.count()) == before
    return refused.value


def _move_sessions_back(days):
    """The charted sessions as if given `days` ago (setting up the past, not a rule)."""
    then = timezone.now() - timedelta(days=days)
    TreatmentSession.objects.update(started_at=then, ended_at=then)
    return timezone.localdate(then)


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_second_session_of_the_course_the_same_evening_is_refused_whatever_the_reason(
    dermatologist, ready, lot_a
):
    _chart(dermatologist.user, ready, lot_a)
    refused = _refused(
        dermatologist.user, ready, lot_a, override_reason="Patient is travelling tomorrow."
    )
    assert [(f.condition, f.detail) for f in refused.failures] == [
        (Condition.SAME_DAY, (timezone.localdate().isoformat(),))
    ]
    assert "a second session of the same course on the same day" in refused.messages[0]
    # Through the API: 409 naming the condition, nothing written.
    now = timezone.now().isoformat()
    response = _api(dermatologist.user).post(
        "/api/v1/sessions/",
        {
            "course": ready.pk,
            "lines": [{"lot": lot_a.pk, "volume": "2.00", "zones": ["cheek_left"]}],
            "points": 100,
            "technique": "papules",
            "depth": "Intradermal",
            "needle": "30G",
            "started_at": now,
            "ended_at": now,
            "pregnant_today": False,
            "breastfeeding_today": False,
        },
        format="json",
    )
    assert response.status_code == 409
    assert [f["condition"] for f in response.json()["failures"]] == ["same_day"]
    assert TreatmentSession.objects.count() == 1


def test_a_session_sooner_than_the_protocols_interval_names_the_last_and_earliest_dates(
    dermatologist, ready, lot_a
):
    _chart(dermatologist.user, ready, lot_a)
    last = _move_sessions_back(10)
    refused = _refused(dermatologist.user, ready, lot_a)
    earliest = last + timedelta(days=14)  # the melasma protocol's minimum
    assert [(f.condition, f.detail) for f in refused.failures] == [
        (Condition.TOO_SOON, (last.isoformat(), earliest.isoformat()))
    ]
    message = refused.messages[0]
    assert f"{last.day} {last:%B} {last.year}" in message
    assert f"{earliest.day} {earliest:%B} {earliest.year}" in message


def test_the_interval_is_kept_to_the_day(client, dermatologist, ready, lot_a):
    _chart(dermatologist.user, ready, lot_a)
    last = _move_sessions_back(14)
    client.force_login(dermatologist.user)
    page = client.get(f"/care/courses/{ready.pk}/").text
    earliest = last + timedelta(days=14)
    assert f"Next session not before: <strong>{earliest.day} {earliest:%b} {earliest.year}" in (
        page
    )
    assert _chart(dermatologist.user, ready, lot_a).number == 2


def test_a_credentialed_dermatologist_passes_the_interval_with_a_recorded_reason(
    dermatologist, ready, lot_a
):
    _chart(dermatologist.user, ready, lot_a)
    _move_sessions_back(10)
    reason = "Wedding in four days; reviewed the skin, fully settled."
    session = _chart(dermatologist.user, ready, lot_a, override_reason=reason)
    assert session.override_reason == reason
    event = AuditEvent.objects.filter(
        object_type="care.treatmentsession", object_id=str(session.pk), action="create"
    ).get()
    assert event.detail == {"override": ["interval"]}
    assert session.gate["facts"]["interval_overridden"] is True


def test_only_a_credentialed_dermatologist_may_give_an_override_reason(
    make_practitioner, clinic_a, ready, lot_a, dermatologist
):
    _chart(dermatologist.user, ready, lot_a)
    _move_sessions_back(10)
    physician = make_practitioner("physician_a", clinic_a, qualification="physician")
    with pytest.raises(ValidationError) as refused:
        _chart(physician.user, ready, lot_a, override_reason="I think it is fine.")
    # The clinic's policy names who may override (dermatologists, by default).
    assert "record dose overrides" in str(refused.value)
    # Without a reason the physician meets the gate's interval.
    assert {f.condition for f in _refused(physician.user, ready, lot_a).failures} == {
        Condition.TOO_SOON
    }


def test_more_than_the_plans_volume_needs_a_dermatologists_recorded_override(
    make_practitioner, clinic_a, dermatologist, ready, lot_a
):
    physician = make_practitioner("physician_a", clinic_a, qualification="physician")
    refused = _refused(physician.user, ready, lot_a, volume="3")
    assert [(f.condition, f.detail) for f in refused.failures] == [
        (Condition.ABOVE_PLAN, ("3|2|Tranexamic acid 4 mg/mL",))
    ]
    assert "Tranexamic acid 4 mg/mL: 3 mL (planned 2 mL)" in refused.messages[0]
    assert not DoseOverride.objects.exists()
    session = _chart(dermatologist.user, ready, lot_a, volume="3", override_reason="Wider area.")
    override = DoseOverride.objects.get()
    assert override.amount["total"] == "3" and override.reason == "Wider area."
    assert session.override_reason == "Wider area."


def test_less_than_the_plan_is_fine_and_shown(client, dermatologist, ready, lot_a):
    session = _chart(dermatologist.user, ready, lot_a, volume="1.5", points=50)
    assert session.number == 1
    client.force_login(dermatologist.user)
    page = client.get(f"/care/sessions/{session.pk}/").text
    assert "Tranexamic acid 4 mg/mL</span>: 1.5 mL of 2.00 mL planned" in page


def _charted_then_planned_again(dermatologist, receptionist, ready, lot_a, *, volume):
    """2 mL charted on `ready` today, the course cancelled, a new one planned at `volume` mL
    a session and consented: a second course for the same day."""
    _chart(dermatologist.user, ready, lot_a)
    course_status.set_course_status(
        acting_user=dermatologist.user,
        via=VIA,
        course=ready,
        status=Course.Status.CANCELLED,
        reason="Planned again",
    )
    again = plan_course(dermatologist.user, ready.patient, ready.protocol_version, volume=volume)
    consent_for(receptionist, ready.patient)
    return again


def test_the_protocols_session_limits_hold_for_the_whole_day_across_courses(
    dermatologist, receptionist, ready, lot_a
):
    """The dermatologist's evening: 2 mL on one course, the course cancelled and planned again,
    then 3 mL more on the new one: 5 mL of tranexamic acid in a day, past the 4 mL maximum."""
    again = _charted_then_planned_again(dermatologist, receptionist, ready, lot_a, volume="3")
    refused = _refused(dermatologist.user, again, lot_a, volume="3")
    assert [(f.condition, f.detail) for f in refused.failures] == [
        (Condition.DAILY_LIMIT, ("5|4|Tranexamic acid 4 mg/mL",))
    ]
    assert "earlier today" in refused.messages[0]
    # A dermatologist's reason passes the maximum (recorded as an override of the day's 5 mL)…
    session = _chart(dermatologist.user, again, lot_a, volume="3", override_reason="Reviewed.")
    assert DoseOverride.objects.get().amount["total"] == "5"
    assert session.number == 1


def test_no_reason_passes_the_ceiling_across_the_day(dermatologist, receptionist, ready, lot_a):
    again = _charted_then_planned_again(dermatologist, receptionist, ready, lot_a, volume="3.5")
    refused = _refused(dermatologist.user, again, lot_a, volume="3.5", override_reason="Reviewed.")
    assert [(f.condition, f.detail) for f in refused.failures] == [
        (Condition.DAILY_LIMIT, ("5.5|5|Tranexamic acid 4 mg/mL",))
    ]
    assert not DoseOverride.objects.filter(amount__total="5.5").exists()


def test_the_next_dates_and_the_maintenance_follow_the_session_as_it_happened(
    dermatologist, ready, lot_a
):
    # The plan's first target was three days ago; the session happens today.
    planned = [date.fromisoformat(day) - timedelta(days=3) for day in ready.session_dates]
    Course.objects.filter(pk=ready.pk).update(
        start_date=planned[0], session_dates=[day.isoformat() for day in planned]
    )
    ready.refresh_from_db()
    _chart(dermatologist.user, ready, lot_a)
    ready.refresh_from_db()
    today = timezone.localdate()
    assert ready.session_dates[0] == today.isoformat()
    assert ready.session_dates[1] == (today + timedelta(days=14)).isoformat()
    assert len(ready.session_dates) == 6
    assert ready.maintenance_due == today + timedelta(days=14 * 5 + 90)


def test_no_plan_on_a_screening_a_later_allergy_made_out_of_date(
    dermatologist, patient_a, consult, melasma_version, formulary_seed
):
    consult(dermatologist.user, patient_a, planned_ingredients=["tranexamic_acid"])
    Allergy.objects.create(
        patient=patient_a,
        ingredient=Ingredient.objects.get(code="lidocaine"),
        source="reported",
        recorded_by=dermatologist.user,
    )
    with pytest.raises(ValidationError) as refused:
        plan_course(dermatologist.user, patient_a, melasma_version)
    assert "screen the patient again before planning" in str(refused.value)
    assert not Course.objects.exists()


def test_no_plan_on_a_screening_older_than_the_clinics_limit(
    dermatologist, patient_a, consult, melasma_version
):
    consult(dermatologist.user, patient_a, planned_ingredients=["tranexamic_acid"])
    Consultation.objects.update(recorded_at=timezone.now() - timedelta(days=91))
    with pytest.raises(ValidationError) as refused:
        plan_course(dermatologist.user, patient_a, melasma_version)
    assert "older than the clinic's limit of 90 days" in str(refused.value)


def test_the_database_keeps_one_course_under_way_per_indication(ready):
    def insert_another():
        """A second melasma course written straight to the database (past the service)."""
        return Course.objects.create(
            patient=ready.patient,
            clinic=ready.clinic,
            consultation=ready.consultation,
            protocol_version=ready.protocol_version,
            indication=ready.indication,
            sessions_planned=4,
            interval_days=14,
            maintenance_days=90,
            start_date=date.today(),
            session_dates=[],
            maintenance_due=date.today() + timedelta(days=100),
            created_by=ready.created_by,
        )

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_another()
    Course.objects.filter(pk=ready.pk).update(status=Course.Status.COMPLETED)
    insert_another()  # a completed course leaves room for the next


def test_a_localized_fat_course_is_planned_though_its_protocol_sets_no_maintenance_range(
    dermatologist, patient_a, consult, formulary_seed
):
    from mesoclinic.formulary import services as formulary_services
    from mesoclinic.formulary.models import Protocol

    version = Protocol.objects.get(code="localized-fat-deoxycholic").versions.get()
    assert version.maintenance_days_min is None
    version = formulary_services.approve_version(
        acting_user=dermatologist.user,
        via=VIA,
        version=version,
        revision=version.revision,
        confirmed_unverified=True,
    )
    consult(dermatologist.user, patient_a, indication="localized_fat")
    planned = courses.create_course(
        acting_user=dermatologist.user,
        via=VIA,
        patient=patient_a,
        version=version,
        plan=course_rules.Plan(
            sessions=version.sessions_min,
            interval_days=version.interval_days_min,
            maintenance_days=180,
        ),
        start_date=date.today(),
        components=[
            courses.PlannedComponent(
                component=c,
                volume_per_session=c.volume_per_session_min or Decimal("1"),
                points=10,
            )
            for c in version.components.all()
        ],
    )
    assert planned.maintenance_days == 180


def test_a_reason_passes_a_per_point_limit_only_by_recording_it(dermatologist, ready, lot_a):
    """2 mL over 10 points is 0.2 mL a point against the protocol's 0.05: refused without a
    reason; with a dermatologist's reason, charted with the override and the reason kept."""
    with pytest.raises(ValidationError) as refused:
        _chart(dermatologist.user, ready, lot_a, points=10)
    assert "per point" in str(refused.value)
    session = _chart(dermatologist.user, ready, lot_a, points=10, override_reason="Small area.")
    override = DoseOverride.objects.get()
    assert "per_point_max" in override.limits_crossed and "charting" in override.limits_crossed
    assert session.override_reason == "Small area."


def test_an_override_given_while_charting_is_never_taken_up_by_a_plan(
    dermatologist, practitioner_user, ready, lot_a
):
    _chart(dermatologist.user, ready, lot_a, volume="4.5", override_reason="One session only.")
    assert DoseOverride.objects.get().amount["total"] == "4.5"
    component = ready.components.get().protocol_component
    with pytest.raises(ValidationError) as refused:
        courses.update_course(
            acting_user=practitioner_user,  # a physician, who may plan but not override
            via=VIA,
            course_to_change=ready,
            plan=course_rules.Plan(6, 14, 90),
            start_date=ready.start_date,
            components=[
                courses.PlannedComponent(component=component, volume_per_session=Decimal("4.5"))
            ],
        )
    assert "override" in str(refused.value)
    ready.refresh_from_db()
    assert ready.components.get().override is None


def test_a_clinic_that_allows_no_overrides_refuses_a_dermatologists_reason_while_charting(
    dermatologist, ready, lot_a, clinic_a
):
    from mesoclinic.care.models import CareSettings
    from mesoclinic.care.models.policy import default_recording_qualifications

    CareSettings.objects.update_or_create(
        clinic=clinic_a,
        defaults={
            "recording_qualifications": {**default_recording_qualifications(), "override": []}
        },
    )
    _chart(dermatologist.user, ready, lot_a)
    _move_sessions_back(10)
    with pytest.raises(ValidationError) as refused:
        _chart(dermatologist.user, ready, lot_a, override_reason="Wedding.")
    assert "override_reason" in refused.value.message_dict
    assert TreatmentSession.objects.count() == 1


def test_the_first_session_dates_the_course(dermatologist, ready, lot_a):
    Course.objects.filter(pk=ready.pk).update(start_date=ready.start_date + timedelta(days=5))
    ready.refresh_from_db()
    _chart(dermatologist.user, ready, lot_a)
    ready.refresh_from_db()
    assert ready.start_date == timezone.localdate()
