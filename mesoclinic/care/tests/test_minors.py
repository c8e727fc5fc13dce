"""Minors (issue 15): below the clinic's adult age (the chain's "minor" rule, 18 as shipped,
or the clinic's own) a screening needs a credentialed dermatologist's review, a parent or
guardian signs the consent, and the session gate refuses until the review is recorded. The
age is the patient's on the day of the consultation, from their date of birth."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mesoclinic.audit.services import Interface
from mesoclinic.care import selectors
from mesoclinic.care.gate import Condition
from mesoclinic.care.models import (
    CareSettings,
    Consent,
    Consultation,
    ContraindicationRule,
    TreatmentSession,
)
from mesoclinic.care.services import consents, patch_tests, screening, sessions
from mesoclinic.care.tests.conftest import (
    SIGNATURE,
    chart_session,
    patch_test_applied_hours_ago,
    plan_course,
)
from mesoclinic.care.tests.test_screening_api import evaluate

pytestmark = pytest.mark.django_db
VIA = Interface.WEB


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def born(years: int, *, days_short: int = 0) -> date:
    """A date of birth making the patient `years` old today, less `days_short` days."""
    return years_before(timezone.localdate(), years) + timedelta(days=days_short)


def reason_codes(consultation):
    return [reason["code"] for reason in consultation.reasons]


@pytest.fixture
def make_minor(make_patient, clinic_a):
    def make(date_of_birth, **extra):
        return make_patient(clinic_a, first_name="Minahil", date_of_birth=date_of_birth, **extra)

    return make


# --- the screening ---------------------------------------------------------------------------


def test_it_sends_a_14_year_olds_screening_to_a_dermatologist_with_the_minor_reason(
    practitioner_user, make_minor, consult
):
    consultation = consult(practitioner_user, make_minor(born(14)))
    assert consultation.decision == "needs_review"
    assert reason_codes(consultation) == ["minor"]
    (reason,) = consultation.reasons
    assert reason["severity"] == "relative"
    assert "parent or guardian" in reason["message_en"]
    assert "والدین یا سرپرست" in reason["message_ur"]
    assert "clinic to confirm" in reason["source"]


@pytest.mark.parametrize(
    ("date_of_birth", "minor"),
    [
        pytest.param(born(18), False, id="18 on the day of the consultation"),
        pytest.param(born(18, days_short=1), True, id="17 years 364 days"),
        pytest.param(born(18, days_short=-1), False, id="18 and a day"),
    ],
)
def test_it_counts_the_age_on_the_day_of_the_consultation(
    practitioner_user, make_minor, consult, date_of_birth, minor
):
    consultation = consult(practitioner_user, make_minor(date_of_birth))
    assert ("minor" in reason_codes(consultation)) is minor
    assert consultation.decision == ("needs_review" if minor else "eligible")


def test_a_clinic_that_sets_16_treats_a_17_year_old_as_an_adult(
    practitioner_user, make_minor, consult, clinic_a
):
    CareSettings.objects.create(clinic=clinic_a, adult_age=16, source="Clinic policy 2026")
    assert consult(practitioner_user, make_minor(born(17))).decision == "eligible"
    fifteen = make_minor(born(15), last_name="Younger")
    assert reason_codes(consult(practitioner_user, fifteen)) == ["minor"]


def test_a_clinic_that_sets_21_sends_a_19_year_old_to_review(
    practitioner_user, make_minor, consult, clinic_a
):
    CareSettings.objects.create(clinic=clinic_a, adult_age=21)
    assert reason_codes(consult(practitioner_user, make_minor(born(19)))) == ["minor"]


def test_the_chains_rule_is_data_a_medical_lead_can_change(practitioner_user, make_minor, consult):
    ContraindicationRule.objects.filter(code="minor").update(adult_age=16)
    assert consult(practitioner_user, make_minor(born(17))).decision == "eligible"


def test_the_api_says_a_14_year_old_needs_review_with_the_minor_reason(practitioner_user):
    body = evaluate(
        practitioner_user,
        {"patient": {"sex": "female", "age": 14}, "indication": "melasma"},
    ).json()
    assert body["decision"] == "needs_review"
    assert [(r["code"], r["severity"]) for r in body["reasons"]] == [("minor", "relative")]
    adult = evaluate(practitioner_user, {"patient": {"sex": "female", "age": 18}}).json()
    assert adult == {"decision": "eligible", "reasons": []}


# --- consent ---------------------------------------------------------------------------------


def _sign(witness, patient, relation=""):
    return consents.sign_consent(
        acting_user=witness,
        via=VIA,
        patient=patient,
        text=selectors.current_consent_text("mesotherapy_face"),
        language="en",
        signer_name="Samina Bibi" if relation else patient.full_name,
        signature_data=SIGNATURE,
        photo_consent=False,
        signer_relation=relation,
    )


def test_a_parent_or_guardian_signs_below_the_same_age(
    practitioner_user, receptionist, make_minor, consult, consent_texts, melasma_version
):
    minor = make_minor(born(18, days_short=1))
    consult(practitioner_user, minor)
    plan_course(practitioner_user, minor, melasma_version)
    with pytest.raises(ValidationError) as refused:
        _sign(receptionist, minor)
    assert "under 18" in str(refused.value.message_dict["signer_relation"])
    assert not Consent.objects.exists()
    assert _sign(receptionist, minor, relation="mother").signer_relation == "mother"


def test_at_a_clinic_that_sets_16_a_17_year_old_signs_alone(
    practitioner_user, receptionist, make_minor, consult, consent_texts, clinic_a, melasma_version
):
    CareSettings.objects.create(clinic=clinic_a, adult_age=16)
    seventeen = make_minor(born(17))
    consult(practitioner_user, seventeen)
    plan_course(practitioner_user, seventeen, melasma_version)
    assert _sign(receptionist, seventeen).signer_relation == ""


def test_switching_the_review_off_does_not_let_a_child_sign(
    practitioner_user, receptionist, make_minor, consult, consent_texts, melasma_version
):
    ContraindicationRule.objects.filter(code="minor").update(is_active=False)
    child = make_minor(born(14))
    assert consult(practitioner_user, child).decision == "eligible"
    plan_course(practitioner_user, child, melasma_version)
    with pytest.raises(ValidationError):
        _sign(receptionist, child)


def test_the_consent_page_asks_the_relation_below_the_clinics_age(
    client,
    receptionist,
    practitioner_user,
    make_minor,
    consult,
    consent_texts,
    clinic_a,
    melasma_version,
):
    CareSettings.objects.create(clinic=clinic_a, adult_age=16)
    fifteen, seventeen = make_minor(born(15)), make_minor(born(17), last_name="Older")
    for patient in (fifteen, seventeen):
        consult(practitioner_user, patient)
        plan_course(practitioner_user, patient, melasma_version)
    client.force_login(receptionist)
    asked = client.get(f"/care/patients/{fifteen.pk}/consents/new/").text
    assert "Signing for a patient under 16" in asked
    assert (
        "Signing for a patient under"
        not in client.get(f"/care/patients/{seventeen.pk}/consents/new/").text
    )


# --- the session gate ------------------------------------------------------------------------


@pytest.fixture
def minor_course(dermatologist, receptionist, make_minor, lot_a, consult, consent_texts, request):
    """A 14-year-old screened (needs review: minor), patch-tested negative, consented by her
    mother, with a melasma course: everything the gate asks for but the review."""
    version = request.getfixturevalue("melasma_version")
    patient = make_minor(born(14))
    user = dermatologist.user
    consult(user, patient, planned_ingredients=["tranexamic_acid"])
    test = patch_test_applied_hours_ago(user, patient, [lot_a], 30)
    patch_tests.read_patch_test(acting_user=user, via=VIA, patch_test=test, result="negative")
    planned = plan_course(user, patient, version)
    _sign(receptionist, patient, relation="mother")
    return planned


def test_the_gate_refuses_a_minor_until_a_dermatologist_justifies_then_passes(
    dermatologist, minor_course, lot_a
):
    user = dermatologist.user
    with pytest.raises(sessions.GateRefused) as refused:
        chart_session(user, minor_course, lot_a)
    assert {f.condition for f in refused.value.failures} == {Condition.RELATIVE_NOT_JUSTIFIED}
    assert "a parent or guardian signs the consent" in str(refused.value)
    assert not TreatmentSession.objects.exists()

    screening.justify(
        acting_user=user,
        via=VIA,
        consultation=Consultation.objects.get(patient=minor_course.patient),
        note="Melasma troubling at school; mother present; course discussed with both.",
    )
    assert chart_session(user, minor_course, lot_a).course == minor_course


def test_the_gate_applies_the_clinics_own_adult_age(dermatologist, minor_course, lot_a, clinic_a):
    # The gate judges the screening's facts by the clinic's policy as it stands, like every
    # other rule: a clinic whose adult age is 14 treats the 14-year-old as an adult.
    CareSettings.objects.create(clinic=clinic_a, adult_age=14)
    assert chart_session(dermatologist.user, minor_course, lot_a).course == minor_course


# --- the rule as data ------------------------------------------------------------------------


def test_the_admin_refuses_an_age_rule_without_its_age_and_an_age_on_another_rule():
    fields = {
        "severity": "relative",
        "message_en": "Young.",
        "message_ur": "کم عمر۔",
        "source": "test",
    }
    with pytest.raises(ValidationError, match="adult_age"):
        ContraindicationRule(code="teen", triggers=["age:minor"], **fields).clean()
    with pytest.raises(ValidationError, match="adult_age"):
        ContraindicationRule(code="odd", triggers=["flag:pregnant"], adult_age=18, **fields).clean()


def test_the_database_refuses_an_impossible_adult_age(clinic_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ContraindicationRule.objects.filter(code="minor").update(adult_age=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        CareSettings.objects.create(clinic=clinic_a, adult_age=131)


def test_the_consultation_page_names_the_minor_reason(
    client, practitioner_user, make_minor, consult
):
    consultation = consult(practitioner_user, make_minor(born(14)))
    client.force_login(practitioner_user)
    page = client.get(f"/care/consultations/{consultation.pk}/").text
    assert "a credentialed dermatologist reviews the screening before any treatment" in page
