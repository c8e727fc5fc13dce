"""The clinic dashboard and the clinics/practitioners API."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from rest_framework.test import APIClient

from mesoclinic.accounts.models import ApiToken
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.clinics import services
from mesoclinic.clinics.models import Clinic, Membership, OpeningHours, Practitioner, Room

pytestmark = pytest.mark.django_db


def _token_client(user):
    _row, key = ApiToken.issue(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def staffed_clinic(clinic_a, make_user, administrator):
    """Clinic A with hours, a room, a credentialed dermatologist and an unverified nurse."""
    OpeningHours.objects.create(clinic=clinic_a, weekday=0, opens=time(11), closes=time(14))
    Room.objects.create(clinic=clinic_a, name="Room 1")
    for username, qualification, verify in (
        ("derm", "dermatologist", True),
        ("nurse", "nurse", False),
    ):
        user = make_user(username, "practitioner", [clinic_a], last_name=username)
        practitioner = Practitioner.objects.create(user=user, qualification=qualification)
        services.record_registration(
            acting_user=administrator,
            via=Interface.CLI,
            practitioner=practitioner,
            number=f"{username}-1",
            expires_on=timezone.localdate() + timedelta(days=30),
        )
        if verify:
            services.verify_practitioner(
                acting_user=administrator,
                via=Interface.CLI,
                practitioner=practitioner,
                evidence="ok",
            )
    return clinic_a


def test_the_dashboard_shows_only_the_users_clinics(client, receptionist, clinic_b, patient_a):
    client.force_login(receptionist)
    response = client.get(reverse("dashboard"))
    assert "Clinic A Islamabad" in response.text
    assert "Clinic B Lahore" not in response.text


def test_another_clinics_page_is_404_for_staff(client, outsider, clinic_a):
    client.force_login(outsider)
    assert client.get(reverse("clinics:detail", args=[clinic_a.slug])).status_code == 404


def test_the_clinic_page_flags_the_uncredentialed_nurse(client, manager, staffed_clinic):
    client.force_login(manager)
    response = client.get(reverse("clinics:detail", args=[staffed_clinic.slug]))
    assert response.status_code == 200
    assert response.text.count("not credentialed") == 1
    assert "has not been verified" in response.text


def test_the_clinic_page_costs_fixed_queries(
    client, manager, staffed_clinic, make_user, django_assert_num_queries
):
    client.force_login(manager)
    url = reverse("clinics:detail", args=[staffed_clinic.slug])
    # session, user, groups, clinic, hours, rooms, services, memberships+users+practitioners,
    # their groups, newest patients, the audit insert for that listing
    with django_assert_num_queries(11):
        client.get(url)
    for n in range(5):
        make_user(f"extra{n}", "receptionist", [staffed_clinic])
    with django_assert_num_queries(11):
        client.get(url)
    assert AuditEvent.objects.filter(action="list", clinic=staffed_clinic).count() == 2


def test_the_api_lists_credentialed_practitioners_with_their_clinics(
    receptionist, staffed_clinic, django_assert_num_queries
):
    client = _token_client(receptionist)
    everyone = client.get("/api/v1/practitioners/").json()["results"]
    assert {(p["name"].split()[-1], p["credentialed"]) for p in everyone} == {
        ("derm", True),
        ("nurse", False),
    }
    nurse = next(p for p in everyone if not p["credentialed"])
    assert nurse["credential_problems"] == ["unverified"]
    assert nurse["clinics"] == [staffed_clinic.slug]
    # token with user, groups, practitioners with users, their memberships with clinics
    with django_assert_num_queries(4):
        only = client.get("/api/v1/practitioners/", {"credentialed": "true"}).json()["results"]
    assert [p["registration_number"] for p in only] == ["DERM-1"]


def test_the_api_lists_clinics_with_hours_and_filters_by_city(
    receptionist, staffed_clinic, clinic_b, django_assert_num_queries
):
    client = _token_client(receptionist)
    # token with user, groups, clinics, their services, their opening hours
    with django_assert_num_queries(5):
        rows = client.get("/api/v1/clinics/", {"city": "islamabad"}).json()["results"]
    assert [c["slug"] for c in rows] == [staffed_clinic.slug]
    assert rows[0]["opening_hours"] == [{"weekday": 0, "opens": "11:00:00", "closes": "14:00:00"}]
    detail = client.get(f"/api/v1/clinics/{clinic_b.slug}/")
    assert detail.json()["city"] == "Lahore"


def test_membership_is_what_scopes_staff(client, make_user, clinic_a, clinic_b, patient_b):
    user = make_user("floater", "receptionist", [clinic_a])
    client.force_login(user)
    assert client.get(reverse("patients:detail", args=[patient_b.pk])).status_code == 404
    Membership.objects.create(user=user, clinic=clinic_b)
    assert client.get(reverse("patients:detail", args=[patient_b.pk])).status_code == 200


def test_the_dashboard_counts_patients_in_one_query_however_many(
    client, administrator, clinic_a, clinic_b, make_patient, django_assert_num_queries
):
    for _ in range(3):
        make_patient(clinic_a)
    make_patient(clinic_b)
    Room.objects.create(clinic=clinic_a, name="Chair A", kind="chair")
    client.force_login(administrator)
    # session, user, groups, the clinics with their three counts; then the worklist
    # (care.worklist): unread patch tests, courses waiting for consent, active courses
    # (nothing is due, so no audit row)
    with django_assert_num_queries(7):
        response = client.get(reverse("dashboard"))
    counts = {
        c.slug: (c.patient_count, c.registered_today, c.rooms_count)
        for c in response.context["clinics"]
    }
    assert counts == {"clinic-a": (3, 3, 1), "clinic-b": (1, 1, 0)}


def test_an_administrator_adds_a_clinic_in_the_admin_and_it_is_audited(client, administrator):
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    inlines = {
        f"{prefix}-{key}": value
        for prefix in ("opening_hours", "rooms", "memberships")
        for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
    }
    data = {
        "name": "mesoclinic Peshawar",
        "slug": "peshawar",
        "city": "Peshawar",
        "address": "University Road",
        "phone": "091-5701234",
        "is_active": "on",
        **inlines,
    }
    refused = client.post(reverse("admin:clinics_clinic_add"), {**data, "phone": "12"})
    assert refused.status_code == 200 and "not a valid phone number" in refused.text
    response = client.post(reverse("admin:clinics_clinic_add"), data)
    assert response.status_code == 302
    clinic = Clinic.objects.get(slug="peshawar")
    assert clinic.phone == "+92915701234"
    event = AuditEvent.objects.get(action="create", object_type="clinics.clinic")
    assert (event.clinic, event.interface) == (clinic, "admin")


def test_the_clinic_page_names_each_practitioners_council(client, manager, staffed_clinic):
    client.force_login(manager)
    text = client.get(reverse("clinics:detail", args=[staffed_clinic.slug])).text
    assert "PMDC registration" not in text  # the column is "Registration", for both councils
    assert (
        '<span class="registering-body">PMDC</span>\n            <span class="ltr">DERM-1' in text
    )
    assert (
        '<span class="registering-body">PNMC</span>\n            <span class="ltr">NURSE-1' in text
    )
    assert "The PNMC registration has not been verified." in text


def test_the_clinic_page_names_an_expiry_date_in_urdu_too(
    client, manager, staffed_clinic, administrator
):
    nurse = Practitioner.objects.get(user__username="nurse")
    expired_on = timezone.localdate() - timedelta(days=3)
    services.record_registration(
        acting_user=administrator,
        via=Interface.CLI,
        practitioner=nurse,
        number="NURSE-1",
        expires_on=expired_on,
    )
    services.verify_practitioner(
        acting_user=administrator, via=Interface.CLI, practitioner=nurse, evidence="PNMC register"
    )
    client.force_login(manager)
    client.cookies["django_language"] = "ur"
    text = client.get(reverse("clinics:detail", args=[staffed_clinic.slug])).text
    with translation.override("ur"):
        day = date_format(expired_on, "j M Y")
    assert f"PNMC رجسٹریشن کی میعاد {day} کو ختم ہو گئی۔" in text
