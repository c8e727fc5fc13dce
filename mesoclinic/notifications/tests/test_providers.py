"""The SMS gateway and WhatsApp Cloud channels against the fake providers (a real local HTTP
server): what goes over the wire, idempotency, Urdu segments, configuration errors."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from mesoclinic.notifications import services
from mesoclinic.notifications.channels import ChannelError, Outgoing
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.providers import SmsGatewayChannel, WhatsAppCloudChannel
from mesoclinic.notifications.testing import enqueue_patient_message
from mesoclinic.notifications.tests.helpers import MORNING

URDU = "بلیو ایریا کلینک: آپ کی ملاقات پیر کو ہے۔ تبدیلی کے لیے 051-1234567 پر فون کریں۔"


def outgoing(**overrides):
    fields = {
        "to": "+923001234567",
        "body": "Blue Area Clinic: your visit is on Monday.",
        "idempotency_key": "appointment-42-reminder-24h",
        "language": "en",
        "template": "visit-reminder",
    }
    return Outgoing(**{**fields, **overrides})


def test_it_sends_an_sms_with_its_key_and_returns_the_gateways_id(fake_providers):
    provider_id = SmsGatewayChannel().send(outgoing())

    delivery = fake_providers.delivery("appointment-42-reminder-24h")
    assert provider_id == delivery.id
    assert delivery.to == "+923001234567"
    assert delivery.text == "Blue Area Clinic: your visit is on Monday."
    assert delivery.segments == 1


def test_it_counts_an_urdu_sms_in_ucs2_segments_of_seventy(fake_providers):
    seventy = ("آپ کی ملاقات کل ہے " * 4)[:70]
    assert len(seventy) == 70 and len(URDU) == 80

    SmsGatewayChannel().send(outgoing(body=seventy, idempotency_key="seventy"))
    SmsGatewayChannel().send(outgoing(body=URDU, idempotency_key="eighty"))
    SmsGatewayChannel().send(outgoing(body="A" * 160, idempotency_key="latin"))

    # Urdu is UCS-2: 70 characters fit one segment, 80 need two (67 a segment once split);
    # the same gateway takes 160 Latin letters in one.
    assert fake_providers.delivery("seventy").segments == 1
    assert fake_providers.delivery("eighty").segments == 2
    assert fake_providers.delivery("latin").segments == 1


def test_it_stores_the_segments_an_urdu_sms_was_sent_in(fake_providers, db):
    enqueue_patient_message("course-42-maintenance-recall", "sms", language="ur", due_at=MORNING)

    assert services.drain(now=MORNING).sent == 1

    message = Message.objects.get()
    # The Urdu recall with its opt-out link: UCS-2, 67 characters a segment once split.
    expected = -(-len(message.body) // 67)
    assert expected >= 2
    assert message.segments == expected
    assert fake_providers.delivery(message.idempotency_key).segments == expected
    assert message.provider_message_id == fake_providers.delivery(message.idempotency_key).id


def test_a_repeated_key_is_not_delivered_twice_and_answers_the_first_id(fake_providers):
    channel = SmsGatewayChannel()

    first = channel.send(outgoing())
    again = channel.send(outgoing(body="changed"))

    assert again == first
    assert fake_providers.delivered_keys() == {"appointment-42-reminder-24h": 1}
    assert len(fake_providers.requests) == 2


def test_a_wrong_token_is_refused_by_the_gateway(fake_providers, settings):
    settings.NOTIFICATIONS_SMS = {**settings.NOTIFICATIONS_SMS, "TOKEN": "stolen"}

    with pytest.raises(ChannelError) as refused:
        SmsGatewayChannel().send(outgoing())

    assert refused.value.reason == "http_401"
    assert "+92300" not in str(refused.value)
    assert fake_providers.deliveries == []


def test_it_sends_the_approved_whatsapp_template_in_the_patients_language(fake_providers):
    provider_id = WhatsAppCloudChannel().send(
        outgoing(
            body=URDU,
            language="ur",
            provider_template="mesoclinic_visit_reminder",
            parameters=("پیر", "051-1234567"),
            free_text_allowed=False,
        )
    )

    delivery = fake_providers.delivery("appointment-42-reminder-24h")
    assert provider_id == delivery.id and provider_id.startswith("wamid.")
    assert delivery.template == "mesoclinic_visit_reminder"
    assert delivery.language == "ur"
    assert delivery.parameters == ("پیر", "051-1234567")
    assert delivery.text == ""  # a template, not free text


def test_it_sends_free_text_on_whatsapp_only_inside_the_window(fake_providers):
    channel = WhatsAppCloudChannel()

    channel.send(outgoing(idempotency_key="inside", free_text_allowed=True))
    with pytest.raises(ChannelError) as refused:
        channel.send(outgoing(idempotency_key="outside", free_text_allowed=False))

    assert fake_providers.delivery("inside").text.startswith("Blue Area Clinic")
    assert refused.value.reason == "no_template"
    assert fake_providers.delivered_keys() == {"inside": 1}


def test_it_names_what_is_missing_from_the_configuration(settings):
    settings.NOTIFICATIONS_SMS = {"URL": "https://sms.example.pk/send", "SENDER": "CLINIC"}
    with pytest.raises(ImproperlyConfigured, match="NOTIFICATIONS_SMS needs TOKEN"):
        SmsGatewayChannel()

    settings.NOTIFICATIONS_SMS = {"URL": "ftp://sms.example.pk", "TOKEN": "t", "SENDER": "C"}
    with pytest.raises(ImproperlyConfigured, match="http"):
        SmsGatewayChannel()

    settings.NOTIFICATIONS_WHATSAPP = {
        "PHONE_NUMBER_ID": "1",
        "ACCESS_TOKEN": "t",
        "TIMEOUT": 600,  # as long as the worker's lease: a slow send would be sent twice
    }
    with pytest.raises(ImproperlyConfigured, match="below the worker's lease"):
        WhatsAppCloudChannel()
