"""Plans and sessions through the services: the gate refuses each failing condition on its own
(nothing written, ledger unchanged) and passes when all hold; the stock is drawn with the
session and a recall finds it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mesoclinic.audit.services import Interface
from mesoclinic.care import course as course_rules
from mesoclinic.care.gate import Condition
from mesoclinic.care.models import (
    Allergy,
    CareSettings,
    Consent,
    Consultation,
    Course,
    PatchTest,
    TreatmentSession,
)
from mesoclinic.care.services import courses, patch_tests, sessions
from mesoclinic.care.tests.conftest import consent_for, patch_test_applied_hours_ago, shorten_plan
from mesoclinic.formulary import services as formulary_services
from mesoclinic.formulary.models import Ingredient, StockMovement

pytestmark = pytest.mark.django_db
VIA = Interface.WEB


@pytest.fixture
def ready(make_ready, patient_a):
    return make_ready(patient_a)


def _session(user, plan, lot, **changes):
    now = timezone.now()
    data = {
        "lines": [sessions.Line(lot=lot, volume=Decimal("2"), zones=["cheek_left", "cheek_right"])],
        "points": 40,
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


def test_a_course_lays_out_its_dates_within_the_protocol(ready):
    assert ready.sessions_planned == 6
    assert ready.session_dates[1] == (date.today() + timedelta(days=14)).isoformat()
    assert ready.maintenance_due == date.today() + timedelta(days=70 + 90)


def test_a_plan_outside_the_protocols_ranges_is_refused_naming_each_value(
    dermatologist, patient_a, consult, melasma_version
):
    consult(dermatologist.user, patient_a)
    with pytest.raises(ValidationError) as refused:
        courses.create_course(
            acting_user=dermatologist.user,
            via=VIA,
            patient=patient_a,
            version=melasma_version,
            plan=course_rules.Plan(sessions=12, interval_days=3, maintenance_days=90),
            start_date=date.today(),
            components=[
                courses.PlannedComponent(component=c, volume_per_session=Decimal("6"))
                for c in melasma_version.components.all()
            ],
        )
    errors = refused.value.message_dict
    assert {"sessions", "interval_days", "components"} <= set(errors)
    assert "Between 4 and 7" in errors["sessions"][0]
    assert not Course.objects.exists()


def test_the_gate_passes_when_everything_holds_and_the_stock_is_drawn(dermatologist, ready, lot_a):
    session = _session(dermatologist.user, ready, lot_a)
    lot_a.refresh_from_db()
    assert lot_a.balance == Decimal("8")
    product = session.products.get()
    assert product.movement.kind == "used" and product.movement.patient_id == ready.patient_id
    assert product.zones == ["cheek_left", "cheek_right"]
    assert session.number == 1
    # What the gate saw is stored with the session.
    seen = session.gate["facts"]
    assert seen["pregnancy_confirmed_today"] is True and seen["consent_valid"] is True
    assert seen["negative_patch_tests"] == ["tranexamic_acid"]
    (lot,) = seen["lots"]
    assert (lot["lot_number"], lot["needed"], lot["blockers"]) == ("TXA-A1", "2", [])
    assert Decimal(lot["balance"]) == Decimal("10")


def _refused_with(condition, user, plan, lot, *, also=(), **changes):
    """The gate refuses with exactly `condition` (and the `also` conditions the same change
    necessarily brings), writing nothing."""
    movements = StockMovement.objects.count()
    with pytest.raises(sessions.GateRefused) as refused:
        _session(user, plan, lot, **changes)
    assert {failure.condition for failure in refused.value.failures} == {condition, *also}
    assert not TreatmentSession.objects.exists()
    assert StockMovement.objects.count() == movements
    return refused.value


def test_the_gate_refuses_a_stale_screening(dermatologist, ready, lot_a):
    Consultation.objects.update(recorded_at=timezone.now() - timedelta(days=91))
    _refused_with(Condition.SCREENING_STALE, dermatologist.user, ready, lot_a)


def test_the_gate_refuses_a_screening_older_than_a_new_allergy(dermatologist, ready, lot_a):
    Allergy.objects.create(
        patient=ready.patient,
        ingredient=Ingredient.objects.get(code="lidocaine"),
        source="reported",
        recorded_by=dermatologist.user,
    )
    _refused_with(Condition.SCREENING_OUTDATED, dermatologist.user, ready, lot_a)


def test_the_gate_refuses_when_pregnancy_was_not_asked_today(dermatologist, ready, lot_a):
    refused = _refused_with(
        Condition.PREGNANCY_NOT_CONFIRMED, dermatologist.user, ready, lot_a, pregnant_today=None
    )
    assert "Ask today whether the patient is pregnant" in str(refused)


def test_the_gate_refuses_a_patient_pregnant_today(dermatologist, ready, lot_a):
    refused = _refused_with(
        Condition.CONTRAINDICATED,
        dermatologist.user,
        ready,
        lot_a,
        also=[Condition.PREGNANT_OR_BREASTFEEDING],
        pregnant_today=True,
    )
    assert "Pregnancy: mesotherapy is not given during pregnancy." in str(refused)


def test_the_gate_refuses_unjustified_relative_reasons(
    dermatologist, receptionist, ready, lot_a, consult
):
    consult(dermatologist.user, ready.patient, medications=["antiplatelet"])
    consent_for(receptionist, ready.patient)  # the changed facts ended the first consent
    refused = _refused_with(Condition.RELATIVE_NOT_JUSTIFIED, dermatologist.user, ready, lot_a)
    assert "Blood thinners or a bleeding disorder" in str(refused)


def test_the_gate_refuses_without_a_valid_consent(dermatologist, ready, lot_a):
    Consent.objects.update(invalidated_at=timezone.now(), invalidated_reason="withdrawn")
    _refused_with(Condition.CONSENT_MISSING, dermatologist.user, ready, lot_a)


def test_the_gate_refuses_an_expired_patch_test(dermatologist, ready, lot_a):
    PatchTest.objects.update(valid_until=timezone.now() - timedelta(days=1))
    refused = _refused_with(Condition.PATCH_TEST_MISSING, dermatologist.user, ready, lot_a)
    assert "No negative patch test still valid for: Tranexamic acid." in str(refused)


def test_the_gate_refuses_a_positive_patch_test(dermatologist, ready, lot_a, make_lot, txa):
    test = patch_test_applied_hours_ago(
        dermatologist.user, ready.patient, [make_lot(ready.clinic, txa, "TXA-A2")], 30
    )
    patch_tests.read_patch_test(
        acting_user=dermatologist.user,
        via=VIA,
        patch_test=test,
        result="positive",
        reaction="wheal",
    )
    # A positive reading also outdates the screening and ends the standing consent.
    _refused_with(
        Condition.PATCH_TEST_POSITIVE,
        dermatologist.user,
        ready,
        lot_a,
        also=[Condition.SCREENING_OUTDATED, Condition.CONSENT_MISSING],
    )


def test_the_gate_refuses_an_uncredentialed_practitioner(make_practitioner, clinic_a, ready, lot_a):
    nurse = make_practitioner("nurse_a", clinic_a, verified=False, qualification="nurse")
    _refused_with(Condition.PRACTITIONER_NOT_CREDENTIALED, nurse.user, ready, lot_a)


def test_the_gate_refuses_a_qualification_the_clinic_does_not_allow(
    dermatologist, ready, lot_a, clinic_a
):
    CareSettings.objects.create(
        clinic=clinic_a, allowed_qualifications={"mesotherapy_face": ["physician"]}
    )
    _refused_with(Condition.PRACTITIONER_NOT_ALLOWED, dermatologist.user, ready, lot_a)


def test_the_gate_refuses_a_recalled_lot(dermatologist, administrator, ready, lot_a):
    formulary_services.recall_lot(acting_user=administrator, via=VIA, lot=lot_a, reason="notice")
    lot_a.refresh_from_db()
    refused = _refused_with(Condition.LOT_UNUSABLE, dermatologist.user, ready, lot_a)
    assert "TXA-A1" in str(refused)


def test_the_gate_refuses_more_than_the_lot_holds(dermatologist, ready, lot_a, clinic_a, txa):
    formulary_services.record_movement(
        acting_user=dermatologist.user, via=VIA, lot=lot_a, kind="wasted", quantity=Decimal("9")
    )
    lot_a.refresh_from_db()
    _refused_with(Condition.LOT_INSUFFICIENT, dermatologist.user, ready, lot_a)


def test_the_gate_refuses_a_paused_course(dermatologist, ready, lot_a):
    Course.objects.update(status=Course.Status.PAUSED)
    _refused_with(Condition.COURSE_NOT_ACTIVE, dermatologist.user, ready, lot_a)


def test_impossible_values_are_field_errors_and_the_ledger_is_unchanged(
    dermatologist, ready, lot_a, make_lot, clinic_b, txa
):
    other = make_lot(clinic_b, txa, "TXA-B1")
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        _session(
            dermatologist.user,
            ready,
            lot_a,
            lines=[
                sessions.Line(lot=lot_a, volume=Decimal("0"), zones=["cheek_left"]),
                sessions.Line(lot=other, volume=Decimal("1"), zones=["scalp?"]),
            ],
            points=0,
            started_at=now - timedelta(minutes=5),
            ended_at=now - timedelta(minutes=10),
        )
    errors = refused.value.message_dict
    assert {"lines", "points", "ended_at"} <= set(errors)
    text = " ".join(errors["lines"])
    # Another clinic's lot is refused without a word about it, not even its number.
    assert "more than 0 mL" in text and "This is not a lot of this clinic." in text
    assert "TXA-B1" not in text
    assert "Unknown zones: scalp?" in text
    assert not TreatmentSession.objects.exists()
    lot_a.refresh_from_db()
    assert lot_a.balance == Decimal("10")


def test_a_session_over_the_protocols_maximum_is_refused(dermatologist, ready, lot_a):
    with pytest.raises(ValidationError) as refused:
        _session(
            dermatologist.user,
            ready,
            lot_a,
            lines=[sessions.Line(lot=lot_a, volume=Decimal("4.5"), zones=["forehead"])],
        )
    assert "volumes" in refused.value.message_dict
    assert not TreatmentSession.objects.exists()


def test_a_recall_of_the_lot_lists_the_session(dermatologist, administrator, ready, lot_a):
    from mesoclinic.formulary.selectors import recall_recipients

    session = _session(dermatologist.user, ready, lot_a)
    movement = session.products.get().movement
    assert movement.session_product.session == session
    recipients = list(recall_recipients(administrator, lot=lot_a))
    assert [r.pk for r in recipients] == [movement.pk]


def test_the_recall_page_and_api_name_the_session(
    client, dermatologist, administrator, ready, lot_a
):
    from django.urls import reverse
    from rest_framework.test import APIClient

    session = _session(dermatologist.user, ready, lot_a)
    client.force_login(administrator)
    page = client.get(reverse("formulary:recipients", args=[lot_a.pk]))
    assert reverse("care:session", args=[session.pk]) in page.text
    api = APIClient()
    api.force_authenticate(administrator)
    rows = api.get(f"/api/v1/lots/{lot_a.pk}/recipients/").json()["results"]
    assert [row["session"] for row in rows] == [session.pk]


def test_a_session_that_started_before_the_consent_was_signed_is_refused(
    dermatologist, ready, lot_a
):
    signed = Consent.objects.get().signed_at
    _refused_with(
        Condition.CONSENT_MISSING,
        dermatologist.user,
        ready,
        lot_a,
        # The screening and the patch-test reading (made just before the consent by the
        # fixture) came after such a start too.
        also=[Condition.SCREENING_MISSING, Condition.PATCH_TEST_MISSING],
        started_at=signed - timedelta(minutes=2),
        ended_at=timezone.now(),
    )


def test_a_product_outside_the_plan_is_refused(dermatologist, ready, make_lot, clinic_a):
    from mesoclinic.formulary.models import Product, ProductIngredient

    hyaluronic = Product.objects.create(
        brand="HA demo",
        manufacturer="Test",
        form="solution",
        pack_size=Decimal("3"),
        storage="room",
        low_stock_level=Decimal("1"),
    )
    ProductIngredient.objects.create(
        product=hyaluronic,
        ingredient=Ingredient.objects.get(code="hyaluronic_acid"),
        concentration=Decimal("15"),
        unit="mg/mL",
    )
    lot = make_lot(clinic_a, hyaluronic, "HA-1", "20")
    with pytest.raises(ValidationError) as refused:
        _session(
            dermatologist.user,
            ready,
            lot,
            lines=[sessions.Line(lot=lot, volume=Decimal("15"), zones=["forehead"])],
        )
    assert "HA-1 is not part of this course's planned cocktail" in str(refused.value)
    assert not TreatmentSession.objects.exists()


def test_the_volume_per_point_is_checked_against_the_protocol(dermatologist, ready, lot_a):
    with pytest.raises(ValidationError) as refused:
        _session(dermatologist.user, ready, lot_a, points=1)  # 2 mL in one point
    assert "volumes" in refused.value.message_dict
    assert not TreatmentSession.objects.exists()


def test_finishing_the_last_planned_session_completes_the_course_audited(
    dermatologist, ready, lot_a
):
    from mesoclinic.audit.models import AuditEvent

    shorten_plan(ready, 1)
    _session(dermatologist.user, ready, lot_a)
    ready.refresh_from_db()
    assert ready.status == "completed"
    assert AuditEvent.objects.filter(
        object_type="care.course", object_id=str(ready.pk), changed_fields=["status"]
    ).exists()


def _plan(user, patient, version, volume, reason=""):
    return courses.create_course(
        acting_user=user,
        via=VIA,
        patient=patient,
        version=version,
        plan=course_rules.Plan(sessions=6, interval_days=14, maintenance_days=90),
        start_date=date.today(),
        components=[
            courses.PlannedComponent(component=c, volume_per_session=Decimal(volume))
            for c in version.components.all()
        ],
        override_reason=reason,
    )


def test_a_dermatologist_passes_a_limit_with_a_recorded_reason_but_never_the_ceiling(
    dermatologist, practitioner_user, patient_a, consult, melasma_version
):
    from mesoclinic.care.models import DoseOverride

    consult(dermatologist.user, patient_a)
    # A physician plans, but the clinic's policy leaves dose overrides to dermatologists.
    with pytest.raises(ValidationError, match=r"\(Other physician\) record dose overrides"):
        _plan(practitioner_user, patient_a, melasma_version, "4.5", reason="Extensive melasma")
    with pytest.raises(ValidationError, match="must record an override"):
        _plan(dermatologist.user, patient_a, melasma_version, "4.5")
    with pytest.raises(ValidationError):
        _plan(dermatologist.user, patient_a, melasma_version, "6", reason="More")  # ceiling 5
    plan = _plan(dermatologist.user, patient_a, melasma_version, "4.5", reason="Extensive melasma")
    override = plan.components.get().override
    assert override.reason == "Extensive melasma" and override.approved_by == dermatologist
    assert DoseOverride.objects.count() == 1
