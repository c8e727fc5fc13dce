"""Patch tests: applied with the clinic's lots, read inside the clinic's window; a reaction
always counts and becomes an allergy; a negative reading stands for the clinic's validity."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mesoclinic.audit.services import Interface
from mesoclinic.care.models import Allergy, CareSettings, PatchTest
from mesoclinic.care.services import patch_tests
from mesoclinic.care.tests.conftest import patch_test_applied_hours_ago as _applied
from mesoclinic.formulary import services as formulary_services

pytestmark = pytest.mark.django_db


def _apply(user, patient, lots, *, hours_ago=0, site="behind_ear", **extra):
    return patch_tests.apply_patch_test(
        acting_user=user,
        via=Interface.WEB,
        patient=patient,
        lots=lots,
        site=site,
        applied_at=timezone.now() - timedelta(hours=hours_ago),
        **extra,
    )


def _read(user, test, result, *, reaction="", read_at=None):
    return patch_tests.read_patch_test(
        acting_user=user,
        via=Interface.WEB,
        patch_test=test,
        result=result,
        reaction=reaction,
        read_at=read_at,
    )


def test_a_negative_read_inside_the_window_stands_for_the_clinics_validity(
    practitioner_user, patient_a, lot_a
):
    test = _applied(practitioner_user, patient_a, [lot_a], 30)
    read = _read(practitioner_user, test, "negative")
    assert read.result == "negative"
    assert read.valid_until == read.read_at + timedelta(days=180)
    assert not Allergy.objects.exists()


@pytest.mark.parametrize(
    ("hours_ago", "message"),
    [(2, "Too early for a negative reading"), (80, "Too late for a negative reading")],
)
def test_a_negative_read_outside_the_window_is_refused_and_nothing_changes(
    practitioner_user, patient_a, lot_a, hours_ago, message
):
    test = _apply(practitioner_user, patient_a, [lot_a], hours_ago=1)
    # Time passes: the test was applied `hours_ago` hours before this reading.
    PatchTest.objects.filter(pk=test.pk).update(
        applied_at=timezone.now() - timedelta(hours=hours_ago)
    )
    with pytest.raises(ValidationError) as refused:
        _read(practitioner_user, test, "negative")
    assert message in refused.value.message_dict["read_at"][0]
    test.refresh_from_db()
    assert (test.result, test.read_at) == ("pending", None)


def test_a_reaction_counts_whenever_seen_and_becomes_an_allergy(
    practitioner_user, patient_a, lot_a, consult
):
    test = _apply(practitioner_user, patient_a, [lot_a], hours_ago=1)
    read = _read(practitioner_user, test, "positive", reaction="Wheal and redness, 8 mm")
    assert read.valid_until is None
    allergy = Allergy.objects.get(patient=patient_a)
    assert (allergy.ingredient.code, allergy.source, allergy.patch_test) == (
        "tranexamic_acid",
        "patch_test",
        read,
    )
    screening = consult(practitioner_user, patient_a, planned_ingredients=["tranexamic_acid"])
    assert screening.decision == "contraindicated"
    assert {"ingredient_allergy", "positive_patch_test"} <= {r["code"] for r in screening.reasons}


def test_a_positive_reading_needs_the_reaction_described(practitioner_user, patient_a, lot_a):
    test = _applied(practitioner_user, patient_a, [lot_a], 30)
    with pytest.raises(ValidationError) as refused:
        _read(practitioner_user, test, "positive", reaction="  ")
    assert "reaction" in refused.value.message_dict
    assert not Allergy.objects.exists()


def test_a_reading_before_the_application_or_in_the_future_is_refused(
    practitioner_user, patient_a, lot_a
):
    test = _applied(practitioner_user, patient_a, [lot_a], 30)
    for read_at, message in (
        (test.applied_at - timedelta(minutes=5), "before the test was applied"),
        (timezone.now() + timedelta(hours=1), "in the future"),
    ):
        with pytest.raises(ValidationError) as refused:
            _read(practitioner_user, test, "positive", reaction="red", read_at=read_at)
        assert message in refused.value.message_dict["read_at"][0]
    test.refresh_from_db()
    assert test.result == "pending"


def test_a_test_is_read_once(practitioner_user, patient_a, lot_a):
    test = _applied(practitioner_user, patient_a, [lot_a], 30)
    _read(practitioner_user, test, "negative")
    with pytest.raises(ValidationError, match="already been read"):
        _read(practitioner_user, test, "positive", reaction="later redness")


def test_the_window_and_validity_are_the_clinics_settings(
    practitioner_user, patient_a, lot_a, clinic_a
):
    CareSettings.objects.create(
        clinic=clinic_a, patch_read_opens_hours=48, patch_read_closes_hours=96, patch_valid_days=30
    )
    test = _applied(practitioner_user, patient_a, [lot_a], 30)
    with pytest.raises(ValidationError):
        _read(practitioner_user, test, "negative")  # 30 h: too early under a 48 h window
    later = _read(
        practitioner_user, _applied(practitioner_user, patient_a, [lot_a], 50), "negative"
    )
    assert later.valid_until == later.read_at + timedelta(days=30)


def test_the_database_refuses_an_inverted_window(clinic_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CareSettings.objects.create(
            clinic=clinic_a, patch_read_opens_hours=72, patch_read_closes_hours=24
        )


def test_only_the_patients_clinics_usable_lots_may_be_applied(
    practitioner_user, administrator, patient_a, make_lot, clinic_a, clinic_b, txa
):
    other_clinic = make_lot(clinic_b, txa, "TXA-B1")
    recalled = make_lot(clinic_a, txa, "TXA-R1")
    formulary_services.recall_lot(
        acting_user=administrator, via=Interface.CLI, lot=recalled, reason="Supplier notice"
    )
    recalled.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        _apply(practitioner_user, patient_a, [other_clinic, recalled])
    messages = " ".join(refused.value.message_dict["lots"])
    assert "TXA-B1 belongs to another clinic" in messages
    assert "recalled" in messages
    assert not PatchTest.objects.exists()


def test_an_application_in_the_future_or_past_its_window_is_refused(
    practitioner_user, patient_a, lot_a
):
    for hours_ago in (-2, 100):
        with pytest.raises(ValidationError) as refused:
            _apply(practitioner_user, patient_a, [lot_a], hours_ago=hours_ago)
        assert "applied_at" in refused.value.message_dict
    assert not PatchTest.objects.exists()


def test_the_pages_apply_and_read_a_test(client, practitioner_user, patient_a, lot_a):
    client.force_login(practitioner_user)
    applied_at = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        reverse("care:patch_test_new", args=[patient_a.pk]),
        {
            "lots": [lot_a.pk],
            "site": "inner_forearm",
            "applied_at": applied_at.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    test = PatchTest.objects.get()
    assert response.status_code == 302
    # A day passes.
    PatchTest.objects.filter(pk=test.pk).update(
        applied_at=test.applied_at - timedelta(hours=25),
        entered_at=test.entered_at - timedelta(hours=25),
    )
    page = client.get(reverse("care:patch_test", args=[test.pk]))
    assert "TXA-A1" in page.text and "open now" in page.text
    empty = client.post(reverse("care:patch_test_read", args=[test.pk]), {"result": "positive"})
    assert empty.status_code == 400
    assert "Describe the reaction." in empty.text
    done = client.post(reverse("care:patch_test_read", args=[test.pk]), {"result": "negative"})
    assert done.status_code == 302
    test.refresh_from_db()
    assert test.result == "negative" and test.read_by == practitioner_user


def test_another_clinics_patch_test_is_not_found(
    client, practitioner_user, make_practitioner, clinic_b, patient_b, make_lot, txa
):
    other = make_practitioner("prac_b", clinic_b).user
    test = _applied(other, patient_b, [make_lot(clinic_b, txa, "TXA-B1")], 30)
    client.force_login(practitioner_user)
    assert client.get(reverse("care:patch_test", args=[test.pk])).status_code == 404
    response = client.post(reverse("care:patch_test_read", args=[test.pk]), {"result": "negative"})
    assert response.status_code == 404
    test.refresh_from_db()
    assert test.result == "pending"


def test_a_negative_result_past_its_validity_asks_for_a_new_test(
    client, practitioner_user, patient_a, lot_a
):
    test = _read(practitioner_user, _applied(practitioner_user, patient_a, [lot_a], 30), "negative")
    client.force_login(practitioner_user)
    page = reverse("patients:detail", args=[patient_a.pk])
    assert "expired: repeat the test" not in client.get(page).text
    PatchTest.objects.filter(pk=test.pk).update(valid_until=timezone.now() - timedelta(days=1))
    assert "expired: repeat the test" in client.get(page).text


def test_a_negative_reading_cannot_be_entered_days_later_with_a_time_inside_the_window(
    practitioner_user, patient_a, lot_a
):
    test = _applied(practitioner_user, patient_a, [lot_a], 20 * 24)
    with pytest.raises(ValidationError, match="entered before the window closes"):
        _read(practitioner_user, test, "negative", read_at=test.applied_at + timedelta(hours=48))
    test.refresh_from_db()
    assert test.result == "pending"


def test_the_reading_keeps_when_it_was_entered(practitioner_user, patient_a, lot_a):
    test = _applied(practitioner_user, patient_a, [lot_a], 30)
    read_at = timezone.now() - timedelta(hours=2)
    read = _read(practitioner_user, test, "negative", read_at=read_at)
    assert read.read_at == read_at and read.read_entered_at > read_at


def test_an_ingredient_the_patient_is_allergic_to_is_not_patch_tested(
    practitioner_user, patient_a, lot_a, consult
):
    from mesoclinic.formulary.models import Ingredient

    consult(
        practitioner_user,
        patient_a,
        new_allergies=[Ingredient.objects.get(code="tranexamic_acid")],
    )
    with pytest.raises(ValidationError) as refused:
        _apply(practitioner_user, patient_a, [lot_a])
    assert "allergic to Tranexamic acid" in " ".join(refused.value.message_dict["lots"])
    assert not PatchTest.objects.exists()


def test_an_impossible_lot_id_is_a_field_error(client, practitioner_user, patient_a, lot_a):
    client.force_login(practitioner_user)
    response = client.post(
        reverse("care:patch_test_new", args=[patient_a.pk]),
        {"lots": ["99999999999999999999999"], "site": "behind_ear"},
    )
    assert response.status_code == 400
    assert "lots" in response.context["form"].errors
