"""The provider callbacks under /hooks/: signed or refused, delivery statuses, inbound contacts."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mesoclinic.audit.models import AuditEvent
from mesoclinic.notifications import deliveries, selectors, services
from mesoclinic.notifications.models import InboundContact, Message
from mesoclinic.notifications.signatures import sign
from mesoclinic.notifications.testing import enqueue_patient_message
from mesoclinic.notifications.tests.helpers import MORNING
from mesoclinic.notifications.tests.test_webhooks import ODD_SHAPES

pytestmark = pytest.mark.django_db

WHATSAPP = "/hooks/whatsapp/"
SMS = "/hooks/sms/"


@pytest.fixture
def provider():
    """A provider's HTTP client: no session, and Django's CSRF check on, as in production."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def sent(fake_providers):
    """One WhatsApp and one SMS message, sent through the fake providers at 11:00."""
    for channel in ("whatsapp", "sms"):
        enqueue_patient_message(f"appointment-42-{channel}", channel, due_at=MORNING)
    assert services.drain(now=MORNING).sent == 2
    return {m.channel: m for m in Message.objects.all()}


def post_whatsapp(provider, fake, payload, *, secret=None, signature=None):
    body = json.dumps(payload).encode()
    header = signature if signature is not None else sign(secret or fake.app_secret, body)
    return provider.post(
        WHATSAPP, body, content_type="application/json", headers={"X-Hub-Signature-256": header}
    )


def status_payload(fake, message, status="delivered", **extra):
    at = int((MORNING + timedelta(minutes=2)).timestamp())
    return fake.whatsapp_status_payload(message.provider_message_id, status, at=at, **extra)


def test_a_signed_delivered_status_marks_the_message_delivered(provider, fake_providers, sent):
    message = sent["whatsapp"]

    response = post_whatsapp(provider, fake_providers, status_payload(fake_providers, message))

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.delivered_at == MORNING + timedelta(minutes=2)
    event = AuditEvent.objects.filter(object_type="notifications.message").first()
    assert (event.actor, event.changed_fields) == (None, ["delivered_at", "status"])
    assert "923001234567" not in json.dumps(event.detail)


def test_read_after_delivered_keeps_both_times(provider, fake_providers, sent):
    message = sent["whatsapp"]
    post_whatsapp(provider, fake_providers, status_payload(fake_providers, message))
    read_at = MORNING + timedelta(minutes=9)
    payload = fake_providers.whatsapp_status_payload(
        message.provider_message_id, "read", at=int(read_at.timestamp())
    )

    post_whatsapp(provider, fake_providers, payload)

    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert (message.delivered_at, message.read_at) == (MORNING + timedelta(minutes=2), read_at)


def test_a_failed_status_after_sent_fails_the_message_with_the_providers_code(
    provider, fake_providers, sent
):
    message = sent["whatsapp"]
    payload = status_payload(fake_providers, message, "failed", error_code=131026)

    post_whatsapp(provider, fake_providers, payload)

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.last_error == "provider_failed: error 131026"


def test_a_whatsapp_error_code_that_is_not_a_short_code_is_not_kept(provider, fake_providers, sent):
    message = sent["whatsapp"]
    payload = status_payload(fake_providers, message, "failed", error_code=923001234567)

    assert post_whatsapp(provider, fake_providers, payload).status_code == 200

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.last_error == "provider_failed: error unknown"


def test_a_status_costs_a_fixed_number_of_queries(django_assert_num_queries, fake_providers, sent):
    message = sent["whatsapp"]
    report = {"channel": "whatsapp", "provider_message_id": message.provider_message_id}

    # SAVEPOINT; SELECT ... FOR UPDATE by message_provider_id_idx; UPDATE the message; INSERT
    # the audit row; RELEASE SAVEPOINT.
    with django_assert_num_queries(5):
        assert deliveries.record_status(**report, status="delivered", at=MORNING)


def test_a_status_never_moves_a_message_back(provider, fake_providers, sent):
    message = sent["whatsapp"]
    post_whatsapp(provider, fake_providers, status_payload(fake_providers, message))

    post_whatsapp(provider, fake_providers, status_payload(fake_providers, message, "sent"))
    post_whatsapp(provider, fake_providers, status_payload(fake_providers, message, "failed"))

    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED


@pytest.mark.parametrize(
    "signature",
    ["", "sha256=", "sha256=" + "0" * 64, "md5=abc", "wrong-secret"],
    ids=["missing", "empty", "zeros", "other-scheme", "other-secret"],
)
def test_a_bad_signature_is_refused_and_changes_nothing(provider, fake_providers, sent, signature):
    message = sent["whatsapp"]
    audit_rows = AuditEvent.objects.count()
    payload = status_payload(fake_providers, message)
    if signature == "wrong-secret":
        signature = sign("not-the-app-secret", json.dumps(payload).encode())

    response = post_whatsapp(provider, fake_providers, payload, signature=signature)

    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert AuditEvent.objects.count() == audit_rows


def test_a_signature_over_another_body_is_refused(provider, fake_providers, sent):
    message = sent["whatsapp"]
    signature = sign(fake_providers.app_secret, b"{}")

    response = post_whatsapp(
        provider, fake_providers, status_payload(fake_providers, message), signature=signature
    )

    assert response.status_code == 403
    assert Message.objects.get(pk=message.pk).status == Message.Status.SENT


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", json.dumps([1, 2]).encode(), json.dumps({"entry": "x"}).encode()],
    ids=["broken", "empty", "a-list", "entry-not-a-list"],
)
def test_a_signed_body_that_is_not_a_webhook_is_400(provider, fake_providers, body):
    response = provider.post(
        WHATSAPP,
        body,
        content_type="application/json",
        headers={"X-Hub-Signature-256": sign(fake_providers.app_secret, body)},
    )

    assert response.status_code == 400


def test_odd_entries_and_unknown_ids_are_ignored_not_500(provider, fake_providers, sent):
    payload = {
        "entry": [
            1,
            {"changes": "x"},
            {"changes": [{"value": {"statuses": [{"id": 5, "timestamp": "soon"}, "x"]}}]},
            {"changes": [{"value": {"messages": [{"from": None}], "statuses": None}}]},
        ]
    }
    unknown = fake_providers.whatsapp_status_payload("wamid.NOT-OURS", "delivered")

    assert post_whatsapp(provider, fake_providers, payload).status_code == 200
    assert post_whatsapp(provider, fake_providers, unknown).status_code == 200
    assert Message.objects.get(pk=sent["whatsapp"].pk).status == Message.Status.SENT


@pytest.mark.parametrize("payload", ODD_SHAPES)
def test_a_signed_webhook_with_parts_of_the_wrong_type_is_ignored_not_500(
    provider, fake_providers, payload
):
    response = post_whatsapp(provider, fake_providers, payload)

    assert response.status_code == 200
    assert response.json() == {"statuses": 0, "changed": 0, "inbound": 0}


def test_an_sms_status_id_is_not_a_whatsapp_one(provider, fake_providers, sent):
    sms_id = sent["sms"].provider_message_id

    post_whatsapp(provider, fake_providers, fake_providers.whatsapp_status_payload(sms_id))

    assert Message.objects.get(pk=sent["sms"].pk).status == Message.Status.SENT


def test_meta_verifies_the_subscription_with_the_verify_token(provider, fake_providers):
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}

    good = provider.get(WHATSAPP, {**query, "hub.verify_token": fake_providers.verify_token})
    bad = provider.get(WHATSAPP, {**query, "hub.verify_token": "guess"})

    assert (good.status_code, good.content) == (200, b"1158201444")
    assert bad.status_code == 403


def test_an_inbound_message_opens_the_window_for_that_number(provider, fake_providers):
    wrote_at = timezone.now().replace(microsecond=0) - timedelta(hours=1)

    def inbound(at):
        payload = fake_providers.whatsapp_inbound_payload("+923001234567", at=at.timestamp())
        return post_whatsapp(provider, fake_providers, payload)

    assert inbound(wrote_at).status_code == 200

    assert selectors.last_inbound_at("whatsapp", "+923001234567") == wrote_at
    assert selectors.last_inbound_at("whatsapp", "923001234567") == wrote_at
    assert selectors.last_inbound_at("whatsapp", "+923007654321") is None
    assert selectors.last_inbound_at("sms", "+923001234567") is None
    # An older message arriving late does not shorten the window.
    inbound(wrote_at - timedelta(hours=3))
    assert selectors.last_inbound_at("whatsapp", "+923001234567") == wrote_at
    assert InboundContact.objects.count() == 1


def test_an_inbound_message_dated_in_the_future_counts_from_now(provider, fake_providers):
    payload = fake_providers.whatsapp_inbound_payload(
        "+923001234567", at=(timezone.now() + timedelta(days=2)).timestamp()
    )

    post_whatsapp(provider, fake_providers, payload)

    assert selectors.last_inbound_at("whatsapp", "+923001234567") <= timezone.now()


def test_an_sms_delivery_report_is_checked_and_applied(provider, fake_providers, sent):
    message = sent["sms"]
    at = int((MORNING + timedelta(minutes=1)).timestamp())
    body = json.dumps({"id": message.provider_message_id, "status": "DELIVERED", "timestamp": at})

    forged = provider.post(
        SMS, body, content_type="application/json", headers={"X-Gateway-Signature": "sha256=00"}
    )
    assert forged.status_code == 403
    assert Message.objects.get(pk=message.pk).status == Message.Status.SENT

    signed = provider.post(
        SMS,
        body,
        content_type="application/json",
        headers={"X-Gateway-Signature": sign(fake_providers.sms_webhook_secret, body.encode())},
    )

    assert signed.status_code == 200
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert message.delivered_at == datetime.fromtimestamp(at, tz=UTC)


@pytest.mark.parametrize(
    ("error", "last_error"),
    [
        ("EC_027", "provider_failed: error EC_027"),
        (4001, "provider_failed: error 4001"),
        ("", "provider_failed"),
        # A gateway echoing the number, or saying too much: not kept on the row.
        ("923001234567", "provider_failed: error unknown"),
        ("+923001234567", "provider_failed: error unknown"),
        ("EC_ABSENT_SUBSCRIBER", "provider_failed: error unknown"),
        ("absent 0300-1234567", "provider_failed: error unknown"),
        ({"code": 1}, "provider_failed: error unknown"),
    ],
)
def test_an_undelivered_sms_fails_with_the_gateways_code_if_it_looks_like_one(
    provider, fake_providers, sent, error, last_error
):
    message = sent["sms"]
    body = json.dumps(
        {
            "id": message.provider_message_id,
            "status": "undelivered",
            "timestamp": int(MORNING.timestamp()) + 60,
            "error": error,
        }
    ).encode()

    response = provider.post(
        SMS,
        body,
        content_type="application/json",
        headers={"X-Gateway-Signature": sign(fake_providers.sms_webhook_secret, body)},
    )

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.last_error == last_error


def test_an_unconfigured_hook_accepts_nothing(provider, settings):
    settings.NOTIFICATIONS_SMS = {}
    body = b'{"id": "x", "status": "delivered", "timestamp": 1}'

    response = provider.post(
        SMS, body, content_type="application/json", headers={"X-Gateway-Signature": sign("", body)}
    )

    assert response.status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_fake_provider_reports_a_delivery_to_the_running_site(
    live_server, fake_providers, sent
):
    """What a browser journey does: the fake WhatsApp provider calls our real server."""
    message, fake = sent["whatsapp"], fake_providers

    status, _ = fake.post_whatsapp_status(
        f"{live_server.url}{WHATSAPP}", message.provider_message_id, "delivered"
    )

    assert status == 200
    assert Message.objects.get(pk=message.pk).status == Message.Status.DELIVERED
