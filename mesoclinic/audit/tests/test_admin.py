"""The admin is for administrators, and what it changes is on record."""

import pytest
from django.urls import reverse

from mesoclinic.accounts.models import ApiToken
from mesoclinic.audit.models import AuditEvent
from mesoclinic.clinics.models import Membership, Practitioner

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    return client


def test_a_clinic_manager_with_the_staff_flag_still_cannot_open_the_admin(client, manager):
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    response = client.get(reverse("admin:patients_patient_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_granting_a_clinic_through_the_user_admin_is_audited(admin_client, make_user, clinic_b):
    user = make_user("newhire", "receptionist")
    url = reverse("admin:auth_user_change", args=[user.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if key in ("username", "first_name", "last_name", "email", "is_active")
    }
    data.update(
        {
            "groups": [g.pk for g in user.groups.all()],
            "date_joined_0": "2026-11-24",
            "date_joined_1": "09:00:00",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-clinic": clinic_b.pk,
            "memberships-0-since": "2026-11-24",
            "is_active": "on",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    membership = Membership.objects.get(user=user)
    event = AuditEvent.objects.get(object_type="clinics.membership", action="create")
    assert (event.object_id, event.clinic, event.interface) == (
        str(membership.pk),
        clinic_b,
        "admin",
    )


def test_a_registration_number_differing_only_in_case_is_refused_on_the_form(
    admin_client, make_user
):
    Practitioner.objects.create(
        user=make_user("first"), qualification="dermatologist", registration_number="12345-P"
    )
    second = make_user("second")
    response = admin_client.post(
        reverse("admin:clinics_practitioner_add"),
        {
            "user": second.pk,
            "qualification": "physician",
            "registration_number": " 12345-p ",
            "registration_expires_on": "2027-01-01",
        },
    )
    assert response.status_code == 200
    assert "Another practitioner already has this registration number at this council" in (
        response.text
    )
    assert not Practitioner.objects.filter(user=second).exists()


def test_the_same_number_at_the_other_council_is_accepted_on_the_form(admin_client, make_user):
    Practitioner.objects.create(
        user=make_user("first"), qualification="dermatologist", registration_number="12345-P"
    )
    second = make_user("second")
    response = admin_client.post(
        reverse("admin:clinics_practitioner_add"),
        {
            "user": second.pk,
            "qualification": "nurse",  # registered by the PNMC, not the PMDC
            "registration_number": "12345-P",
            "registration_expires_on": "2027-01-01",
        },
    )
    assert response.status_code == 302
    assert Practitioner.objects.get(user=second).registering_body == "pnmc"


def test_verifying_in_the_admin_needs_evidence_and_records_it(admin_client, make_user):
    user = make_user("doc")
    url = reverse("admin:clinics_practitioner_add")
    data = {
        "user": user.pk,
        "qualification": "dermatologist",
        "registration_number": "۵۵۵۵-p",
        "registration_expires_on": "2027-06-30",
        "verify_now": "on",
    }
    refused = admin_client.post(url, data)
    assert refused.status_code == 200 and "Say what you checked" in refused.text
    assert (
        admin_client.post(url, {**data, "evidence": "PMDC register, by phone"}).status_code == 302
    )
    practitioner = Practitioner.objects.get(user=user)
    assert practitioner.registration_number == "5555-P"
    assert practitioner.verification_evidence == "PMDC register, by phone"
    assert practitioner.is_verified


def test_revoking_a_token_in_the_admin_is_one_way_and_audited(admin_client, receptionist):
    token, _key = ApiToken.issue(user=receptionist)
    changelist = reverse("admin:accounts_apitoken_changelist")
    response = admin_client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = admin_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert 'name="revoked_at' not in page.text  # shown, not editable
    # Revoking is a security change (issue 20), audited by accounts.tokens.revoke_token.
    event = AuditEvent.objects.get(object_type="accounts.apitoken", action="security")
    assert (event.detail["code"], event.changed_fields) == ("token_revoked", ["revoked_at"])


def test_setting_a_password_in_the_admin_is_audited(admin_client, receptionist):
    url = reverse("admin:auth_user_password_change", args=[receptionist.pk])
    response = admin_client.post(
        url, {"password1": "a-new-long-passphrase-9", "password2": "a-new-long-passphrase-9"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(object_type="auth.user", action="update")
    assert (event.object_id, event.changed_fields) == (str(receptionist.pk), ["password"])
