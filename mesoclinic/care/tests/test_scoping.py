"""Clinical records through the one scoping rule (`clinics.scoping`), role by role, on the pages
and the API alike: a receptionist's role reads none (403 on a page or endpoint of them, none in
a list), a clinician of another clinic finds none (404), and consents and the schedule stay
the receptionist's."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mesoclinic.accounts.roles import Role
from mesoclinic.care.models import (
    Allergy,
    Consent,
    Consultation,
    Course,
    PatchTest,
    TreatmentSession,
)
from mesoclinic.care.tests.conftest import chart_session

#: Every person and what a clinical page of clinic A's patient answers them: the receptionist
#: and the outsider (a receptionist at clinic B) by their role, 403; a manager at clinic B
#: (a role that reads clinical records) by the record's clinic, 404.
ROLES = [
    ("receptionist", 403),
    ("practitioner_user", 200),
    ("manager", 200),
    ("administrator", 200),
    ("outsider", 403),
    ("manager_b", 404),
]


@pytest.fixture
def manager_b(make_user, clinic_b):
    return make_user("manager_b", Role.CLINIC_MANAGER, [clinic_b])


@pytest.fixture
def records(make_ready, patient_a, dermatologist, lot_a):
    """Patient A with one of each record: screening, patch test, course, consent, session."""
    course = make_ready(patient_a)
    session = chart_session(dermatologist.user, course, lot_a)
    return {
        "consultation": Consultation.objects.get(),
        "patch_test": PatchTest.objects.get(),
        "course": course,
        "session": session,
        "consent": Consent.objects.get(),
    }


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(("who", "status"), ROLES)
def test_each_clinical_page_answers_each_role_alike(client, request, records, who, status):
    client.force_login(request.getfixturevalue(who))
    for page in ("consultation", "patch_test", "course", "session"):
        url = reverse(f"care:{page}", args=[records[page].pk])
        assert client.get(url).status_code == status, page
    chart = client.get(reverse("care:chart", args=[records["course"].patient_id]))
    assert chart.status_code == status
    if status == 200:
        kinds = {entry.kind for entry in chart.context["entries"]}
        assert kinds == {"consultation", "patch_test", "consent", "course", "session"}
    # Receptionists witness consents: the one page of the pathway their role reads.
    consent = client.get(reverse("care:consent", args=[records["consent"].pk]))
    assert consent.status_code == {"receptionist": 200, "outsider": 404}.get(who, status)


@pytest.mark.parametrize(("who", "status"), ROLES)
def test_the_clinical_api_answers_each_role_as_the_pages_do(request, records, who, status):
    client = _api(request.getfixturevalue(who))
    for endpoint, record in (("courses", records["course"]), ("sessions", records["session"])):
        listing = client.get(f"/api/v1/{endpoint}/")
        one = client.get(f"/api/v1/{endpoint}/{record.pk}/")
        if status == 403:
            assert (listing.status_code, one.status_code) == (403, 403), endpoint
        elif status == 404:  # the role reads clinical records, but not at clinic A
            assert listing.status_code == 200 and listing.json()["results"] == [], endpoint
            assert one.status_code == 404, endpoint
        else:
            assert [row["id"] for row in listing.json()["results"]] == [record.pk], endpoint
            assert one.status_code == 200, endpoint


@pytest.mark.parametrize(("who", "status"), ROLES)
def test_the_patient_page_lists_only_the_records_the_role_reads(
    client, request, records, patient_a, who, status
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("patients:detail", args=[patient_a.pk]))
    if who in ("outsider", "manager_b"):  # another clinic's patient
        assert response.status_code == 404
        return
    summary = response.context["care"]["summary"]
    clinical = status == 200
    assert response.context["care"]["clinical"] is clinical
    assert [c.pk for c in summary.consents] == [records["consent"].pk]
    assert bool(summary.consultations) is clinical
    assert bool(summary.patch_tests) is clinical
    assert bool(summary.courses) is clinical
    page = response.content.decode()
    assert (reverse("care:consultation", args=[records["consultation"].pk]) in page) is clinical


def test_a_receptionists_queries_hold_no_clinical_record_but_the_schedule(
    receptionist, practitioner_user, records
):
    for model in (Consultation, Allergy, PatchTest, Course, TreatmentSession):
        assert not model.objects.for_user(receptionist).exists(), model
        assert model is Allergy or model.objects.for_user(practitioner_user).exists(), model
    assert Consent.objects.for_user(receptionist).get() == records["consent"]
    assert Course.objects.for_schedule(receptionist).get() == records["course"]


def test_another_clinics_staff_reach_neither_the_records_nor_the_schedule(
    outsider, manager_b, records
):
    for user in (outsider, manager_b):
        assert not Consent.objects.for_user(user).exists()
        assert not Course.objects.for_schedule(user).exists()
        assert not Course.objects.for_user(user).exists()
