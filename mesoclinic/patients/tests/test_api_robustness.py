"""Whatever arrives at /api/v1/patients/, the answer is 201 or 400, never a 500, and a refused
request leaves nothing behind."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from mesoclinic.patients.models import Patient
from mesoclinic.patients.services import EDITABLE_FIELDS

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.text(max_size=40),
    st.sampled_from(
        ["۰۳۰۰۱۲۳۴۵۶۷", "35202-1234567-1", "1990-02-30", "female", "clinic-a", "ur", "clinic-a\x00"]
    ),
    st.lists(st.text(max_size=5), max_size=2),
)
fields = st.sampled_from(["registered_clinic", *EDITABLE_FIELDS])


def fuzz(examples):
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.mark.django_db
@fuzz(60)
@given(payload=st.dictionaries(fields, junk, max_size=12))
def test_any_payload_gets_201_or_400_and_a_refusal_saves_nothing(receptionist, clinic_a, payload):
    client = APIClient()
    client.force_authenticate(receptionist)
    before = Patient.objects.count()
    response = client.post("/api/v1/patients/", payload, format="json")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert Patient.objects.count() == before
        assert isinstance(response.json(), dict)


@pytest.mark.django_db
@fuzz(40)
@given(payload=st.dictionaries(fields, junk, max_size=12))
def test_any_edit_gets_200_or_400_and_a_refusal_changes_nothing(receptionist, patient_a, payload):
    client = APIClient()
    client.force_authenticate(receptionist)
    before = Patient.objects.filter(pk=patient_a.pk).values().get()
    response = client.patch(f"/api/v1/patients/{patient_a.pk}/", payload, format="json")
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert Patient.objects.filter(pk=patient_a.pk).values().get() == before
