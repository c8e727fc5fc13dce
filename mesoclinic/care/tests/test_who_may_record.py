"""Who may record what (issue 15): the clinic's policy names the qualifications for each step,
and only a credentialed member of the clinic records it. Each refusal names the exact problem
(which council, expired on which date, unverified, not a member, the qualification), writes
nothing, and the buttons are not shown to someone who may not use them."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from mesoclinic.accounts.roles import Role
from mesoclinic.audit.services import Interface
from mesoclinic.care.gate import Condition
from mesoclinic.care.models import CareSettings, Consultation, Course, PatchTest, TreatmentSession
from mesoclinic.care.services import course_status, patch_tests, sessions
from mesoclinic.care.tests.conftest import (
    chart_session,
    patch_test_applied_hours_ago,
    plan_course,
)
from mesoclinic.clinics import services as clinic_services
from mesoclinic.formulary.models import StockMovement

pytestmark = pytest.mark.django_db
VIA = Interface.WEB
EXPIRED_ON = date.today() - timedelta(days=30)
ALL_STEPS = ("consultation", "plan", "override", "patch_test", "session")


@pytest.fixture
def person(make_practitioner, administrator, clinic_a, clinic_b, make_user):
    """person(kind, qualification="physician"): a user whose one problem is `kind`."""

    def make(kind, qualification="physician"):
        clinic = clinic_b if kind == "wrong_clinic" else clinic_a
        practitioner = make_practitioner(
            f"{kind}_{qualification}", clinic, verified=False, qualification=qualification
        )
        if kind == "expired":
            clinic_services.record_registration(
                acting_user=administrator,
                via=Interface.ADMIN,
                practitioner=practitioner,
                number=practitioner.registration_number,
                expires_on=EXPIRED_ON,
            )
        if kind != "unverified":
            clinic_services.verify_practitioner(
                acting_user=administrator,
                via=Interface.ADMIN,
                practitioner=practitioner,
                evidence="Council's online register",
            )
        if kind == "wrong_clinic":
            # An administrator who also practises sees every clinic's patients but works at B.
            practitioner.user.groups.add(Group.objects.get_or_create(name=Role.ADMINISTRATOR)[0])
        if kind == "qualification":
            CareSettings.objects.update_or_create(
                clinic=clinic_a,
                defaults={"recording_qualifications": {s: ["dermatologist"] for s in ALL_STEPS}},
            )
        return practitioner.user

    return make


def _on(day) -> str:
    """A date as the messages write it, in the active language."""
    return date_format(day, "j M Y")


def _expected(kind, step_name):
    return {
        "expired": f"The PMDC registration expired on {_on(EXPIRED_ON)}.",
        "unverified": "The PMDC registration has not been verified.",
        "wrong_clinic": "The practitioner does not work at this clinic.",
        "qualification": (
            f"The clinic's policy does not let this qualification (Other physician) record "
            f"{step_name}."
        ),
    }[kind]


KINDS = ["expired", "unverified", "wrong_clinic", "qualification"]


def _refused(attempt) -> str:
    with pytest.raises(ValidationError) as refused:
        attempt()
    return " ".join(refused.value.messages)


@pytest.mark.parametrize("kind", KINDS)
def test_it_refuses_a_consultation_naming_the_problem(kind, person, patient_a, consult):
    user = person(kind)
    message = _refused(lambda: consult(user, patient_a))
    assert _expected(kind, "consultations") in message
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_it_refuses_to_apply_a_patch_test_naming_the_problem(kind, person, patient_a, lot_a):
    user = person(kind)
    message = _refused(
        lambda: patch_tests.apply_patch_test(
            acting_user=user, via=VIA, patient=patient_a, lots=[lot_a], site="behind_ear"
        )
    )
    assert _expected(kind, "patch tests") in message
    assert not PatchTest.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_it_refuses_to_read_a_patch_test_naming_the_problem(
    kind, person, dermatologist, patient_a, lot_a
):
    test = patch_test_applied_hours_ago(dermatologist.user, patient_a, [lot_a], 30)
    user = person(kind)
    message = _refused(
        lambda: patch_tests.read_patch_test(
            acting_user=user, via=VIA, patch_test=test, result="negative"
        )
    )
    assert _expected(kind, "patch tests") in message
    test.refresh_from_db()
    assert test.result == PatchTest.Result.PENDING


@pytest.mark.parametrize("kind", KINDS)
def test_it_refuses_a_plan_naming_the_problem(
    kind, person, dermatologist, patient_a, consult, melasma_version
):
    consult(dermatologist.user, patient_a)
    user = person(kind)
    message = _refused(lambda: plan_course(user, patient_a, melasma_version))
    assert _expected(kind, "treatment plans") in message
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("kind", "condition"),
    [
        ("expired", Condition.PRACTITIONER_NOT_CREDENTIALED),
        ("unverified", Condition.PRACTITIONER_NOT_CREDENTIALED),
        ("wrong_clinic", Condition.PRACTITIONER_NOT_ALLOWED),
        ("qualification", Condition.PRACTITIONER_NOT_ALLOWED),
    ],
)
def test_the_gate_refuses_a_session_naming_the_problem(
    kind, condition, person, make_ready, patient_a, lot_a
):
    plan = make_ready(patient_a)
    user = person(kind)
    movements = StockMovement.objects.count()
    with pytest.raises(sessions.GateRefused) as refused:
        chart_session(user, plan, lot_a)
    assert [f.condition for f in refused.value.failures] == [condition]
    assert _expected(kind, "sessions") in " ".join(refused.value.messages)
    assert not TreatmentSession.objects.exists()
    assert StockMovement.objects.count() == movements


def test_an_expired_nurse_is_refused_with_the_pnmc_and_the_date_in_both_languages(
    person, make_ready, patient_a, lot_a
):
    plan = make_ready(patient_a)
    nurse = person("expired", qualification="nurse")
    with pytest.raises(sessions.GateRefused) as refused:
        chart_session(nurse, plan, lot_a)
    (failure,) = refused.value.failures
    assert failure.detail == ("body:pnmc", f"expired:{EXPIRED_ON.isoformat()}")
    english = sessions.gate_message(failure)
    assert english == f"The PNMC registration expired on {_on(EXPIRED_ON)}."
    assert "PMDC" not in english
    with translation.override("ur"):
        urdu = sessions.gate_message(failure)
        assert urdu == f"PNMC رجسٹریشن کی میعاد {_on(EXPIRED_ON)} کو ختم ہو گئی۔"


def test_the_api_answers_409_naming_the_credential_problem(person, make_ready, patient_a, lot_a):
    from rest_framework.test import APIClient

    plan = make_ready(patient_a)
    nurse = person("unverified", qualification="nurse")
    client = APIClient()
    client.force_authenticate(nurse)
    now = timezone.now().isoformat()
    response = client.post(
        "/api/v1/sessions/",
        {
            "course": plan.pk,
            "lines": [{"lot": lot_a.pk, "volume": "2", "zones": ["cheek_left"]}],
            "points": 40,
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
    (failure,) = response.json()["failures"]
    assert failure["condition"] == "practitioner_not_credentialed"
    assert failure["detail"] == ["body:pnmc", "unverified"]
    assert failure["message"] == "The PNMC registration has not been verified."


def test_a_credentialed_nurse_patch_tests_and_charts_but_neither_consults_nor_plans(
    make_practitioner, clinic_a, make_ready, patient_a, lot_a, consult, melasma_version
):
    plan = make_ready(patient_a)
    nurse = make_practitioner("nurse_ok", clinic_a, qualification="nurse").user
    assert chart_session(nurse, plan, lot_a).practitioner.user == nurse
    patch_tests.apply_patch_test(
        acting_user=nurse, via=VIA, patient=patient_a, lots=[lot_a], site="forearm"
    )
    refused = _refused(lambda: consult(nurse, patient_a))
    assert refused == (
        "The clinic's policy does not let this qualification (Trained nurse) record consultations."
    )
    assert "(Trained nurse) record treatment plans" in _refused(
        lambda: plan_course(nurse, patient_a, melasma_version)
    )


def test_a_physician_plans_but_only_the_policy_s_qualifications_record_overrides(
    practitioner_user, dermatologist, patient_a, consult, melasma_version
):
    consult(dermatologist.user, patient_a)
    message = _refused(
        lambda: plan_course(
            practitioner_user, patient_a, melasma_version, volume="4.5", reason="Wide"
        )
    )
    assert "(Other physician) record dose overrides" in message
    assert not Course.objects.exists()


@pytest.mark.parametrize("setting", ["nonsense", {"consultation": "dermatologist"}, {}, [1, 2]])
def test_a_malformed_setting_allows_nobody_and_the_page_says_so(
    setting, client, dermatologist, patient_a, clinic_a, formulary_seed
):
    CareSettings.objects.create(clinic=clinic_a, recording_qualifications=setting)
    client.force_login(dermatologist.user)
    response = client.post(
        reverse("care:consultation_new", args=[patient_a.pk]),
        {
            "indication": "melasma",
            "pregnant": "no",
            "breastfeeding": "no",
            "may_become_pregnant": "no",
            "fitzpatrick_type": "4",
        },
    )
    assert response.status_code == 400
    assert (
        "The clinic&#x27;s policy does not let this qualification (Dermatologist) record "
        "consultations." in response.text
    )
    assert not Consultation.objects.exists()
    page = client.get(reverse("patients:detail", args=[patient_a.pk]))
    assert "New consultation" not in page.text


def _buttons(client, user, patient, plan):
    client.force_login(user)
    text = client.get(reverse("patients:detail", args=[patient.pk])).text
    text += client.get(reverse("care:course", args=[plan.pk])).text
    labels = {
        "New consultation",
        "Apply patch test",
        "Plan a course",
        "Chart the next session",
        "Change the plan",
    }
    return {label for label in labels if label in text}


def test_the_buttons_show_only_what_each_person_may_record(
    client, person, make_practitioner, clinic_a, dermatologist, make_ready, patient_a
):
    plan = make_ready(patient_a)
    everything = {
        "New consultation",
        "Apply patch test",
        "Plan a course",
        "Chart the next session",
        "Change the plan",
    }
    assert _buttons(client, dermatologist.user, patient_a, plan) == everything
    nurse = make_practitioner("nurse_ok", clinic_a, qualification="nurse").user
    nurse_may = {"Apply patch test", "Chart the next session"}
    assert _buttons(client, nurse, patient_a, plan) == nurse_may
    for uncredentialed in (person("expired", "nurse"), person("unverified", "nurse")):
        assert _buttons(client, uncredentialed, patient_a, plan) == set()


def test_a_read_form_and_photo_upload_are_hidden_from_the_uncredentialed(
    client, person, dermatologist, patient_a, lot_a, consult
):
    consultation = consult(dermatologist.user, patient_a)
    test = patch_tests.apply_patch_test(
        acting_user=dermatologist.user, via=VIA, patient=patient_a, lots=[lot_a], site="forearm"
    )
    nurse = person("expired", "nurse")
    client.force_login(nurse)
    patch_page = client.get(reverse("care:patch_test", args=[test.pk])).text
    assert reverse("care:patch_test_read", args=[test.pk]) not in patch_page
    consultation_page = client.get(reverse("care:consultation", args=[consultation.pk])).text
    assert reverse("care:photo_upload", args=[consultation.pk]) not in consultation_page


def test_who_may_chart_may_pause_but_only_who_may_plan_resumes_or_cancels(
    make_practitioner, clinic_a, make_ready, patient_a
):
    plan = make_ready(patient_a)
    nurse = make_practitioner("nurse_ok", clinic_a, qualification="nurse").user
    course_status.set_course_status(
        acting_user=nurse, via=VIA, course=plan, status="paused", reason="Redness"
    )
    refused = _refused(
        lambda: course_status.set_course_status(
            acting_user=nurse, via=VIA, course=plan, status="active", reason=""
        )
    )
    assert "(Trained nurse) record treatment plans" in refused
    plan.refresh_from_db()
    assert plan.status == Course.Status.PAUSED


@pytest.mark.parametrize(
    ("url_name", "step_name"),
    [
        ("care:consultation_new", "consultations"),
        ("care:patch_test_new", "patch tests"),
        ("care:course_new", "treatment plans"),
    ],
)
def test_a_form_page_says_before_anything_is_typed_why_it_will_be_refused(
    url_name, step_name, client, person, patient_a, formulary_seed
):
    nurse = person("expired", "nurse")
    client.force_login(nurse)
    text = client.get(reverse(url_name, args=[patient_a.pk])).text
    assert 'id="may-not-record"' in text
    assert f"The PNMC registration expired on {_on(EXPIRED_ON)}." in text
    if step_name != "patch tests":  # nurses may patch-test when credentialed
        assert f"(Trained nurse) record {step_name}." in text


def test_a_form_page_shows_no_refusal_to_who_may_record(
    client, dermatologist, patient_a, formulary_seed
):
    client.force_login(dermatologist.user)
    for url_name in ("care:consultation_new", "care:patch_test_new", "care:course_new"):
        assert 'id="may-not-record"' not in client.get(reverse(url_name, args=[patient_a.pk])).text
