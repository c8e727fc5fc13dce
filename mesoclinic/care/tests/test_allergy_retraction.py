"""Retracting an allergy recorded in error: only a credentialed dermatologist, with a reason,
audited; the record stays, marked retracted; screenings after it no longer see it, and the ones
before keep what they decided."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.care import selectors
from mesoclinic.care.gate import Condition
from mesoclinic.care.models import Allergy
from mesoclinic.care.retraction import RetractionProblem, retraction_problems
from mesoclinic.care.services import allergies, patch_tests, sessions
from mesoclinic.care.tests.conftest import chart_session, patch_test_applied_hours_ago
from mesoclinic.formulary.models import Ingredient

pytestmark = pytest.mark.django_db

REASON = "Ticked in error: she reported a reaction to penicillin, not tranexamic acid."


def _ingredient(code):
    return Ingredient.objects.get(code=code)


@pytest.fixture
def wrong(practitioner_user, patient_a, consult):
    """Patient A screened with an allergy to tranexamic acid recorded in error, so a melasma
    plan with it is contraindicated."""
    consultation = consult(
        practitioner_user,
        patient_a,
        new_allergies=[_ingredient("tranexamic_acid")],
        planned_ingredients=["tranexamic_acid"],
    )
    return Allergy.objects.get(patient=patient_a), consultation


@pytest.fixture
def uncredentialed(make_practitioner, clinic_a):
    """A dermatologist at clinic A whose registration is not verified."""
    return make_practitioner("derm_unverified", clinic_a, verified=False).user


def _retract(user, allergy, reason=REASON):
    return allergies.retract_allergy(
        acting_user=user, via=Interface.WEB, allergy=allergy, reason=reason
    )


def _positive_patch_test(practitioner_user, patient, lot):
    """A patch test applied 30 hours ago and read positive: it records an allergy."""
    test = patch_test_applied_hours_ago(practitioner_user, patient, [lot], 30)
    patch_tests.read_patch_test(
        acting_user=practitioner_user,
        via=Interface.WEB,
        patch_test=test,
        result="positive",
        reaction="Weal 8 mm.",
    )
    return test


# --- the service ------------------------------------------------------------------------------


def test_it_marks_the_allergy_retracted_and_keeps_the_record(dermatologist, wrong):
    allergy, _ = wrong
    retracted = _retract(dermatologist.user, allergy, reason=f"  {REASON}  ")
    allergy.refresh_from_db()
    assert allergy.retracted and allergy.retracted_by == dermatologist.user
    assert allergy.retraction_reason == REASON
    assert allergy.retracted_at <= timezone.now()
    assert retracted.pk == allergy.pk and Allergy.objects.filter(pk=allergy.pk).exists()
    event = AuditEvent.objects.get(
        action="update", object_type="care.allergy", object_id=str(allergy.pk)
    )
    assert event.actor == dermatologist.user
    assert event.changed_fields == [
        "retracted_at",
        "retracted_by",
        "retraction_reason",
        "updated_at",
    ]
    assert event.clinic_id == allergy.patient.registered_clinic_id
    assert REASON not in str(event.detail)  # the reason stays on the record


def test_it_refuses_a_retraction_without_a_reason_or_twice(dermatologist, wrong):
    allergy, _ = wrong
    with pytest.raises(ValidationError) as refused:
        _retract(dermatologist.user, allergy, reason="   ")
    assert refused.value.message_dict["reason"] == ["Give the reason for retracting this allergy."]
    _retract(dermatologist.user, allergy)
    with pytest.raises(ValidationError) as refused:
        _retract(dermatologist.user, allergy, reason="Again.")
    assert refused.value.message_dict["reason"] == ["This allergy has already been retracted."]
    allergy.refresh_from_db()
    assert allergy.retraction_reason == REASON
    assert AuditEvent.objects.filter(action="update", object_type="care.allergy").count() == 1


def test_the_service_refuses_anyone_but_a_credentialed_dermatologist(
    practitioner_user, uncredentialed, receptionist, manager, wrong
):
    allergy, _ = wrong
    for user in (practitioner_user, uncredentialed, receptionist, manager):
        with pytest.raises(PermissionDenied):
            _retract(user, allergy)
    allergy.refresh_from_db()
    assert not allergy.retracted
    assert not AuditEvent.objects.filter(action="update", object_type="care.allergy").exists()


def test_the_service_refuses_another_clinics_dermatologist(make_practitioner, clinic_b, wrong):
    allergy, _ = wrong
    with pytest.raises(ValidationError) as refused:
        _retract(make_practitioner("derm_b", clinic_b).user, allergy)
    assert "patient" in refused.value.message_dict
    allergy.refresh_from_db()
    assert not allergy.retracted


def test_the_database_keeps_a_retraction_whole(dermatologist, wrong):
    allergy, _ = wrong
    for fields in (
        {"retracted_at": timezone.now()},  # no one, no reason
        {"retracted_at": timezone.now(), "retracted_by": dermatologist.user},  # no reason
        {"retraction_reason": "Why"},  # no time, no one
        {"retracted_by": dermatologist.user, "retraction_reason": "Why"},  # no time
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Allergy.objects.filter(pk=allergy.pk).update(**fields)


def test_one_standing_allergy_per_ingredient_beside_the_retracted_ones(
    dermatologist, practitioner_user, patient_a, consult, wrong
):
    allergy, _ = wrong
    with pytest.raises(IntegrityError), transaction.atomic():
        Allergy.objects.create(
            patient=patient_a,
            ingredient=allergy.ingredient,
            source="reported",
            recorded_by=practitioner_user,
        )
    _retract(dermatologist.user, allergy)
    # Reported again later: a new record; the retracted one stays as it was.
    again = consult(practitioner_user, patient_a, new_allergies=[allergy.ingredient])
    assert again.allergies == ["tranexamic_acid"]
    assert Allergy.objects.filter(patient=patient_a).count() == 2
    assert Allergy.objects.standing().get(patient=patient_a).pk != allergy.pk


# --- screenings before and after -----------------------------------------------------------------


def test_a_screening_after_the_retraction_no_longer_sees_the_allergy(
    dermatologist, practitioner_user, patient_a, consult, wrong
):
    allergy, before = wrong
    assert before.decision == "contraindicated"
    assert selectors.allergy_codes(patient_a) == ["tranexamic_acid"]
    _retract(dermatologist.user, allergy)

    assert selectors.allergy_codes(patient_a) == []
    # The screening made before keeps its facts and decision, and reads as out of date.
    before.refresh_from_db()
    assert before.decision == "contraindicated"
    assert before.allergies == ["tranexamic_acid"]
    assert "ingredient_allergy" in [reason["code"] for reason in before.reasons]
    assert selectors.screening_outdated(before)

    after = consult(practitioner_user, patient_a, planned_ingredients=["tranexamic_acid"])
    assert after.allergies == []
    assert after.decision == "eligible"
    assert "ingredient_allergy" not in [reason["code"] for reason in after.reasons]
    assert not selectors.screening_outdated(after)


def test_the_gate_asks_for_a_new_screening_once_an_allergy_is_retracted(
    dermatologist, practitioner_user, patient_a, consult, make_ready, lot_a
):
    # A wrong allergy to biotin, not in the melasma cocktail: the patient is treated.
    consult(practitioner_user, patient_a, new_allergies=[_ingredient("biotin")])
    course = make_ready(patient_a)
    assert selectors.latest_consultation(patient_a).allergies == ["biotin"]
    chart_session(dermatologist.user, course, lot_a)

    _retract(dermatologist.user, Allergy.objects.get(patient=patient_a))
    with pytest.raises(sessions.GateRefused) as refused:
        chart_session(dermatologist.user, course, lot_a)
    assert Condition.SCREENING_OUTDATED in {f.condition for f in refused.value.failures}


def test_an_allergy_from_a_positive_patch_test_may_be_retracted_but_the_test_still_counts(
    dermatologist, practitioner_user, patient_a, consult, lot_a
):
    test = _positive_patch_test(practitioner_user, patient_a, lot_a)
    allergy = Allergy.objects.get(patient=patient_a)
    assert allergy.source == "patch_test"
    _retract(dermatologist.user, allergy)
    event = AuditEvent.objects.get(action="update", object_type="care.allergy")
    assert event.detail["patch_test"] == test.pk

    after = consult(practitioner_user, patient_a, planned_ingredients=["tranexamic_acid"])
    assert after.allergies == []
    assert after.positive_patch_tests == ["tranexamic_acid"]
    assert after.decision == "contraindicated"


# --- the pages -----------------------------------------------------------------------------------


def test_a_dermatologist_retracts_from_the_patient_page(client, dermatologist, patient_a, wrong):
    allergy, _ = wrong
    client.force_login(dermatologist.user)
    page = client.get(reverse("patients:detail", args=[patient_a.pk])).text
    url = reverse("care:allergy_retract", args=[allergy.pk])
    assert f'action="{url}"' in page and "Retract the allergy" in page

    response = client.post(url, {"reason": REASON}, follow=True)
    assert response.redirect_chain[0] == (
        reverse("patients:detail", args=[patient_a.pk]) + "#care",
        302,
    )
    assert "Allergy retracted." in response.text
    assert "positive patch test" not in response.text
    assert f"<s>{allergy.ingredient.name}</s>" in response.text
    assert REASON in response.text
    assert f'action="{url}"' not in response.text  # nothing left to retract
    allergy.refresh_from_db()
    assert allergy.retracted


def test_the_retraction_page_asks_for_a_reason(client, dermatologist, wrong):
    allergy, _ = wrong
    client.force_login(dermatologist.user)
    url = reverse("care:allergy_retract", args=[allergy.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    assert "recorded in error" in page.text
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Give the reason for retracting this allergy." in refused.text
    allergy.refresh_from_db()
    assert not allergy.retracted


def test_the_page_says_when_the_allergy_came_from_a_patch_test(
    client, dermatologist, practitioner_user, patient_a, lot_a
):
    test = _positive_patch_test(practitioner_user, patient_a, lot_a)
    allergy = Allergy.objects.get(patient=patient_a)
    client.force_login(dermatologist.user)
    url = reverse("care:allergy_retract", args=[allergy.pk])
    said = f"This allergy came from positive patch test {test.pk}."
    assert said in client.get(url).text
    response = client.post(url, {"reason": REASON}, follow=True)
    assert said in response.text and "Allergy retracted." in response.text


def test_the_retraction_speaks_urdu(client, dermatologist, patient_a, wrong):
    allergy, _ = wrong
    client.force_login(dermatologist.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    url = reverse("care:allergy_retract", args=[allergy.pk])
    assert "الرجی واپس لیں" in client.get(url).text
    assert "یہ الرجی واپس لینے کی وجہ لکھیں۔" in client.post(url, {"reason": ""}).text
    done = client.post(url, {"reason": REASON}, follow=True).text
    assert "الرجی واپس لے لی گئی۔" in done and "نے واپس لی" in done


def test_only_dermatologists_see_the_retract_form(
    client, practitioner_user, uncredentialed, patient_a, wrong
):
    allergy, _ = wrong
    url = reverse("care:allergy_retract", args=[allergy.pk])
    for user in (practitioner_user, uncredentialed):
        client.force_login(user)
        page = client.get(reverse("patients:detail", args=[patient_a.pk])).text
        assert allergy.ingredient.name in page
        assert url not in page


@pytest.mark.parametrize("who", ["practitioner_user", "uncredentialed", "receptionist", "manager"])
def test_same_clinic_staff_who_are_not_credentialed_dermatologists_get_403(
    client, request, wrong, who
):
    """A physician, a dermatologist not (yet) credentialed, a receptionist, a manager."""
    allergy, _ = wrong
    client.force_login(request.getfixturevalue(who))
    url = reverse("care:allergy_retract", args=[allergy.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": REASON}).status_code == 403
    allergy.refresh_from_db()
    assert not allergy.retracted


def test_another_clinics_dermatologist_gets_404_audited(client, make_practitioner, clinic_b, wrong):
    allergy, _ = wrong
    client.force_login(make_practitioner("derm_b", clinic_b).user)
    url = reverse("care:allergy_retract", args=[allergy.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": REASON}).status_code == 404
    assert (
        AuditEvent.objects.filter(
            action="denied", object_type="care.allergy", object_id=str(allergy.pk)
        ).count()
        == 2
    )
    allergy.refresh_from_db()
    assert not allergy.retracted


def test_another_clinics_receptionist_is_refused_by_role(client, outsider, wrong):
    allergy, _ = wrong
    client.force_login(outsider)
    url = reverse("care:allergy_retract", args=[allergy.pk])
    assert client.post(url, {"reason": REASON}).status_code == 403
    allergy.refresh_from_db()
    assert not allergy.retracted


# --- the rule ------------------------------------------------------------------------------------


@given(
    dermatologist=st.booleans(),
    reason=st.text(max_size=20),
    retracted=st.booleans(),
)
def test_the_rule_names_every_reason_and_only_those(dermatologist, reason, retracted):
    problems = retraction_problems(
        credentialed_dermatologist=dermatologist, reason=reason, already_retracted=retracted
    )
    assert (RetractionProblem.NOT_DERMATOLOGIST in problems) == (not dermatologist)
    assert (RetractionProblem.NO_REASON in problems) == (not reason.strip())
    assert (RetractionProblem.ALREADY_RETRACTED in problems) == retracted
    assert len(set(problems)) == len(problems)
    assert (not problems) == (dermatologist and bool(reason.strip()) and not retracted)
