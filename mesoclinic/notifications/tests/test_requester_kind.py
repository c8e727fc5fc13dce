"""The one kind of patient message that needs no recorded consent on SMS: a sign-in code the
number's holder asked for that minute (catalogue.REQUESTER). Nothing else rides on it."""

import pytest
from django.core.exceptions import ValidationError

from mesoclinic.notifications import message_templates
from mesoclinic.notifications.catalogue import DEFAULT_TEMPLATES, REQUESTER, needs_contact_consent
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.tests.helpers import RecordingChannel
from mesoclinic.notifications.tests.test_send_check import answer, drain, enqueue

pytestmark = pytest.mark.django_db

CODE = {"code": "482913", "minutes": 10}


def send_code(channel, *, clinic, key="portal-code-1", language="en"):
    return enqueue(
        channel,
        clinic=clinic,
        key=key,
        language=language,
        template="portal-sign-in-code",
        values=CODE,
    )


def test_it_is_one_kind_only():
    assert [code for code, t in DEFAULT_TEMPLATES.items() if t.audience == REQUESTER] == [
        "portal-sign-in-code"
    ]
    assert not needs_contact_consent("portal-sign-in-code", "sms")
    assert needs_contact_consent("portal-sign-in-code", "whatsapp")
    assert needs_contact_consent("aftercare", "sms")
    assert needs_contact_consent("no-such-template", "sms")


@pytest.mark.parametrize("said_no", [False, True])
def test_it_sends_a_requested_code_by_sms_without_an_opt_in_or_after_an_opt_out(said_no, clinic_a):
    provider = RecordingChannel()
    if said_no:
        answer("sms", False, clinic=clinic_a)
    send_code("sms", clinic=clinic_a)

    assert drain(provider).sent == 1
    [call] = provider.calls
    assert call["body"] == (
        "482913 is your sign-in code. It is valid for 10 minutes. "
        "Never share it: the clinic will never ask you for it."
    )


def test_it_still_refuses_any_other_patient_message_without_an_opt_in(clinic_a):
    provider = RecordingChannel()
    enqueue("sms", clinic=clinic_a)  # the aftercare message, no SMS opt-in

    assert drain(provider).cancelled == 1
    assert Message.objects.get().last_error == "no_opt_in"


def test_it_sends_a_code_by_whatsapp_only_with_the_whatsapp_opt_in(clinic_a):
    provider = RecordingChannel()
    send_code("whatsapp", clinic=clinic_a)
    drain(provider)
    assert Message.objects.get().last_error == "whatsapp_no_opt_in"

    answer("whatsapp", True, clinic=clinic_a)
    send_code("whatsapp", clinic=clinic_a, key="portal-code-2", language="ur")
    assert drain(provider).sent == 1
    [call] = provider.calls
    assert call["provider_template"] == "mesoclinic_sign_in_code"
    assert call["parameters"] == ("482913", "10")


def test_a_clinic_cannot_add_a_name_or_a_clinic_to_the_code_message():
    with pytest.raises(ValidationError):
        message_templates.validate(
            code="portal-sign-in-code",
            text="{clinic}: {code} is your code for {minutes} minutes.",
        )
