"""The e-mail channel through Django's mail to a real SMTP server (aiosmtpd)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from mesoclinic.notifications import services
from mesoclinic.notifications.channels import ChannelError, Outgoing
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.providers import EmailChannel, message_id_for
from mesoclinic.notifications.tests.helpers import MORNING, VALUES


def outgoing(**overrides):
    fields = {
        "to": "frontdesk@clinic-a.example.pk",
        "body": "ایک صارف نے ملاقات کا وقت مانگا ہے۔\nدرخواستوں کا صفحہ کھولیں۔",
        "idempotency_key": "enquiry-42-notice",
        "language": "ur",
        "template": "enquiry-notice",
        "title": "ملاقات کی نئی درخواست · Clinic A",
    }
    return Outgoing(**{**fields, **overrides})


def test_it_mails_the_title_and_body_with_a_message_id_from_the_key(fake_smtp, settings):
    settings.NOTIFICATIONS_EMAIL = {"FROM": "Clinic A <no-reply@clinic-a.example.pk>"}

    provider_id = EmailChannel().send(outgoing())

    [mail] = fake_smtp.messages
    assert fake_smtp.recipients == [("frontdesk@clinic-a.example.pk",)]
    assert mail["Subject"] == "ملاقات کی نئی درخواست · Clinic A"
    assert mail.get_content().startswith("ایک صارف نے ملاقات کا وقت مانگا ہے۔")
    assert mail["Message-ID"] == provider_id
    assert provider_id == message_id_for("enquiry-42-notice", "clinic-a.example.pk")
    assert "enquiry-42" not in provider_id  # the id says nothing about the message


def test_a_resend_after_a_crash_is_dropped_by_message_id(fake_smtp):
    channel = EmailChannel()

    first = channel.send(outgoing())
    second = channel.send(outgoing())

    assert first == second
    assert len(fake_smtp.messages) == 1
    assert fake_smtp.repeats == 1


def test_it_takes_the_subject_from_the_first_line_without_a_title(fake_smtp):
    EmailChannel().send(outgoing(title="", body="New appointment request.\nOpen the inbox."))

    assert fake_smtp.messages[0]["Subject"] == "New appointment request."


@pytest.mark.django_db
def test_the_worker_mails_a_due_message_through_the_configured_mailer(fake_smtp):
    services.enqueue(
        key="enquiry-42-notice",
        channel="email",
        address="frontdesk@clinic-a.example.pk",
        language="en",
        template="enquiry-notice",
        values=VALUES,
        due_at=MORNING,
    )

    assert services.drain(now=MORNING).sent == 1

    message = Message.objects.get()
    assert message.provider_message_id == fake_smtp.messages[0]["Message-ID"]
    assert message.segments is None
    assert "Blue Area" in fake_smtp.messages[0].get_content()


def test_a_mail_server_that_is_gone_is_a_failed_attempt(fake_smtp):
    fake_smtp.stop()

    with pytest.raises(ChannelError) as failed:
        EmailChannel().send(outgoing())

    assert failed.value.reason == "refused"
    assert "clinic-a" not in str(failed.value)


def test_it_refuses_a_mailer_that_is_not_configured(settings):
    settings.NOTIFICATIONS_EMAIL = {"MAILER": "bulk"}

    with pytest.raises(ImproperlyConfigured, match="'bulk'"):
        EmailChannel()
