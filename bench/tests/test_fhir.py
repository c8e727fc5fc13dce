"""The FHIR journeys (bench/fhir.py): declared with the JSON API's floor ratio, sent by the
profile as the run does, and every request they build is answered 200 with a Bundle or the
Patient it names, by the bench dermatologist's token, on a small synthetic chain."""

import random
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from bench import fhir, report
from bench.journeys import CLINIC, DOCTOR
from mesoclinic.clinics.models import Clinic
from mesoclinic.fhir.tests.conftest import FhirClient
from mesoclinic.patients.models import Patient

JOURNEYS = ("fhir_patient_search", "fhir_patient_read", "fhir_clinical_search")


def test_it_holds_the_fhir_journeys_to_the_json_apis_floor_ratio():
    from bench import profile

    assert report.BY_NAME["api_patients"].kind == "single"
    for name in JOURNEYS:
        assert report.BY_NAME[name].kind == "single"
        assert report.BY_NAME[name].expected_status == 200
        assert profile.SENDER[name] == "token"


@pytest.mark.django_db
def test_it_builds_fhir_requests_the_server_answers(settings):
    settings.DEBUG = True
    settings.API_THROTTLE_RATES = {"token": "off", "user": "off", "anon": "off"}
    call_command(
        "seed_scale",
        patients=60,
        clinics=1,
        seed=4,
        appointments=False,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    clinic = Clinic.objects.get(slug=CLINIC)
    rows = list(
        Patient.objects.filter(registered_clinic=clinic).values_list(
            "id", "first_name", "last_name", "name_ur", "cnic", "mobile"
        )
    )
    sample = random.Random(1).sample(rows, 20)
    api = FhirClient(get_user_model().objects.get(username=DOCTOR))
    searches = fhir.patient_searches(random.Random(1), sample)
    reads = fhir.patient_reads(sample)
    clinical = fhir.clinical_searches(clinic, random.Random(1), sample=20)
    assert len(searches) == len(reads) == 20
    assert bool(clinical) == (fhir.clinical_type() is not None)
    for requests, found in ((searches, "Bundle"), (reads, "Patient"), (clinical, "Bundle")):
        for method, path, _body in requests:
            response = api.generic(method, path, HTTP_ACCEPT="application/fhir+json")
            assert response.status_code == 200, (path, response.content[:300])
            body = response.json()
            assert body["resourceType"] == found
            if found == "Bundle":  # each search names a record that exists: it finds it
                assert [e for e in body["entry"] if e["search"]["mode"] == "match"], path
