"""The API's patient list is built from values() (`patient_rows`): it must say exactly what
`PatientSerializer` says of each patient, the detail's and the schema's shape."""

import json

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from mesoclinic.patients.api.serializers import PatientSerializer
from mesoclinic.patients.models import Patient

pytestmark = pytest.mark.django_db


def _rendered(data) -> bytes:
    return JSONRenderer().render(data)


@pytest.mark.parametrize("zone", ["Asia/Karachi", "UTC"])
def test_each_row_is_what_the_serializer_says_of_the_patient(
    receptionist, make_patient, clinic_a, zone
):
    full = make_patient(
        clinic_a,
        first_name="Mehwish",
        last_name="Baloch",
        name_ur="مہوش بلوچ",
        email="mehwish@example.com",
        preferred_language="en",
        emergency_contact_name="Sana Baloch",
        emergency_contact_relation="sister",
        emergency_contact_phone="+923001112223",
    )
    Patient.objects.filter(pk=full.pk).update(fitzpatrick_type=4)
    bare = make_patient(clinic_a, first_name="Bilal", last_name="", cnic=None, sex="male")
    client = APIClient()
    client.force_authenticate(receptionist)
    with timezone.override(zone):
        response = client.get("/api/v1/patients/")
        expected = [PatientSerializer(Patient.objects.get(pk=pk)).data for pk in (bare.pk, full.pk)]
    assert response.status_code == 200
    results = json.loads(response.content)["results"]
    assert results == json.loads(_rendered(expected))
    # Byte for byte: the same keys in the same order, the same values' types.
    assert _rendered(results) == _rendered(expected)
    assert results[0]["cnic"] is None and results[0]["cnic_display"] == ""
    assert results[1]["fitzpatrick_type"] == 4 and results[1]["registered_clinic"] == "clinic-a"
