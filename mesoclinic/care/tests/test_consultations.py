"""Consultations: recorded through the page and the service, screened by the engine, scoped to
the patient's clinic, justified by a dermatologist, with baseline scores."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.care.models import Allergy, Consultation
from mesoclinic.care.services import screening

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "indication": "melasma",
        "pregnant": "no",
        "breastfeeding": "no",
        "may_become_pregnant": "no",
        "fitzpatrick_type": "4",
        "concerns": "Brown patches on both cheeks",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def practitioner(practitioner_user, formulary_seed):
    return practitioner_user


def test_a_practitioner_records_a_consultation_and_sees_its_decision(
    client, practitioner, patient_a
):
    client.force_login(practitioner)
    response = client.post(
        reverse("care:consultation_new", args=[patient_a.pk]),
        _form(planned_ingredients=["tranexamic_acid"]),
    )
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("care:consultation", args=[consultation.pk])
    assert consultation.decision == "eligible"
    assert consultation.icd10 == "L81.1"
    assert consultation.recorded_by == practitioner
    assert AuditEvent.objects.filter(
        action="create", object_type="care.consultation", object_id=str(consultation.pk)
    ).exists()
    page = client.get(response.url)
    assert page["Cache-Control"] == "private, no-store"
    assert 'data-decision="eligible"' in page.text
    assert "L81.1" in page.text


def test_the_live_decision_names_every_reason_before_anything_is_saved(
    client, practitioner, patient_a
):
    client.force_login(practitioner)
    response = client.post(
        reverse("care:screening_preview", args=[patient_a.pk]),
        _form(
            pregnant="yes",
            medications=["anticoagulant"],
            conditions=["thromboembolism"],
            planned_ingredients=["tranexamic_acid"],
        ),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'data-decision="contraindicated"' in response.text
    for code in ("pregnancy", "tranexamic_acid_thrombosis", "bleeding_risk"):
        assert f'data-code="{code}"' in response.text
    # Each reason's source in words, not the project's file names.
    assert "mesoclinic clinical reference: Contraindications" in response.text
    assert "CLINICAL.md" not in response.text
    assert not Consultation.objects.exists()


def test_the_live_decision_never_says_eligible_before_the_pregnancy_questions_are_answered(
    client, practitioner, patient_a
):
    client.force_login(practitioner)
    url = reverse("care:screening_preview", args=[patient_a.pk])
    half = client.post(url, {"indication": "melasma", "breastfeeding": "no"})
    assert 'data-decision="incomplete"' in half.text
    assert "Pregnant, or could be pregnant now?" in half.text
    assert 'data-decision="eligible"' not in half.text
    done = client.post(url, _form())
    assert 'data-decision="eligible"' in done.text
    # The preview reads stored allergies and patch tests: each one is audited.
    assert (
        AuditEvent.objects.filter(
            action="view", object_type="patients.patient", object_id=str(patient_a.pk)
        ).count()
        == 2
    )


def test_a_consultation_for_another_clinics_patient_is_refused_and_nothing_saved(
    client, practitioner, patient_b
):
    client.force_login(practitioner)
    url = reverse("care:consultation_new", args=[patient_b.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form()).status_code == 404
    assert (
        client.post(reverse("care:screening_preview", args=[patient_b.pk]), _form()).status_code
        == 404
    )
    with pytest.raises(ValidationError) as refused:
        screening.record_consultation(
            acting_user=practitioner,
            via=Interface.WEB,
            patient=patient_b,
            data=screening.ConsultationInput(
                indication="melasma",
                pregnant=False,
                breastfeeding=False,
                may_become_pregnant=False,
                fitzpatrick_type=3,
            ),
        )
    assert "patient" in refused.value.message_dict
    assert not Consultation.objects.exists()
    assert AuditEvent.objects.filter(action="denied", object_id=str(patient_b.pk)).exists()


def test_unanswered_pregnancy_questions_are_named_and_nothing_is_saved(
    client, practitioner, patient_a
):
    client.force_login(practitioner)
    response = client.post(
        reverse("care:consultation_new", args=[patient_a.pk]),
        _form(pregnant=None, breastfeeding=None, fitzpatrick_type=None),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) >= {"pregnant", "breastfeeding", "fitzpatrick_type"}
    assert not Consultation.objects.exists()


def test_receptionists_neither_record_nor_read_consultations(
    client, receptionist, practitioner, patient_a, consult
):
    consultation = consult(practitioner, patient_a)
    client.force_login(receptionist)
    assert client.get(reverse("care:consultation_new", args=[patient_a.pk])).status_code == 403
    assert client.get(reverse("care:consultation", args=[consultation.pk])).status_code == 403


def test_another_clinics_consultation_is_not_found(
    client, practitioner, make_practitioner, clinic_b, patient_b, consult
):
    other = make_practitioner("prac_b", clinic_b).user
    consultation = consult(other, patient_b)
    client.force_login(practitioner)
    assert client.get(reverse("care:consultation", args=[consultation.pk])).status_code == 404


def test_the_fitzpatrick_questionnaire_gives_the_type_and_updates_the_patient(
    client, practitioner, patient_a
):
    client.force_login(practitioner)
    answers = {f"fitz_{n}": "2" for n in range(1, 11)}  # total 20: type III
    response = client.post(
        reverse("care:consultation_new", args=[patient_a.pk]),
        _form(fitzpatrick_type="", **answers),
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert (consultation.fitzpatrick_total, consultation.fitzpatrick_type) == (20, 3)
    assert "0–6 I" in consultation.fitzpatrick_banding
    patient_a.refresh_from_db()
    assert patient_a.fitzpatrick_type == 3


def test_a_half_answered_questionnaire_names_the_missing_items(client, practitioner, patient_a):
    client.force_login(practitioner)
    response = client.post(
        reverse("care:consultation_new", args=[patient_a.pk]),
        _form(fitz_1="1", fitz_2="3"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {f"fitz_{n}" for n in range(3, 11)} <= set(errors)
    assert "fitz_1" not in errors


def test_masi_at_baseline_is_computed_from_the_region_grades(client, practitioner, patient_a):
    client.force_login(practitioner)
    grades = {}
    for region in ("forehead", "right_malar", "left_malar", "chin"):
        grades.update(
            {f"{region}_area": "2", f"{region}_darkness": "2", f"{region}_homogeneity": "1"}
        )
    response = client.post(
        reverse("care:consultation_new", args=[patient_a.pk]),
        _form(baseline_scale="masi", **grades),
    )
    assert response.status_code == 302
    # (0.3 + 0.3 + 0.3 + 0.1) × 2 × (2 + 1) = 6
    assert Consultation.objects.get().baseline_value == Decimal("6.00")


def test_masi_without_every_region_graded_is_refused(client, practitioner, patient_a):
    client.force_login(practitioner)
    response = client.post(
        reverse("care:consultation_new", args=[patient_a.pk]),
        _form(baseline_scale="mmasi", forehead_area="2", forehead_darkness="1"),
    )
    assert response.status_code == 400
    assert "chin_area" in response.context["form"].errors
    assert "forehead_homogeneity" not in response.context["form"].errors  # mMASI has none


def test_a_hair_stage_must_belong_to_the_chosen_scale(client, practitioner, patient_a):
    client.force_login(practitioner)
    url = reverse("care:consultation_new", args=[patient_a.pk])
    refused = client.post(
        url,
        _form(
            indication="androgenetic_alopecia",
            baseline_scale="ludwig",
            baseline_stage="norwood:III",
        ),
    )
    assert "baseline_stage" in refused.context["form"].errors
    accepted = client.post(
        url,
        _form(
            indication="androgenetic_alopecia",
            baseline_scale="ludwig",
            baseline_stage="ludwig:II",
        ),
    )
    assert accepted.status_code == 302
    assert Consultation.objects.get().baseline_detail == {"stage": "II"}


def test_the_baseline_scale_must_measure_the_indication_and_fit_the_patient(
    client, practitioner, patient_a
):
    client.force_login(practitioner)
    url = reverse("care:consultation_new", args=[patient_a.pk])
    cases = [
        # MASI measures melasma, not hair loss.
        (_form(indication="androgenetic_alopecia", baseline_scale="masi"), "baseline_scale"),
        # Norwood–Hamilton stages men; the patient is a woman.
        (
            _form(
                indication="androgenetic_alopecia",
                baseline_scale="norwood",
                baseline_stage="norwood:III",
            ),
            "baseline_scale",
        ),
        # A GAIS baseline is a description of the starting point.
        (_form(indication="skin_rejuvenation", baseline_scale="gais"), "baseline_note"),
    ]
    for data, field in cases:
        response = client.post(url, data)
        assert response.status_code == 400
        assert field in response.context["form"].errors, (data, response.context["form"].errors)
    assert not Consultation.objects.exists()


def test_a_reported_allergy_is_kept_and_blocks_that_ingredient_next_time(
    practitioner, patient_a, consult
):
    from mesoclinic.formulary.models import Ingredient

    txa = Ingredient.objects.get(code="tranexamic_acid")
    first = consult(practitioner, patient_a, new_allergies=[txa])
    assert first.allergies == ["tranexamic_acid"]
    allergy = Allergy.objects.get(patient=patient_a)
    assert allergy.source == "reported"
    assert AuditEvent.objects.filter(
        action="create", object_type="care.allergy", object_id=str(allergy.pk)
    ).exists()
    later = consult(practitioner, patient_a, planned_ingredients=["tranexamic_acid"])
    assert later.decision == "contraindicated"
    assert "ingredient_allergy" in [reason["code"] for reason in later.reasons]


def test_a_new_consultation_is_prefilled_but_asks_about_pregnancy_again(
    client, practitioner, patient_a, consult
):
    consult(practitioner, patient_a, conditions=["keloid_tendency"], pregnant=True)
    client.force_login(practitioner)
    form = client.get(reverse("care:consultation_new", args=[patient_a.pk])).context["form"]
    assert form.initial["conditions"] == ["keloid_tendency"]
    assert "pregnant" not in form.initial and "breastfeeding" not in form.initial


def test_a_credentialed_dermatologist_justifies_relative_reasons(
    client, dermatologist, practitioner, patient_a, consult
):
    consultation = consult(practitioner, patient_a, medications=["anticoagulant"])
    assert consultation.decision == "needs_review"
    url = reverse("care:justify", args=[consultation.pk])
    client.force_login(practitioner)  # not a dermatologist
    refused = client.post(url, {"review_note": "Stopped warfarin."})
    assert refused.status_code == 400
    client.force_login(dermatologist.user)
    assert client.post(url, {"review_note": ""}).status_code == 400
    assert client.post(url, {"review_note": "INR normal; small needle."}).status_code == 302
    consultation.refresh_from_db()
    assert consultation.reviewed_by == dermatologist.user
    assert client.post(url, {"review_note": "again"}).status_code == 400


def test_nothing_justifies_an_absolute_contraindication(
    dermatologist, practitioner, patient_a, consult
):
    consultation = consult(practitioner, patient_a, pregnant=True)
    with pytest.raises(ValidationError, match="Only a screening that needs review"):
        screening.justify(
            acting_user=dermatologist.user,
            via=Interface.WEB,
            consultation=consultation,
            note="She insists.",
        )
    consultation.refresh_from_db()
    assert consultation.reviewed_at is None


def test_the_patient_page_shows_the_pathway_in_a_fixed_number_of_queries(
    client, practitioner, patient_a, consult, lot_a, django_assert_num_queries
):
    from mesoclinic.care.services import patch_tests

    client.force_login(practitioner)
    url = reverse("patients:detail", args=[patient_a.pk])

    def one_more_of_each():
        consult(practitioner, patient_a, medications=["antiplatelet"])
        patch_tests.apply_patch_test(
            acting_user=practitioner,
            via=Interface.WEB,
            patient=patient_a,
            lots=[lot_a],
            site="behind_ear",
        )

    one_more_of_each()
    client.get(url)  # warm the session
    # session, user, groups, patient, audit insert, consents, consultations, allergies,
    # patch tests and their lots (one prefetch), and whether the latest screening is out of
    # date (allergies and positive patch tests now), and the treatment plans; then who may
    # record which step for the buttons: the practitioner, the membership, the care settings;
    # the consent to be contacted and the messages sent (desk's sections); aftercare's latest
    # check-ins and adverse events
    with django_assert_num_queries(21):  # +1: the session's second factor
        page = client.get(url)
    assert "New consultation" in page.text
    for _ in range(12):
        one_more_of_each()
    with django_assert_num_queries(21):  # +1: the session's second factor
        page = client.get(url)
    assert page.text.count('href="/care/consultations/') == 10  # the latest ten


def test_a_stored_screening_gives_the_same_decision_when_evaluated_again(
    practitioner, patient_a, consult
):
    from mesoclinic.care import rules, selectors

    consultation = consult(
        practitioner,
        patient_a,
        medications=["hormonal_contraception"],
        planned_ingredients=["tranexamic_acid"],
    )
    again = rules.evaluate(
        consultation.facts(),
        selectors.current_policy(),
        ingredients=consultation.planned_ingredients,
        indication=consultation.indication,
    )
    assert again.decision == consultation.decision == "needs_review"
    assert [reason.code for reason in again.reasons] == [r["code"] for r in consultation.reasons]
    assert (
        screening.facts_digest(
            consultation.facts(),
            indication=consultation.indication,
            ingredients=consultation.planned_ingredients,
        )
        == consultation.facts_digest
    )


def test_the_consultation_page_names_ingredients_not_their_codes(
    client, practitioner, patient_a, consult
):
    from django.conf import settings

    from mesoclinic.formulary.models import Ingredient

    consultation = consult(practitioner, patient_a, planned_ingredients=["tranexamic_acid"])
    client.force_login(practitioner)
    url = reverse("care:consultation", args=[consultation.pk])
    page = client.get(url).text
    assert '<dd id="planned-ingredients">Tranexamic acid</dd>' in page
    assert "tranexamic_acid" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    urdu = Ingredient.objects.get(code="tranexamic_acid").name_ur
    assert f'<dd id="planned-ingredients">{urdu}</dd>' in client.get(url).text
