"""Signing in to the portal with the mobile number, the date of birth and a one-time code."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mesoclinic.audit.models import AuditEvent
from mesoclinic.notifications import contacts
from mesoclinic.notifications.models import ContactChannel, Message
from mesoclinic.notifications.services import REDACTED
from mesoclinic.portal.models import SignInAttempt
from mesoclinic.portal.tests.conftest import SANA_BORN, SANA_MOBILE
from mesoclinic.security.sessions import SEEN
from mesoclinic.security.tests.browser import TEST_TOTP_KEY, current_code

pytestmark = pytest.mark.django_db

SIGN_IN = "/en/portal/sign-in/"
CODE = "/en/portal/sign-in/code/"
LOCAL = "0333-5550101"  # Sana's number as she types it
BORN = SANA_BORN.isoformat()
NOBODY = "0345-9990000"  # no clinic holds this number
Action = AuditEvent.Action


def ask(client, mobile=LOCAL, born=BORN, **extra):
    return client.post(SIGN_IN, {"mobile": mobile, "date_of_birth": born, **extra})


def sent_code(attempt=None) -> str:
    """The code the outbox carries for the attempt (the newest one by default)."""
    attempt = attempt or SignInAttempt.objects.latest("id")
    return Message.objects.get(idempotency_key=f"portal-code-{attempt.pk}").values["code"]


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def sana(portal_world):
    return portal_world


# --- asking for a code ---------------------------------------------------------------------


def test_it_shows_the_sign_in_page_without_a_script(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the session, nothing else
        page = client.get("/ur/portal/sign-in/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="mobile"' in text and 'type="date"' in text and "<script" not in text
    assert 'dir="rtl"' in text and len(page.content) < 100_000


def test_it_sends_a_code_by_sms_with_nothing_but_the_code(client, sana):
    response = ask(client)
    assert response.status_code == 302 and response["Location"] == CODE
    message = Message.objects.get(template="portal-sign-in-code")
    assert (message.channel, message.address, message.urgent) == ("sms", SANA_MOBILE, True)
    assert set(message.values) == {"code", "minutes"}
    assert re.fullmatch(r"\d{6}", message.values["code"])
    assert message.values["minutes"] == 10
    attempt = SignInAttempt.objects.get()
    assert SANA_MOBILE not in str(vars(attempt)) and message.values["code"] not in str(
        vars(attempt)
    )
    assert attempt.patient_id == sana.at_a.pk


def test_it_sends_the_code_by_whatsapp_to_a_patient_who_opted_in(client, sana, administrator):
    contacts.opt_in(
        patient_id=sana.at_b.pk,
        clinic_id=sana.at_b.registered_clinic_id,
        channel=ContactChannel.WHATSAPP,
        method="in_person",
        acting_user=administrator,
        via="web",
    )
    ask(client)
    message = Message.objects.get(template="portal-sign-in-code")
    assert (message.channel, message.patient_id) == ("whatsapp", sana.at_b.pk)


def test_it_sends_nothing_for_a_number_no_clinic_knows(client, sana):
    assert ask(client, mobile=NOBODY).status_code == 302
    assert not Message.objects.exists()
    assert SignInAttempt.objects.get().patient_id is None


def test_it_sends_nothing_for_the_right_number_with_another_date_of_birth(client, sana):
    ask(client, born="1996-08-03")  # Hina's is 1996-08-02: neither sister's
    assert not Message.objects.exists()


def test_it_answers_a_registered_and_an_unregistered_number_alike(sana):
    answers = []
    for mobile in (LOCAL, NOBODY):
        client = Client()
        first = ask(client, mobile=mobile)
        page = client.get(first["Location"])
        answers.append((first.status_code, first["Location"], page.status_code))
        answers.append(without_csrf(page.content.decode()))
        wrong_try = client.post(CODE, {"code": "000000"})
        answers.append((wrong_try.status_code, without_csrf(wrong_try.content.decode())))
    assert answers[:3] == answers[3:]
    assert "If these are on a clinic" in answers[1]


def test_it_keeps_what_was_typed_when_the_number_is_not_a_mobile(client, sana):
    page = ask(client, mobile="12345")
    assert page.status_code == 400
    text = page.content.decode()
    assert "Enter a mobile number, like 0300-1234567." in text
    assert 'value="12345"' in text and 'aria-describedby="id_mobile_helptext id_mobile_error"' in (
        text
    )
    assert not SignInAttempt.objects.exists()


def test_it_refuses_a_date_that_is_not_one(client, sana):
    page = ask(client, born="31/02/1992")
    assert page.status_code == 400 and "Enter a valid date." in page.content.decode()


def test_it_caps_codes_per_number_an_hour_and_sends_nothing_more(client, sana):
    for _ in range(3):
        assert ask(client).status_code == 302
    fourth = ask(client)
    assert fourth.status_code == 429
    assert "Too many codes were asked for." in fourth.content.decode()
    assert Message.objects.count() == 3 and SignInAttempt.objects.count() == 3
    row = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).get()
    assert row.detail == {"step": "request", "reasons": ["number_hour"]}


def test_it_caps_an_unregistered_number_the_same_way(client, sana):
    for _ in range(3):
        ask(client, mobile=NOBODY)
    assert ask(client, mobile=NOBODY).status_code == 429


def test_it_caps_requests_per_address(client, sana, settings):
    settings.PORTAL_REQUESTS_PER_ADDRESS_HOUR = 4
    for n in range(4):
        assert ask(client, mobile=f"0345-999000{n}").status_code == 302
    assert ask(client).status_code == 429
    assert not Message.objects.exists()  # Sana's own request came too late
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert ask(other).status_code == 302


def test_it_asks_for_a_code_in_a_constant_number_of_queries(
    client, sana, django_assert_max_num_queries
):
    # The limits (3 index range reads), the records (Sana has two), the attempt and its audit
    # row, the consents (one query for every record), the outbox's key probe, the message and
    # its audit row, the new session (probe, insert), and 6 savepoint statements: 18 whether
    # the number is on one record or on many; on PostgreSQL 2 advisory locks more.
    from django.db import connection

    with django_assert_max_num_queries(20 if connection.vendor == "postgresql" else 18):
        ask(client)


# --- typing the code -----------------------------------------------------------------------


def test_it_signs_in_with_the_code_and_lands_on_the_portal_home(client, sana):
    ask(client)
    before = client.session.session_key
    response = client.post(CODE, {"code": sent_code()})
    assert response.status_code == 302 and response["Location"] == "/en/portal/"
    session = client.session
    assert session[SESSION_KEY] == str(sana.user.pk)
    assert session.session_key != before  # rotated at sign-in
    assert SEEN in session  # the idle timeout counts from now
    assert client.get("/en/portal/").status_code == 200
    row = AuditEvent.objects.get(action=Action.SIGN_IN)
    assert (row.actor, row.interface) == (sana.user, "portal")


def test_it_links_the_account_at_the_first_sign_in(client, make_patient, clinic_a):
    record = make_patient(clinic_a, mobile="+923215550199")
    client.post(SIGN_IN, {"mobile": "0321 5550199", "date_of_birth": "1990-05-17"})
    client.post(CODE, {"code": sent_code()})
    record.refresh_from_db()
    assert record.portal_user is not None
    assert client.session[SESSION_KEY] == str(record.portal_user_id)


def test_it_goes_back_to_a_safe_next_and_ignores_another_site(sana):
    client = Client()
    ask(client, next="/en/portal/?tab=1")
    assert client.post(CODE, {"code": sent_code()})["Location"] == "/en/portal/?tab=1"
    client = Client()
    ask(client, next="https://evil.example/")
    assert client.post(CODE, {"code": sent_code()})["Location"] == "/en/portal/"


def test_it_blanks_the_code_in_the_outbox_once_used(client, sana):
    ask(client)
    code = sent_code()
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT, body=f"{code} ...")
    client.post(CODE, {"code": code})
    message.refresh_from_db()
    assert message.values["code"] == REDACTED and code not in message.body


def test_it_accepts_a_code_once(client, sana):
    ask(client)
    code = sent_code()
    token = client.session["portal.attempt"]
    client.post(CODE, {"code": code})
    client.post("/en/portal/sign-out/")
    again = Client()
    session = again.session
    session["portal.attempt"] = token  # the same attempt, replayed
    session.save()
    again.cookies["sessionid"] = session.session_key
    refused = again.post(CODE, {"code": code})
    assert refused.status_code == 429 and SESSION_KEY not in again.session
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).latest("id").detail == {
        "step": "code",
        "reasons": ["used"],
    }


def test_it_refuses_an_expired_code(client, sana):
    ask(client)
    SignInAttempt.objects.update(
        created_at=timezone.now() - timedelta(minutes=11),
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    refused = client.post(CODE, {"code": sent_code()})
    assert refused.status_code == 429
    assert "This code can no longer be used. Ask for a new one." in refused.content.decode()
    assert SESSION_KEY not in client.session


def test_it_stops_brute_force_at_five_wrong_tries(client, sana):
    ask(client)
    code = sent_code()
    Message.objects.update(status=Message.Status.SENT)  # on the phone
    for left in (4, 3, 2, 1):
        page = client.post(CODE, {"code": wrong(code)})
        assert page.status_code == 400
        assert f"Tries left for this code: {left}." in page.content.decode()
    fifth = client.post(CODE, {"code": wrong(code)})
    assert fifth.status_code == 429
    assert SignInAttempt.objects.get().burnt_at is not None
    assert Message.objects.get().values["code"] == REDACTED  # the outbox's copy is blanked
    # The sixth try, with the right code, in the same attempt: refused.
    session = client.session
    session["portal.attempt"] = SignInAttempt.objects.get().token
    session.save()
    sixth = client.post(CODE, {"code": code})
    assert sixth.status_code == 429 and SESSION_KEY not in client.session
    reasons = list(
        AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED)
        .order_by("id")
        .values_list("detail__reasons", flat=True)
    )
    assert reasons == [["wrong_code"]] * 5 + [["too_many_tries"]]


def test_it_refuses_a_code_typed_in_another_session(sana):
    asker, other = Client(), Client()
    ask(asker)
    ask(other, mobile=NOBODY)
    assert (
        other.post(CODE, {"code": sent_code(SignInAttempt.objects.earliest("id"))}).status_code
        == 400
    )
    assert SESSION_KEY not in other.session
    assert Client().post(CODE, {"code": "123456"})["Location"] == SIGN_IN  # no attempt at all


def test_it_refuses_the_code_of_another_number(client, sana, make_patient, clinic_a):
    make_patient(clinic_a, mobile="+923215550177")
    ask(client, mobile="0321-5550177", born="1990-05-17")
    theirs = sent_code()
    ask(client)  # the session now holds Sana's attempt
    assert client.post(CODE, {"code": theirs}).status_code == 400
    assert SESSION_KEY not in client.session


def test_it_locks_the_number_after_three_burnt_codes(client, sana):
    for _ in range(3):
        ask(client)
        for _ in range(5):
            client.post(CODE, {"code": "000000" if sent_code() != "000000" else "111111"})
    lock = AuditEvent.objects.get(action=Action.LOCKED_OUT)
    assert lock.detail == {"locked_by": "number", "minutes": 60} and lock.interface == "portal"
    SignInAttempt.objects.update(created_at=timezone.now() - timedelta(hours=2))
    refused = ask(client)  # the hour's cap is over, the lock is not
    assert refused.status_code == 429
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).latest("id").detail == {
        "step": "request",
        "reasons": ["locked"],
    }


def test_it_audits_every_step_without_the_number_the_birthday_or_the_code(client, sana):
    ask(client)
    client.post(CODE, {"code": wrong(sent_code())})
    code = sent_code()
    client.post(CODE, {"code": code})
    client.post("/en/portal/sign-out/")
    rows = AuditEvent.objects.filter(interface="portal").order_by("id")
    assert list(rows.values_list("action", "object_type", "detail")) == [
        (Action.CREATE, "portal.signinattempt", {"step": "code_requested"}),
        (
            Action.CREATE,
            "notifications.message",
            {"channel": "sms", "template": "portal-sign-in-code"},
        ),
        (
            Action.SIGN_IN_FAILED,
            "portal.signinattempt",
            {"step": "code", "reasons": ["wrong_code"]},
        ),
        (Action.SIGN_IN, "auth.user", {}),
        (Action.SIGN_OUT, "auth.user", {"reason": "user"}),
    ]
    dump = str(list(rows.values()))
    for secret in (SANA_MOBILE, SANA_MOBILE[3:], "5550101", BORN, code):
        assert secret not in dump


# --- the second factor ---------------------------------------------------------------------


def test_it_asks_a_patient_with_an_authenticator_app_for_it(client, sana):
    device = TOTPDevice.objects.create(
        user=sana.user, name="Phone", confirmed=True, key=TEST_TOTP_KEY
    )
    ask(client)
    response = client.post(CODE, {"code": sent_code()})
    assert response["Location"] == "/en/portal/sign-in/verify/?next=%2Fen%2Fportal%2F"
    # Until proved, the portal's pages send the patient back to prove it.
    assert client.get("/en/portal/")["Location"].startswith("/en/portal/sign-in/verify/")
    wrong_try = client.post(response["Location"], {"code": "000000", "next": "/en/portal/"})
    assert wrong_try.status_code == 400
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # no waiting
    proved = client.post(
        "/en/portal/sign-in/verify/", {"code": current_code(device), "next": "/en/portal/"}
    )
    assert proved["Location"] == "/en/portal/"
    assert client.get("/en/portal/").status_code == 200


def test_it_lets_a_patient_add_an_authenticator_app(patient_client, sana):
    page = patient_client.get("/en/portal/authenticator/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=sana.user, confirmed=False)
    done = patient_client.post("/en/portal/authenticator/", {"code": current_code(device)})
    assert done.status_code == 200 and "Recovery codes" in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    again = patient_client.get("/en/portal/authenticator/")
    assert "Your account has an authenticator app." in again.content.decode()


def test_it_sends_a_patient_who_idles_out_to_the_portal_sign_in(patient_client):
    assert patient_client.get("/ur/portal/").status_code == 200
    session = patient_client.session
    session[SEEN] -= 31 * 60
    session.save()
    response = patient_client.get("/ur/portal/")
    assert response.status_code == 302
    assert response["Location"] == "/ur/portal/sign-in/?next=/ur/portal/"


def test_it_sends_a_patient_who_hits_the_staff_gate_to_the_portal_verify(patient_client, sana):
    TOTPDevice.objects.create(user=sana.user, name="Phone", confirmed=True)
    response = patient_client.get("/security/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/portal/sign-in/verify/?next=")


def test_it_audits_the_sign_out_in_the_portal(patient_client, sana):
    patient_client.post("/en/portal/sign-out/")
    row = AuditEvent.objects.get(action=Action.SIGN_OUT)
    assert (row.actor, row.interface) == (sana.user, "portal")


def test_it_sends_a_signed_in_patient_from_the_sign_in_page_home(patient_client):
    assert patient_client.get(SIGN_IN)["Location"] == "/en/portal/"


def test_it_blanks_the_outbox_copy_of_codes_that_expired(client, sana):
    from mesoclinic.portal.signin import redact_spent_codes

    ask(client)
    Message.objects.update(status=Message.Status.SENT)
    assert redact_spent_codes() == 0  # still usable
    later = timezone.now() + timedelta(minutes=11)
    assert redact_spent_codes(now=later) == 1
    assert Message.objects.get().values["code"] == REDACTED
