"""The send-time check (compose.prepare inside send_claimed): no message without a recorded
opt-in on its channel, none after an opt-out, WhatsApp templates only outside the window, the
clinic's own wording in the patient's language, and a refusal cancelled with its reasons."""

import re

import pytest

from mesoclinic.notifications import contacts, message_templates, services
from mesoclinic.notifications.models import Message, MessageTemplate
from mesoclinic.notifications.tests.helpers import MORNING, RecordingChannel

pytestmark = pytest.mark.django_db

PATIENT = 41
ADDRESSES = {"sms": "+923001234567", "whatsapp": "+923001234567", "email": "ayesha@example.pk"}
VALUES = {"clinic": "Blue Area", "link": "https://clinic.example.pk/a/x1/", "phone": "051-1234567"}


@pytest.fixture
def clinic(clinic_a):
    return clinic_a


def answer(channel, opted_in, *, clinic):
    contacts.record_consent(
        patient_id=PATIENT,
        clinic_id=clinic.pk,
        channel=channel,
        opted_in=opted_in,
        method="in_person",
        acting_user=None,
        via="web",
    )


def enqueue(channel, *, clinic, key="aftercare-1", language="en", **overrides):
    fields = {
        "key": key,
        "channel": channel,
        "address": ADDRESSES[channel],
        "language": language,
        "template": "aftercare",
        "values": VALUES,
        "due_at": MORNING,
        "clinic_id": clinic.pk,
        "patient_id": PATIENT,
    }
    return services.enqueue(**(fields | overrides))


def drain(channel):
    return services.drain(now=MORNING, channel_for=lambda name: channel)


def reasons(message):
    return [part.split(":")[0] for part in message.last_error.split("; ")]


@pytest.mark.parametrize("channel", ["email", "sms", "whatsapp"])
def test_it_honours_an_opt_out_on_every_channel(channel, clinic):
    provider = RecordingChannel()
    answer(channel, True, clinic=clinic)
    answer(channel, False, clinic=clinic)
    enqueue(channel, clinic=clinic)

    assert drain(provider).cancelled == 1

    message = Message.objects.get()
    assert message.status == Message.Status.CANCELLED
    assert reasons(message)[0] == "opted_out"
    assert provider.calls == []
    # Cancelled is final: not tried again later.
    assert services.drain(now=MORNING.replace(day=20), channel_for=lambda n: provider).sent == 0


@pytest.mark.parametrize("channel", ["email", "sms"])
def test_it_sends_nothing_to_a_patient_who_never_agreed(channel, clinic):
    provider = RecordingChannel()
    answer("whatsapp", True, clinic=clinic)  # agreeing to one channel is not the other
    enqueue(channel, clinic=clinic)

    assert drain(provider).cancelled == 1
    assert Message.objects.get().last_error == "no_opt_in"
    assert provider.calls == []


def test_it_sends_no_whatsapp_without_a_whatsapp_opt_in(clinic):
    provider = RecordingChannel()
    answer("sms", True, clinic=clinic)
    enqueue("whatsapp", clinic=clinic)

    drain(provider)

    assert Message.objects.get().last_error == "whatsapp_no_opt_in"
    assert provider.calls == []


def test_it_sends_only_an_approved_template_outside_the_whatsapp_window(clinic):
    provider = RecordingChannel()
    answer("whatsapp", True, clinic=clinic)
    enqueue("whatsapp", clinic=clinic)

    assert drain(provider).sent == 1

    [call] = provider.calls
    assert call["provider_template"] == "mesoclinic_aftercare"
    # The approved template's parameters, in its order: clinic, link, phone, opt-out link.
    assert call["parameters"][:3] == ("Blue Area", "https://clinic.example.pk/a/x1/", "051-1234567")
    assert "/en/messages/stop/" in call["parameters"][3]
    # Nobody has written to us (contacts.last_inbound_at): no free text may go.
    assert call["free_text_allowed"] is False


def test_it_refuses_free_text_outside_the_whatsapp_window(clinic, administrator):
    # The clinic's own wording with no approved WhatsApp template behind it.
    message_templates.save_version(
        acting_user=administrator,
        clinic_id=clinic.pk,
        code="aftercare",
        language="en",
        text="{clinic}: see {link}, or call {phone}. Stop: {opt_out}",
    )
    provider = RecordingChannel()
    answer("whatsapp", True, clinic=clinic)
    enqueue("whatsapp", clinic=clinic)

    assert drain(provider).cancelled == 1
    assert Message.objects.get().last_error == "whatsapp_outside_window"
    assert provider.calls == []


def test_it_writes_the_clinics_newest_wording_in_the_patients_language(clinic, administrator):
    for version in (1, 2):
        message_templates.save_version(
            acting_user=administrator,
            clinic_id=clinic.pk,
            code="aftercare",
            language="ur",
            text=f"v{version} {{clinic}}: ہدایات {{link}} فون {{phone}} بند کریں: {{opt_out}}",
        )
    provider = RecordingChannel()
    answer("sms", True, clinic=clinic)
    enqueue("sms", clinic=clinic, key="ur", language="ur")
    enqueue("sms", clinic=clinic, key="en", language="en")

    assert drain(provider).sent == 2

    urdu = Message.objects.get(idempotency_key="ur")
    assert urdu.body.startswith("v2 Blue Area: ہدایات https://clinic.example.pk/a/x1/")
    assert "/ur/messages/stop/" in urdu.body
    assert (urdu.template_version.clinic_id, urdu.template_version.version) == (clinic.pk, 2)
    # English: the clinic wrote none, so the chain's default.
    english = Message.objects.get(idempotency_key="en")
    assert english.body.startswith("Blue Area: thank you for your visit.")
    assert english.template_version.clinic_id is None
    assert english.template_version.language == "en"


def test_it_falls_back_to_english_only_without_any_urdu_text_and_records_it(clinic):
    MessageTemplate.objects.filter(code="aftercare", language="ur").delete()
    provider = RecordingChannel()
    answer("sms", True, clinic=clinic)
    enqueue("sms", clinic=clinic, language="ur")

    drain(provider)

    message = Message.objects.get()
    assert message.body.startswith("Blue Area: thank you for your visit.")
    # The message asked for Urdu; the version it was written from is English.
    assert (message.language, message.template_version.language) == ("ur", "en")
    assert provider.calls[0]["language"] == "en"


def test_the_opt_out_link_in_a_message_names_its_patient_and_channel(clinic):
    provider = RecordingChannel()
    answer("sms", True, clinic=clinic)
    enqueue("sms", clinic=clinic)

    drain(provider)

    token = re.search(r"/messages/stop/([^/]+)/", provider.calls[0]["body"]).group(1)
    assert contacts.read_opt_out_token(token) == (PATIENT, "sms", clinic.pk)


@pytest.mark.parametrize(
    ("channel", "address"),
    [("sms", "+92512650100"), ("sms", "0300-1234567"), ("email", "not-an-address")],
)
def test_it_refuses_an_address_the_channel_cannot_use(channel, address, clinic):
    provider = RecordingChannel()
    answer(channel, True, clinic=clinic)
    enqueue(channel, clinic=clinic, address=address)

    drain(provider)

    assert Message.objects.get().last_error == "address_invalid"
    assert provider.calls == []


def test_it_gives_every_reason_at_once(clinic):
    enqueue("sms", clinic=clinic, address="", values={"clinic": "Blue Area"})

    drain(RecordingChannel())

    assert reasons(Message.objects.get()) == ["no_opt_in", "address_missing", "values_missing"]
    assert Message.objects.get().last_error.endswith("values_missing: link, phone")


def test_it_sends_an_email_with_its_subject(clinic, administrator):
    message_templates.save_version(
        acting_user=administrator,
        clinic_id=clinic.pk,
        code="aftercare",
        language="en",
        title="Your visit to {clinic}",
        text="{clinic}: your aftercare {link}; call {phone}. Stop: {opt_out}",
    )
    provider = RecordingChannel()
    answer("email", True, clinic=clinic)
    enqueue("email", clinic=clinic)

    assert drain(provider).sent == 1
    assert provider.calls[0]["title"] == "Your visit to Blue Area"
