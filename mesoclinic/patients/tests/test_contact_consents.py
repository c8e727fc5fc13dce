"""Consent to be contacted on the patient page: each channel's current answer, recorded by any
staff member who may open the patient (receptionists ask at the desk), 404 for another
clinic's patient, and at registration; the page's queries do not grow with the history."""

import pytest
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.notifications import contacts
from mesoclinic.notifications.models import ContactConsent
from mesoclinic.patients.models import Patient

pytestmark = pytest.mark.django_db


def registration(**overrides):
    return {
        "first_name": "Sana",
        "last_name": "Sheikh",
        "date_of_birth": "1995-07-21",
        "sex": "female",
        "mobile": "0333-5556667",
        "preferred_language": "ur",
        **overrides,
    }


def record(client, patient, **fields):
    data = {"channel": "whatsapp", "method": "in_person", "note": "", "answer": "in"} | fields
    return client.post(reverse("patients:contact_consent", args=[patient.pk]), data)


def test_the_page_shows_each_channel_not_asked_until_someone_records_it(
    client, receptionist, patient_a
):
    client.force_login(receptionist)
    response = client.get(reverse("patients:detail", args=[patient_a.pk]))

    assert response.status_code == 200
    assert 'id="contact-consents"' in response.text
    assert response.text.count("not asked") == 3


def test_a_receptionist_records_an_opt_in_and_the_page_shows_who_and_when(
    client, receptionist, patient_a
):
    client.force_login(receptionist)

    response = record(client, patient_a, method="signed_form", note="Form 12")

    assert response.status_code == 302
    consent = contacts.current_consent(patient_id=patient_a.pk, channel="whatsapp")
    assert (consent.opted_in, consent.method, consent.recorded_by) == (
        True,
        "signed_form",
        receptionist,
    )
    assert consent.clinic_id == patient_a.registered_clinic_id
    assert AuditEvent.objects.filter(
        object_type="notifications.contactconsent", actor=receptionist, interface="web"
    ).exists()
    page = client.get(reverse("patients:detail", args=[patient_a.pk])).text
    assert "agreed" in page and "Signed form" in page and "Form 12" in page
    assert receptionist.get_full_name() in page


def test_an_opt_out_by_staff_stops_that_channel(client, manager, patient_a):
    client.force_login(manager)
    record(client, patient_a, channel="sms", answer="in")
    record(client, patient_a, channel="sms", answer="out", note="Asked by phone")

    assert contacts.current_consent(patient_id=patient_a.pk, channel="sms").opted_in is False
    assert "opted out" in client.get(reverse("patients:detail", args=[patient_a.pk])).text


def test_the_outsider_gets_404_and_records_nothing(client, outsider, patient_a):
    client.force_login(outsider)

    response = record(client, patient_a)

    assert response.status_code == 404
    assert not ContactConsent.objects.exists()
    assert AuditEvent.objects.filter(action="denied", actor=outsider).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, patient_a):
    response = record(client, patient_a)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not ContactConsent.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [{"channel": "fax"}, {"method": "opt_out_link"}, {"answer": "maybe"}, {"note": "x" * 201}],
)
def test_bad_input_records_nothing_and_says_so(client, receptionist, patient_a, fields):
    client.force_login(receptionist)
    response = record(client, patient_a, **fields)
    assert response.status_code == 302
    assert not ContactConsent.objects.exists()
    page = client.get(response["Location"]).text
    assert "Choose a channel" in page


def test_registration_records_the_channels_the_patient_agreed_to(client, receptionist, clinic_a):
    client.force_login(receptionist)
    response = client.post(
        reverse("patients:create"),
        registration(registered_clinic=clinic_a.pk, opt_in_channels=["sms", "whatsapp"]),
    )

    assert response.status_code == 302
    patient = Patient.objects.get(first_name="Sana")
    current = contacts.current_consents(patient_id=patient.pk)
    assert {channel: row.opted_in for channel, row in current.items()} == {
        "sms": True,
        "whatsapp": True,
    }
    assert current["sms"].recorded_by == receptionist
    assert contacts.preferred_channel(patient_id=patient.pk) == "whatsapp"


def test_the_page_costs_the_same_queries_however_long_the_history(
    client, receptionist, patient_a, django_assert_num_queries
):
    client.force_login(receptionist)
    for answer in ("in", "out", "in", "out"):
        for channel in ("sms", "whatsapp", "email"):
            record(client, patient_a, channel=channel, answer=answer)
    # session, user, groups, the patient with clinic and registering user, the audit insert,
    # the consents to treatment, the newest answer per channel with who recorded it, and
    # the messages sent
    with django_assert_num_queries(9):  # +1: the session's second factor
        response = client.get(reverse("patients:detail", args=[patient_a.pk]))
    assert response.text.count("opted out") == 3
