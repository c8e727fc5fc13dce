"""SecondFactorMiddleware: who is sent to verify or enrol, and what is never stopped.

`unverified_client.force_login` gives a password-only session (what the login page leaves);
the shared `client` fixture would mark it verified."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesoclinic.accounts.models import ApiToken
from mesoclinic.accounts.roles import Role

VERIFY = reverse("security:verify")
ENROL = reverse("security:enrol")


@pytest.mark.parametrize("who", ["practitioner_user", "manager", "administrator"])
def test_it_sends_a_required_role_with_an_app_to_verify_first(who, request, unverified_client):
    unverified_client.force_login(request.getfixturevalue(who))
    response = unverified_client.get("/patients/?q=x")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fpatients%2F%3Fq%3Dx"


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.CLINIC_MANAGER, Role.ADMINISTRATOR])
def test_it_sends_a_required_role_without_a_factor_to_enrol(
    role, make_user, clinic_a, unverified_client
):
    user = make_user("newcomer", role, [clinic_a])
    TOTPDevice.objects.filter(user=user).delete()
    unverified_client.force_login(user)
    response = unverified_client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)


def test_it_sends_a_superuser_without_a_role_to_enrol(make_user, unverified_client):
    boss = make_user("boss", is_superuser=True, is_staff=True)
    TOTPDevice.objects.filter(user=boss).delete()
    unverified_client.force_login(boss)
    assert unverified_client.get("/").url.startswith(ENROL)


def test_it_lets_a_receptionist_in_when_no_clinic_asks(receptionist, unverified_client):
    unverified_client.force_login(receptionist)
    assert unverified_client.get("/patients/").status_code == 200


def test_it_sends_a_receptionist_to_enrol_when_their_clinic_asks(
    receptionist, clinic_a, unverified_client
):
    clinic_a.receptionists_need_second_factor = True
    clinic_a.save(update_fields=["receptionists_need_second_factor"])
    unverified_client.force_login(receptionist)
    assert unverified_client.get("/patients/").url.startswith(ENROL)


def test_an_inactive_clinic_asking_does_not_bind_its_receptionists(
    receptionist, clinic_a, unverified_client
):
    clinic_a.receptionists_need_second_factor = True
    clinic_a.is_active = False
    clinic_a.save(update_fields=["receptionists_need_second_factor", "is_active"])
    unverified_client.force_login(receptionist)
    assert unverified_client.get("/").status_code == 200


def test_a_receptionist_who_chose_an_app_must_prove_it(receptionist, unverified_client):
    TOTPDevice.objects.create(user=receptionist, name="Own phone", confirmed=True)
    unverified_client.force_login(receptionist)
    assert unverified_client.get("/").url.startswith(VERIFY)


def test_a_patient_role_is_never_asked(make_user, unverified_client):
    unverified_client.force_login(make_user("zainab", Role.PATIENT))
    response = unverified_client.get(reverse("security:mine"))
    assert response.status_code == 200


def test_the_admin_needs_the_second_factor_too(administrator, unverified_client, client):
    unverified_client.force_login(administrator)
    response = unverified_client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    client.force_login(administrator)
    assert client.get("/admin/").status_code == 200


def test_an_api_call_on_an_unverified_session_gets_403_json(practitioner_user, unverified_client):
    unverified_client.force_login(practitioner_user)
    response = unverified_client.get("/api/v1/patients/")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


def test_an_api_call_with_a_token_is_not_the_sessions_business(practitioner_user, client):
    _row, key = ApiToken.issue(user=practitioner_user)
    response = client.get("/api/v1/patients/", headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200


def test_a_bogus_token_beside_an_unverified_session_is_refused_not_let_through(
    practitioner_user, unverified_client
):
    unverified_client.force_login(practitioner_user)
    response = unverified_client.get(
        "/api/v1/patients/", headers={"Authorization": "Token not-a-real-key"}
    )
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_a_token_header_does_not_open_a_staff_page(practitioner_user, unverified_client):
    _row, key = ApiToken.issue(user=practitioner_user)
    unverified_client.force_login(practitioner_user)
    response = unverified_client.get("/patients/", headers={"Authorization": f"Token {key}"})
    assert response.status_code == 302 and response.url.startswith(VERIFY)


def test_an_htmx_request_sends_the_whole_window_to_verify(practitioner_user, unverified_client):
    unverified_client.force_login(practitioner_user)
    response = unverified_client.get("/patients/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(VERIFY)


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/health/", "/en/", "/ur/", "/sitemap.xml", VERIFY],
)
def test_it_never_stops_the_exempt_pages(path, practitioner_user, unverified_client):
    unverified_client.force_login(practitioner_user)
    response = unverified_client.get(path)
    assert not (response.status_code == 302 and response.url.startswith(VERIFY))


def test_logging_out_is_never_stopped(practitioner_user, unverified_client):
    unverified_client.force_login(practitioner_user)
    response = unverified_client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")


def test_anonymous_visitors_still_go_to_the_login_page(unverified_client):
    response = unverified_client.get("/patients/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_verified_session_passes(practitioner_user, client):
    client.force_login(practitioner_user)
    assert client.get("/patients/").status_code == 200
