"""The clinics and practitioners API, and adding a clinic in the admin."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mesoclinic.accounts.models import ApiToken
from mesoclinic.audit.models import AuditEvent
from mesoclinic.clinics.models import Clinic
from mesoclinic.restapi.testing import FIRST_TOKEN_QUERIES, TOKEN_QUERIES

pytestmark = pytest.mark.django_db


def _token_client(user):
    _row, key = ApiToken.issue(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


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
    # token with user, groups, practitioners with users, their memberships with clinics; the
    # lockout read and the throttle (the token's last use was written by the request above)
    with django_assert_num_queries(4 + TOKEN_QUERIES):
        only = client.get("/api/v1/practitioners/", {"credentialed": "true"}).json()["results"]
    assert [p["registration_number"] for p in only] == ["DERM-1"]


def test_the_api_lists_clinics_with_hours_and_filters_by_city(
    receptionist, staffed_clinic, clinic_b, django_assert_num_queries
):
    client = _token_client(receptionist)
    # token with user, groups, clinics, their services, their opening hours; the lockout read,
    # the throttle and the token's last use (restapi/testing.py)
    with django_assert_num_queries(5 + FIRST_TOKEN_QUERIES):
        rows = client.get("/api/v1/clinics/", {"city": "islamabad"}).json()["results"]
    assert [c["slug"] for c in rows] == [staffed_clinic.slug]
    assert rows[0]["opening_hours"] == [{"weekday": 0, "opens": "11:00:00", "closes": "14:00:00"}]
    detail = client.get(f"/api/v1/clinics/{clinic_b.slug}/")
    assert detail.json()["city"] == "Lahore"


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
        "staff_idle_minutes": "30",  # prefilled by the add page (issue 20)
        "portal_change_hours": "24",  # prefilled by the add page (issue 22)
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


def test_a_credentialed_filter_that_is_not_true_or_false_is_a_400(receptionist, staffed_clinic):
    """Issue 21: it used to be ignored, listing everyone as if no filter were given."""
    response = _token_client(receptionist).get("/api/v1/practitioners/", {"credentialed": "yes"})

    assert response.status_code == 400
    assert response.json() == {"credentialed": ["true or false."]}
