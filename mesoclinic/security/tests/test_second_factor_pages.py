"""The second-factor pages: enrol an app with a real code, prove it, recovery codes, passkey
ceremonies answering, removing factors, and the administrator's audited reset."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from mesoclinic.audit.models import AuditEvent
from mesoclinic.security.tests.browser import current_code, fresh_code
from mesoclinic.seed.demo import DEMO_TOTP_KEY

VERIFY = reverse("security:verify")
ENROL = reverse("security:enrol")


def security_events(user):
    return list(
        AuditEvent.objects.filter(action=AuditEvent.Action.SECURITY, object_id=str(user.pk))
        .order_by("pk")
        .values_list("detail", flat=True)
    )


@pytest.fixture
def newcomer(make_user, clinic_a):
    """A practitioner with no factor yet (the fixture's test app taken away)."""
    user = make_user("newdoc", "practitioner", [clinic_a])
    TOTPDevice.objects.filter(user=user).delete()
    return user


def test_it_enrols_an_app_with_a_real_code_and_shows_recovery_codes_once(
    newcomer, unverified_client
):
    unverified_client.force_login(newcomer)
    page = unverified_client.get(f"{ENROL}?next=/patients/")
    assert page.status_code == 200
    assert "<svg" in page.text and "<script" not in page.text.split("<main", 1)[1]
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    secret = page.context["secret"].replace(" ", "")
    assert secret in page.text.replace(" ", "")

    done = unverified_client.post(ENROL, {"code": current_code(device), "next": "/patients/"})

    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.text)
    assert len(codes) == 10
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert unverified_client.get("/patients/").status_code == 200  # the session is verified
    changes = [d["change"] for d in security_events(newcomer)]
    assert changes == ["second_factor_enrolled", "recovery_codes_generated"]
    assert security_events(newcomer)[0]["kind"] == "app"
    assert not unverified_client.get(reverse("security:mine")).text.count(codes[0])


def test_a_wrong_code_is_refused_at_enrolment(newcomer, unverified_client):
    unverified_client.force_login(newcomer)
    unverified_client.get(ENROL)
    response = unverified_client.post(ENROL, {"code": "000000"})
    assert response.status_code in (400, 429)
    assert "not right" in response.text or "Wait" in response.text
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()
    assert unverified_client.get("/").url.startswith(ENROL)


def test_it_verifies_a_person_with_the_code_their_app_shows(practitioner_user, unverified_client):
    unverified_client.force_login(practitioner_user)
    response = unverified_client.post(
        VERIFY, {"code": fresh_code(practitioner_user.username), "next": "/patients/"}
    )
    assert response.status_code == 302 and response.url == "/patients/"
    assert DEVICE_ID_SESSION_KEY in unverified_client.session
    assert unverified_client.get("/patients/").status_code == 200


def test_a_wrong_code_is_refused_and_the_door_stays_shut(practitioner_user, unverified_client):
    unverified_client.force_login(practitioner_user)
    response = unverified_client.post(VERIFY, {"code": "123456"})
    assert response.status_code == 400
    assert "That code is not right" in response.text
    assert unverified_client.get("/patients/").url.startswith(VERIFY)


def test_it_refuses_a_code_that_is_not_six_digits(practitioner_user, unverified_client):
    unverified_client.force_login(practitioner_user)
    response = unverified_client.post(VERIFY, {"code": "abc"})
    assert response.status_code == 400 and "6 digits" in response.text


def test_wrong_codes_throttle_even_the_right_one_and_say_how_long(
    practitioner_user, unverified_client
):
    unverified_client.force_login(practitioner_user)
    for _ in range(3):
        unverified_client.post(VERIFY, {"code": "000000"})
    right = fresh_code(practitioner_user.username)
    TOTPDevice.objects.filter(user=practitioner_user).update(
        throttling_failure_count=3, throttling_failure_timestamp=timezone.now()
    )
    response = unverified_client.post(VERIFY, {"code": right})
    assert response.status_code == 429
    assert re.search(r"Too many wrong codes. Wait \d+ seconds", response.text)
    assert unverified_client.get("/").url.startswith(VERIFY)


def test_the_throttle_counts_each_wrong_code(practitioner_user, unverified_client):
    unverified_client.force_login(practitioner_user)
    unverified_client.post(VERIFY, {"code": "000000"})
    second = unverified_client.post(VERIFY, {"code": "000000"})
    assert second.status_code == 429  # within a second of the first: the wait is 1 s, then 2…
    device = TOTPDevice.objects.get(user=practitioner_user)
    assert device.throttling_failure_count == 1


def test_the_throttle_lifts_after_its_wait(practitioner_user, unverified_client):
    unverified_client.force_login(practitioner_user)
    TOTPDevice.objects.filter(user=practitioner_user).update(
        throttling_failure_count=2, throttling_failure_timestamp=timezone.now() - timedelta(5)
    )
    response = unverified_client.post(VERIFY, {"code": fresh_code(practitioner_user.username)})
    assert response.status_code == 302


def test_a_recovery_code_works_once(practitioner_user, client, unverified_client):
    client.force_login(practitioner_user)
    page = client.post(reverse("security:recovery_codes"))
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.text)
    assert len(codes) == 10

    unverified_client.force_login(practitioner_user)
    used = unverified_client.post(VERIFY, {"recovery_code": codes[0].upper(), "next": "/"})
    assert used.status_code == 302 and used.url == "/"
    assert StaticToken.objects.filter(device__user=practitioner_user).count() == 9
    assert security_events(practitioner_user)[-1] == {
        "change": "recovery_code_used",
        "remaining": 9,
    }

    unverified_client.logout()
    unverified_client.force_login(practitioner_user)
    StaticDevice.objects.filter(user=practitioner_user).update(throttling_failure_count=0)
    again = unverified_client.post(VERIFY, {"recovery_code": codes[0]})
    assert again.status_code == 400
    assert unverified_client.get("/").url.startswith(VERIFY)


def test_new_recovery_codes_invalidate_the_old(practitioner_user, client):
    client.force_login(practitioner_user)
    old = re.findall(r"<code>([a-z2-7]{8})</code>", client.post("/security/recovery-codes/").text)
    new = re.findall(r"<code>([a-z2-7]{8})</code>", client.post("/security/recovery-codes/").text)
    stored = set(
        StaticToken.objects.filter(device__user=practitioner_user).values_list("token", flat=True)
    )
    assert stored == set(new) and not stored & set(old)
    assert [d["change"] for d in security_events(practitioner_user)] == [
        "recovery_codes_generated",
        "recovery_codes_generated",
    ]


def test_my_security_lists_the_factors(practitioner_user, client):
    client.force_login(practitioner_user)
    page = client.get(reverse("security:mine"))
    assert page.status_code == 200 and "Authenticator app" in page.text


def test_my_security_needs_the_second_factor_first(practitioner_user, unverified_client):
    unverified_client.force_login(practitioner_user)
    assert unverified_client.get(reverse("security:mine")).url.startswith(VERIFY)


def test_removing_the_last_factor_of_a_required_role_is_refused(practitioner_user, client):
    client.force_login(practitioner_user)
    device = TOTPDevice.objects.get(user=practitioner_user)
    response = client.post(reverse("security:remove_factor", args=["app", device.pk]), follow=True)
    assert "your role needs one" in response.text
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert security_events(practitioner_user) == []


def test_removing_one_of_two_factors_is_audited(practitioner_user, client):
    spare = TOTPDevice.objects.create(user=practitioner_user, name="Spare", confirmed=True)
    client.force_login(practitioner_user)
    client.post(reverse("security:remove_factor", args=["app", spare.pk]))
    assert not TOTPDevice.objects.filter(pk=spare.pk).exists()
    assert security_events(practitioner_user) == [
        {"change": "second_factor_removed", "kind": "app"}
    ]


def test_a_receptionist_may_remove_their_only_factor_and_its_codes(receptionist, client):
    device = TOTPDevice.objects.create(user=receptionist, name="Own", confirmed=True)
    client.force_login(receptionist)
    client.post(reverse("security:recovery_codes"))
    client.post(reverse("security:remove_factor", args=["app", device.pk]))
    assert not TOTPDevice.objects.filter(user=receptionist).exists()
    assert not StaticDevice.objects.filter(user=receptionist).exists()


def test_someone_elses_factor_answers_404(practitioner_user, manager, client):
    theirs = TOTPDevice.objects.get(user=manager)
    client.force_login(practitioner_user)
    response = client.post(reverse("security:remove_factor", args=["app", theirs.pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()


def test_an_unverified_session_cannot_enrol_another_app(practitioner_user, unverified_client):
    """Else a stolen password alone could add the thief's phone."""
    unverified_client.force_login(practitioner_user)
    assert unverified_client.get(ENROL).url.startswith(VERIFY)
    assert unverified_client.get(reverse("security:enrol_passkey")).url.startswith(VERIFY)


def test_the_passkey_page_carries_the_library_script_and_no_inline_script(newcomer, client):
    client.force_login(newcomer)
    page = client.get(reverse("security:enrol_passkey"))
    assert page.status_code == 200
    assert "otp_webauthn_register.js" in page.text and "security/passkeys.js" in page.text
    scripts = re.findall(r"<script([^>]*)>", page.text)
    assert all("src=" in attrs or "application/json" in attrs for attrs in scripts)
    assert "onclick" not in page.text


def test_the_passkey_ceremonies_answer(newcomer, client):
    client.force_login(newcomer)
    begin = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert begin.status_code == 200 and begin.json()["rp"]["id"]
    complete = client.post(
        reverse("otp_webauthn:credential-registration-complete"),
        data="{}",
        content_type="application/json",
    )
    assert complete.status_code >= 400 and "detail" in complete.json()
    assert not WebAuthnCredential.objects.exists()


def test_passkey_registration_is_refused_to_an_unverified_enrolled_person(
    practitioner_user, unverified_client
):
    unverified_client.force_login(practitioner_user)
    begin = unverified_client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert begin.status_code == 403


def test_passkey_sign_in_without_a_password_is_off(unverified_client):
    response = unverified_client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert response.status_code >= 400


def test_the_verify_page_offers_a_passkey_when_one_is_registered(
    practitioner_user, unverified_client
):
    WebAuthnCredential.objects.create(
        user=practitioner_user,
        name="Key",
        confirmed=True,
        credential_id=b"abc",
        public_key=b"k",
        sign_count=0,
    )
    unverified_client.force_login(practitioner_user)
    page = unverified_client.get(VERIFY)
    assert 'id="passkey-verification-button"' in page.text
    assert "otp_webauthn_auth.js" in page.text
    begin = unverified_client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert begin.status_code == 200 and begin.json()["allowCredentials"]


def test_the_administrators_reset_is_audited_and_forces_enrolment(
    administrator, practitioner_user, client
):
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    doctor = client.__class__()
    doctor.force_login(practitioner_user)
    doctor.post(reverse("security:recovery_codes"))
    assert doctor.get("/patients/").status_code == 200

    client.force_login(administrator)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factors", "_selected_action": [practitioner_user.pk]},
        follow=True,
    )

    assert "Second factors reset for 1 person (2 devices removed)" in response.text
    assert not TOTPDevice.objects.filter(user=practitioner_user).exists()
    assert not StaticDevice.objects.filter(user=practitioner_user).exists()
    event = AuditEvent.objects.get(detail__change="second_factor_reset")
    assert event.actor == administrator and event.object_id == str(practitioner_user.pk)
    assert event.detail == {"change": "second_factor_reset", "devices": 2, "sessions": 1}
    assert event.interface == AuditEvent.Interface.ADMIN
    # The doctor's verified session is gone: the password again, then enrol.
    assert doctor.get("/patients/").url.startswith(reverse("login"))


def test_device_admins_are_not_offered(administrator, client):
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    client.force_login(administrator)
    index = client.get("/admin/").text
    assert "otp_totp" not in index and "otp_static" not in index


def test_the_demo_prints_a_code_its_staff_app_accepts(settings, make_user, clinic_a):
    settings.DEBUG = True
    user = make_user("doctor.demo", "practitioner", [clinic_a])
    TOTPDevice.objects.filter(user=user).update(key=DEMO_TOTP_KEY)
    out = StringIO()
    call_command("seed_demo", "--code", stdout=out)
    device = TOTPDevice.objects.get(user=user)
    assert device.verify_token(out.getvalue().strip())
