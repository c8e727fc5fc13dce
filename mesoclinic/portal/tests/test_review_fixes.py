"""What an independent review of the portal found, each now refused (issue 22's review)."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesoclinic.audit.models import AuditEvent
from mesoclinic.portal import services
from mesoclinic.portal.tests.test_signin import ask, sent_code
from mesoclinic.security.tests.browser import TEST_TOTP_KEY

pytestmark = pytest.mark.django_db

CODE = "/en/portal/sign-in/code/"


def test_it_never_lets_someone_without_the_date_of_birth_lock_a_patient_out(portal_world):
    # Someone who knows Sana's number but not her birthday spends every code they can get,
    # from three addresses, with wrong codes...
    for n in range(3):
        stranger = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")
        ask(stranger, born="2001-01-01")
        for _ in range(5):
            stranger.post(CODE, {"code": "000000"})
    # ...and Sana still gets her code and signs in.
    sana = Client(REMOTE_ADDR="10.0.0.9")
    assert ask(sana).status_code == 302
    assert sana.post(CODE, {"code": sent_code()}).status_code == 302
    assert sana.get("/en/portal/").status_code == 200


def test_it_links_no_account_for_twins_sharing_a_phone_and_a_birthday(make_patient, clinic_a):
    born = date(2005, 5, 5)
    for first in ("Ali", "Usman"):
        make_patient(clinic_a, first_name=first, mobile="+923001112223", date_of_birth=born)
    assert services.link_account(mobile="+923001112223", date_of_birth=born) is None


def test_it_tells_a_twin_with_the_right_code_to_call_the_clinic(make_patient, clinic_a):
    born = date(2005, 5, 5)
    for first in ("Ali", "Usman"):
        make_patient(clinic_a, first_name=first, mobile="+923001112223", date_of_birth=born)
    client = Client()
    ask(client, mobile="0300-1112223", born=born.isoformat())
    answer = client.post(CODE, {"code": sent_code()})
    assert answer.status_code == 403
    assert "call your clinic" in answer.content.decode()
    assert client.get("/en/portal/").status_code == 302  # not signed in


def test_it_refuses_a_right_code_when_the_clinic_changed_the_date_of_birth_meanwhile(
    portal_world, administrator
):
    from mesoclinic.patients.services import update_patient

    client = Client()
    ask(client)
    update_patient(
        acting_user=administrator,
        via="web",
        patient=portal_world.at_a,
        data={"date_of_birth": date(1990, 1, 1)},
    )
    assert client.post(CODE, {"code": sent_code()}).status_code == 403


def test_it_audits_a_guessed_record_id(patient_client, portal_world):
    before = AuditEvent.objects.filter(action="denied").count()
    page = patient_client.get(f"/en/portal/records/{portal_world.stranger.pk}/")
    assert page.status_code == 404
    assert AuditEvent.objects.filter(action="denied").count() == before + 1


def test_it_blanks_a_spent_code_once_however_often_the_sweep_runs(portal_world):
    from mesoclinic.notifications.models import Message
    from mesoclinic.portal.signin import redact_spent_codes

    ask(Client())
    Message.objects.update(status=Message.Status.SENT)
    later = timezone.now() + timedelta(minutes=11)
    assert redact_spent_codes(now=later) == 1
    updates = AuditEvent.objects.filter(action="update").count()
    assert redact_spent_codes(now=later + timedelta(hours=1)) == 0
    assert AuditEvent.objects.filter(action="update").count() == updates


def test_it_asks_an_older_session_for_the_new_factor_without_a_loop(patient_client, portal_world):
    TOTPDevice.objects.create(
        user=portal_world.user, name="Phone", key=TEST_TOTP_KEY, confirmed=True
    )
    page = patient_client.get("/en/portal/sign-in/verify/?next=/security/")
    assert page.status_code == 200  # the verify page, not a redirect back
