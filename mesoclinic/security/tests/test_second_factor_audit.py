"""The second step leaves audit rows the watcher counts, the passkey check is ours (audited,
new session key), and the administrator's reset signs the person out everywhere."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import resolve, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from mesoclinic.audit.models import AuditEvent
from mesoclinic.security import second_factor_services as services
from mesoclinic.security import views
from mesoclinic.security.tests.browser import fresh_code
from mesoclinic.security.watch import WATCHED

pytestmark = pytest.mark.django_db

VERIFY = reverse("security:verify")
PASSKEY_COMPLETE = reverse("otp_webauthn:credential-authentication-complete")


def failures_of(user):
    return list(
        AuditEvent.objects.filter(action=WATCHED["failures"], object_id=str(user.pk))
        .order_by("pk")
        .values_list("detail", flat=True)
    )


def verified_of(user):
    return [
        e
        for e in AuditEvent.objects.filter(
            action=AuditEvent.Action.SECURITY, object_id=str(user.pk)
        ).values_list("detail", flat=True)
        if e["change"] == "second_factor_verified"
    ]


def test_it_records_a_wrong_code_as_a_failed_sign_in(practitioner_user, unverified_client):
    unverified_client.force_login(practitioner_user)
    unverified_client.post(VERIFY, {"code": "123456"})
    assert failures_of(practitioner_user) == [{"reason": "second_factor"}]
    event = AuditEvent.objects.get(action=WATCHED["failures"])
    assert event.actor == practitioner_user
    assert event.interface == AuditEvent.Interface.WEB


def test_it_records_a_throttled_code_as_a_throttled_failure(practitioner_user, unverified_client):
    unverified_client.force_login(practitioner_user)
    unverified_client.post(VERIFY, {"code": "000000"})
    right = fresh_code(practitioner_user.username)
    TOTPDevice.objects.filter(user=practitioner_user).update(
        throttling_failure_count=3, throttling_failure_timestamp=timezone.now()
    )
    response = unverified_client.post(VERIFY, {"code": right})
    assert response.status_code == 429
    assert failures_of(practitioner_user) == [
        {"reason": "second_factor"},
        {"reason": "second_factor_throttled"},
    ]


def test_it_records_a_wrong_recovery_code(practitioner_user, unverified_client):
    unverified_client.force_login(practitioner_user)
    unverified_client.post(VERIFY, {"recovery_code": "abcdefgh"})
    assert failures_of(practitioner_user) == [{"reason": "second_factor"}]


def test_it_records_a_proved_code_and_no_failure(practitioner_user, unverified_client):
    unverified_client.force_login(practitioner_user)
    response = unverified_client.post(VERIFY, {"code": fresh_code(practitioner_user.username)})
    assert response.status_code == 302
    assert verified_of(practitioner_user) == [{"change": "second_factor_verified", "kind": "app"}]
    assert failures_of(practitioner_user) == []


def test_the_passkey_check_is_ours(settings):
    assert resolve(PASSKEY_COMPLETE).func.view_class is views.AuditedPasskeyAuthentication


def test_a_refused_passkey_is_a_failed_sign_in(practitioner_user, unverified_client):
    WebAuthnCredential.objects.create(
        user=practitioner_user,
        name="Key",
        confirmed=True,
        credential_id=b"abc",
        public_key=b"k",
        sign_count=0,
    )
    unverified_client.force_login(practitioner_user)
    begin = unverified_client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert begin.status_code == 200
    refused = unverified_client.post(PASSKEY_COMPLETE, data="{}", content_type="application/json")
    assert refused.status_code >= 400 and "detail" in refused.json()
    assert failures_of(practitioner_user) == [{"reason": "second_factor"}]
    assert unverified_client.get("/patients/").url.startswith(VERIFY)


def test_the_reset_signs_the_person_out_of_every_session(
    administrator, practitioner_user, client, unverified_client
):
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    phone_proved = client.__class__()
    phone_proved.force_login(practitioner_user)  # a session the lost phone proved
    unverified_client.force_login(practitioner_user)  # a password-only session
    client.force_login(administrator)

    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factors", "_selected_action": [practitioner_user.pk]},
    )

    for session in (phone_proved, unverified_client):
        assert "_auth_user_id" not in session.session
        # Nobody is left to enrol a new factor: the enrolment page asks for the password.
        assert session.get(reverse("security:enrol")).url.startswith(reverse("login"))
    assert client.get("/admin/").status_code == 200  # the administrator stays signed in
    event = AuditEvent.objects.get(detail__change="second_factor_reset")
    assert event.detail["sessions"] == 2


def test_ending_sessions_leaves_other_people_alone(practitioner_user, manager, client):
    client.force_login(manager)
    assert services.end_sessions_of(practitioner_user) == 0
    assert Session.objects.count() == 1
