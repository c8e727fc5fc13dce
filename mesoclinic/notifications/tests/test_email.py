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


def enqueue_notice():
    return services.enqueue(
        key="enquiry-42-notice",
        channel="email",
        address="frontdesk@clinic-a.example.pk",
        language="en",
        template="enquiry-notice",
        values=VALUES,
        due_at=MORNING,
    )


@pytest.mark.django_db
def test_the_worker_mails_a_due_message_through_the_configured_mailer(fake_smtp):
    enqueue_notice()

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


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reply", ["450 4.2.0 Greylisted, try again later", "452 4.2.2 Mailbox full"]
)
def test_a_recipient_deferred_with_a_4xx_is_retried_and_goes_later(fake_smtp, reply):
    fake_smtp.rcpt_reply = reply
    enqueue_notice()

    assert services.drain(now=MORNING).retried == 1
    message = Message.objects.get()
    code = reply[:3]
    assert message.status == Message.Status.QUEUED
    assert message.last_error == f"smtp_{code}: the mail server deferred the recipient ({code})"

    fake_smtp.rcpt_reply = ""
    assert services.drain(now=message.next_attempt_at).sent == 1
    assert fake_smtp.recipients == [("frontdesk@clinic-a.example.pk",)]


@pytest.mark.django_db
def test_a_recipient_refused_with_a_5xx_fails_at_once(fake_smtp):
    fake_smtp.rcpt_reply = "550 5.1.1 frontdesk@clinic-a.example.pk: no such user"
    enqueue_notice()

    assert services.drain(now=MORNING).failed == 1
    message = Message.objects.get()
    assert (message.status, message.attempts) == (Message.Status.FAILED, 1)
    assert message.last_error == "smtp_550: the mail server refused the recipient (550)"
    assert "clinic-a" not in message.last_error  # the server's reply named the address


@pytest.mark.django_db
def test_a_rotated_mail_password_is_retried_not_failed(fake_smtp, settings):
    fake_smtp.password = "rotated-password"
    settings.MAILERS = {"default": fake_smtp.mailer(username="clinic", password="old-password")}
    enqueue_notice()

    # 535: the clinic renews the password in the settings and the message still goes.
    assert services.drain(now=MORNING).retried == 1
    message = Message.objects.get()
    assert message.last_error == "smtp_auth: the mail server refused our login (535)"

    settings.MAILERS = {"default": fake_smtp.mailer(username="clinic", password="rotated-password")}
    assert services.drain(now=message.next_attempt_at).sent == 1
    assert len(fake_smtp.messages) == 1
