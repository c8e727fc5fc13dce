"""Consent: the signed consent to treatment, with its PDF as an attachment link, read and
searched through the consents' scoping (receptionists witness consents and see them)."""

import pytest
from django.conf import settings
from django.urls import resolve
from django.utils import timezone

from mesoclinic.care.models import Consent
from mesoclinic.care.pdf import PdfUnavailable
from mesoclinic.care.services import consents
from mesoclinic.fhir.tests.clinical_fixtures import VIA, ids, queries_of, read
from mesoclinic.fhir.tests.validator import assert_valid

pytestmark = pytest.mark.django_db


@pytest.fixture
def consented(make_ready, patient_a):
    """Patient A ready for treatment: screened, patch-tested, a course and its consent (no
    photos), witnessed by the receptionist."""
    course = make_ready(patient_a)
    return Consent.objects.get(course=course)


def test_it_reads_a_signed_consent_with_its_pdf_link(fhir_as, dermatologist, consented):
    response = fhir_as(dermatologist.user).fhir_get(f"Consent/{consented.pk}")
    assert response.status_code == 200
    consent = response.json()
    assert_valid(consent)
    assert consent["status"] == "active"
    assert consent["scope"]["coding"][0]["code"] == "treatment"
    assert consent["category"][0]["coding"][0] == {"system": "http://loinc.org", "code": "59284-0"}
    assert consent["patient"] == {"reference": f"Patient/{consented.patient_id}"}
    assert consent["performer"] == [{"reference": f"Patient/{consented.patient_id}"}]
    assert consent["organization"] == [{"reference": f"Organization/{consented.clinic_id}"}]
    attachment = consent["sourceAttachment"]
    assert attachment["contentType"] == "application/pdf"
    url = attachment["url"]
    assert url == f"{settings.PUBLIC_BASE_URL}/care/consents/{consented.pk}/pdf/"
    assert resolve(url.removeprefix(settings.PUBLIC_BASE_URL)).view_name == "care:consent_pdf"
    assert consent["policy"][0]["uri"].endswith(f"/mesotherapy_face/{consented.text.version}")
    assert consent["provision"]["type"] == "permit"
    assert "end" not in consent["provision"]["period"]
    assert consent["provision"]["provision"][0]["type"] == "deny"  # no photos


def test_it_shows_a_receptionist_the_consents_they_witness(fhir_as, receptionist, consented):
    api = fhir_as(receptionist)
    assert ids(api.fhir_get("Consent").json()) == [str(consented.pk)]
    assert api.fhir_get(f"Consent/{consented.pk}").status_code == 200


def test_it_answers_another_clinics_consent_with_404(fhir_as, outsider, consented):
    api = fhir_as(outsider)
    assert ids(api.fhir_get("Consent").json()) == []
    response = api.fhir_get(f"Consent/{consented.pk}")
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_it_ends_the_consent_and_moves_its_version_when_the_facts_change(
    fhir_as, dermatologist, consented, consult, patient_a
):
    api = fhir_as(dermatologist.user)
    before = read(api, f"Consent/{consented.pk}")
    # A new screening on other facts ends the consent (the patient consented knowing those).
    consult(dermatologist.user, patient_a, conditions=["keloid_tendency"])
    after = read(api, f"Consent/{consented.pk}")
    assert after["status"] == "inactive"
    assert after["meta"]["versionId"] != before["meta"]["versionId"]
    assert after["meta"]["lastUpdated"] > before["meta"]["lastUpdated"]
    assert "end" in after["provision"]["period"]


def test_it_moves_the_version_when_the_pdf_copy_is_stored(fhir_as, dermatologist, consented):
    # The worker prints the copy after commit; in this test's transaction it is not printed yet.
    assert not consented.pdf
    api = fhir_as(dermatologist.user)
    before = read(api, f"Consent/{consented.pk}")
    try:
        consents.store_pdf(consented, acting_user=dermatologist.user, via=VIA)
    except PdfUnavailable as unavailable:
        pytest.skip(f"No printer on this machine: {unavailable}")
    after = read(api, f"Consent/{consented.pk}")
    assert after["meta"]["versionId"] != before["meta"]["versionId"]


def test_it_searches_consents_by_each_parameter(
    fhir_as, dermatologist, consented, consult, patient_a, make_ready, make_patient, clinic_a
):
    other = make_patient(clinic_a)
    second = Consent.objects.get(course=make_ready(other))
    consult(dermatologist.user, patient_a, conditions=["keloid_tendency"])  # ends the first
    api = fhir_as(dermatologist.user)

    def search(**params):
        return ids(api.fhir_get("Consent", params).json())

    both = [str(second.pk), str(consented.pk)]
    assert search() == both
    assert search(patient=f"Patient/{other.pk}") == [str(second.pk)]
    assert search(status="active") == [str(second.pk)]
    assert search(status="inactive") == [str(consented.pk)]
    assert search(status="rejected") == []
    assert search(date=timezone.localtime(consented.signed_at).date().isoformat()) == both
    assert search(date="lt2001-01-01") == []
    assert search(category="http://loinc.org|59284-0") == both
    assert search(category="http://loinc.org|64292-6") == []
    assert search(organization=f"Organization/{clinic_a.pk}") == both
    assert search(organization="Organization/999999") == []


def test_it_pages_consents_at_a_constant_query_count(
    fhir_as, dermatologist, consented, make_ready, make_patient, clinic_a
):
    api = fhir_as(dermatologist.user)
    _bundle, few = queries_of(api, "Consent")
    make_ready(make_patient(clinic_a))
    bundle, many = queries_of(api, "Consent")
    assert len(ids(bundle)) == 2
    # Token and user, roles, the consents with their text (select_related), the audit row.
    assert len(few) == len(many) == 4
