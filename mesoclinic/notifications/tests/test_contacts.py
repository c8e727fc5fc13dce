"""Consent to be contacted: an append-only history per patient and channel whose newest answer
counts, recorded with an audit row; the signed opt-out token."""

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.audit.models import AuditEvent
from mesoclinic.core.text import MAX_DATABASE_ID
from mesoclinic.notifications import contacts
from mesoclinic.notifications.models import ContactConsent

pytestmark = pytest.mark.django_db

PATIENT = 41


def record(
    channel="sms", opted_in=True, method="in_person", patient_id=PATIENT, clinic_id=None, **extra
):
    return contacts.record_consent(
        patient_id=patient_id,
        clinic_id=clinic_id,
        channel=channel,
        opted_in=opted_in,
        method=method,
        acting_user=None,
        via="web",
        **extra,
    )


def test_it_answers_with_the_newest_answer_per_channel():
    record("sms", True)
    record("whatsapp", True)
    record("sms", False, note="Asked at the desk to stop")
    record("sms", True, patient_id=PATIENT + 1)

    current = contacts.current_consents(patient_id=PATIENT)

    assert {channel: row.opted_in for channel, row in current.items()} == {
        "sms": False,
        "whatsapp": True,
    }
    assert current["sms"].note == "Asked at the desk to stop"
    assert contacts.current_consent(patient_id=PATIENT, channel="email") is None
    # The history keeps every answer.
    assert ContactConsent.objects.filter(patient_id=PATIENT, channel="sms").count() == 2


def test_it_reads_the_current_consents_in_one_query(django_assert_num_queries):
    for _ in range(3):
        record("sms", True)
        record("sms", False)
        record("email", True)
    with django_assert_num_queries(1):
        current = contacts.current_consents(patient_id=PATIENT)
        assert current["sms"].recorded_by is None  # joined, no query of its own
    assert set(current) == {"sms", "email"}


def test_it_prefers_whatsapp_only_when_the_patient_opted_in_to_it():
    assert contacts.preferred_channel(patient_id=PATIENT) == "sms"
    record("whatsapp", True)
    assert contacts.preferred_channel(patient_id=PATIENT) == "whatsapp"
    record("whatsapp", False)
    assert contacts.preferred_channel(patient_id=PATIENT) == "sms"


def test_it_audits_each_answer_with_its_clinic_and_without_the_address(clinic_a):
    consent = record("whatsapp", True, method="signed_form", clinic_id=clinic_a.pk)

    event = AuditEvent.objects.get(object_type="notifications.contactconsent")
    assert event.object_id == str(consent.pk)
    assert event.clinic_id == clinic_a.pk
    assert event.detail == {"channel": "whatsapp", "opted_in": True, "method": "signed_form"}


def test_it_never_changes_or_removes_an_answer():
    consent = record()
    consent.opted_in = False
    with pytest.raises(TypeError):
        consent.save()
    with pytest.raises(TypeError):
        ContactConsent.objects.filter(pk=consent.pk).update(opted_in=False)
    with pytest.raises(TypeError):
        ContactConsent.objects.all().delete()
    assert ContactConsent.objects.get().opted_in is True


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"method": "telepathy"}, "method"),
        ({"method": "opt_out_link", "opted_in": True}, "method"),
        ({"note": "x" * 201}, "note"),
    ],
)
def test_it_refuses_an_answer_it_cannot_record(fields, field):
    with pytest.raises(ValidationError) as refused:
        record(**fields)
    assert field in refused.value.message_dict
    assert not ContactConsent.objects.exists()


def test_it_reads_back_the_patient_and_channel_a_link_names():
    token = contacts.opt_out_token(patient_id=PATIENT, channel="whatsapp", clinic_id=7)
    assert contacts.read_opt_out_token(token) == (PATIENT, "whatsapp", 7)
    no_clinic = contacts.opt_out_token(patient_id=PATIENT, channel="email")
    assert contacts.read_opt_out_token(no_clinic) == (PATIENT, "email", None)
    assert len(token) < 60  # short enough for an SMS


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: signing.Signer().sign(f"{PATIENT}.s.0"),  # another salt
        lambda token: signing.Signer(salt=contacts.OPT_OUT_SALT).sign(f"{PATIENT}.f.0"),
        lambda token: signing.Signer(salt=contacts.OPT_OUT_SALT).sign("1; drop.s.0"),
        lambda token: signing.Signer(salt=contacts.OPT_OUT_SALT).sign("0.s.0"),
        lambda token: signing.Signer(salt=contacts.OPT_OUT_SALT).sign(f"{PATIENT}.s"),
        lambda token: signing.dumps({"p": PATIENT, "c": "sms"}, salt=contacts.OPT_OUT_SALT),
        lambda token: "",
    ],
)
def test_it_refuses_a_token_it_did_not_sign(forge):
    token = contacts.opt_out_token(patient_id=PATIENT, channel="sms")
    with pytest.raises(contacts.BadOptOutToken):
        contacts.read_opt_out_token(forge(token))


def test_it_builds_an_absolute_link_in_the_messages_language(settings):
    settings.PUBLIC_BASE_URL = "https://clinic.example.pk/"
    url = contacts.opt_out_url(patient_id=PATIENT, channel="sms", language="ur")
    assert url.startswith("https://clinic.example.pk/ur/messages/stop/")


@given(
    patient_id=st.integers(1, MAX_DATABASE_ID),
    channel=st.sampled_from(["sms", "whatsapp", "email"]),
    clinic_id=st.none() | st.integers(1, MAX_DATABASE_ID),
)
def test_every_link_reads_back_what_it_names(patient_id, channel, clinic_id):
    token = contacts.opt_out_token(patient_id=patient_id, channel=channel, clinic_id=clinic_id)
    assert contacts.read_opt_out_token(token) == (patient_id, channel, clinic_id)
