"""After a charted session the patient's aftercare message is queued with the session, in
their language, carrying a signed link to the aftercare page and the clinic's number (and no
clinical detail); the charting never waits on it."""

import pytest
from django.test.utils import override_settings

from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.models import AftercareText, TreatmentSession
from mesoclinic.care.tests.conftest import chart_session
from mesoclinic.notifications import rules
from mesoclinic.notifications.catalogue import DEFAULT_TEMPLATES
from mesoclinic.notifications.models import Message
from mesoclinic.urls import urlpatterns as site_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def charted(make_ready, patient_a, dermatologist, lot_a, settings):
    settings.PUBLIC_BASE_URL = "https://clinic.example.pk"
    course = make_ready(patient_a)
    return chart_session(dermatologist.user, course, lot_a)


def test_it_queues_the_aftercare_message_with_the_session(charted, patient_a, clinic_a):
    message = Message.objects.get(template="aftercare")
    assert message.idempotency_key == f"session-{charted.pk}-aftercare"
    assert message.subject == f"care.session:{charted.pk}"
    assert (message.channel, message.address, message.language, message.template) == (
        "sms",
        patient_a.mobile,
        "ur",  # the patient's preferred language
        "aftercare",
    )
    assert (message.clinic_id, message.patient_id, message.status) == (
        clinic_a.pk,
        patient_a.pk,
        "queued",
    )
    assert set(message.values) == {"clinic", "link", "phone"}
    assert message.values["clinic"] == "Clinic A Islamabad"
    assert message.values["phone"] == "(051) 2650100"
    assert message.values["link"].startswith("https://clinic.example.pk/ur/aftercare/")
    event = AuditEvent.objects.get(object_type="notifications.message", object_id=str(message.pk))
    assert event.interface == "web" and event.clinic_id == clinic_a.pk


def test_its_body_names_no_patient_and_no_treatment(charted, patient_a):
    message = Message.objects.get(template="aftercare")
    text = DEFAULT_TEMPLATES["aftercare"].text["ur"]
    body = rules.render(text, {**message.values, "opt_out": "https://o"}).text
    assert message.values["link"] in body and "(051) 2650100" in body
    for private in (patient_a.first_name, patient_a.last_name, patient_a.mrn, "TXA", "melasma"):
        assert private.lower() not in body.lower()


def test_its_link_opens_the_aftercare_page_in_the_patients_language(charted, client):
    link = Message.objects.get(template="aftercare").values["link"]
    page = client.get(link.removeprefix("https://clinic.example.pk"))
    assert page.status_code == 200
    assert charted.aftercare.title_ur in page.text
    assert charted.aftercare.title_en not in page.text


def test_it_queues_an_english_message_for_a_patient_who_reads_english(
    make_ready, make_patient, clinic_a, dermatologist, lot_a
):
    patient = make_patient(clinic_a, preferred_language="en")
    chart_session(dermatologist.user, make_ready(patient), lot_a)
    message = Message.objects.get(template="aftercare")
    assert message.language == "en"
    assert "/en/aftercare/" in message.values["link"]


def test_it_queues_nothing_for_a_procedure_without_aftercare_text(
    make_ready, patient_a, dermatologist, lot_a
):
    AftercareText.objects.update(published_at=None)
    session = chart_session(dermatologist.user, make_ready(patient_a), lot_a)
    assert session.aftercare is None
    # Only aftercare's check-ins ("how is your skin?") are queued, never an aftercare message.
    assert set(Message.objects.values_list("template", flat=True)) == {"check-in"}


def test_a_session_is_charted_even_when_its_message_cannot_be_queued(
    make_ready, patient_a, dermatologist, lot_a, caplog
):
    course = make_ready(patient_a)
    # A site whose aftercare page is not served: the link cannot be made. The session, its
    # stock and its audit rows are written all the same, in the transaction that went on.
    without_public_aftercare = [
        p for p in site_urls if "care.public_urls" not in str(getattr(p, "urlconf_name", ""))
    ]
    with override_settings(
        ROOT_URLCONF=type("Urls", (), {"urlpatterns": without_public_aftercare})
    ):
        session = chart_session(dermatologist.user, course, lot_a)

    assert TreatmentSession.objects.filter(pk=session.pk).exists()
    assert AuditEvent.objects.filter(
        object_type="care.treatmentsession", object_id=str(session.pk)
    ).exists()
    assert not Message.objects.exists()
    assert f"message for care.session:{session.pk} not queued: NoReverseMatch" in caplog.text
    assert patient_a.mobile not in caplog.text
