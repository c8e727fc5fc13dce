"""The patient page (a desk page: the patient with care's panel): clinic staff and
administrators open their clinics' patients, each view audited, in a fixed number of queries.
Who may not open it, and the patient forms, are tested with the patients app's pages."""

import pytest
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "person", ["receptionist", "practitioner_user", "manager", "administrator"]
)
def test_clinic_staff_and_administrators_open_clinic_a_patients(client, request, patient_a, person):
    client.force_login(request.getfixturevalue(person))
    response = client.get(reverse("patients:detail", args=[patient_a.pk]))
    assert response.status_code == 200
    assert patient_a.cnic_display in response.text


def test_a_view_of_a_record_is_audited_with_the_clinic_and_interface(
    client, receptionist, patient_a
):
    client.force_login(receptionist)
    client.get(reverse("patients:detail", args=[patient_a.pk]))
    event = AuditEvent.objects.get(action="view", actor=receptionist)
    assert (event.object_type, event.object_id) == ("patients.patient", str(patient_a.pk))
    assert (event.clinic_id, event.interface) == (patient_a.registered_clinic_id, "web")


def test_the_detail_page_costs_a_fixed_number_of_queries(
    client, receptionist, patient_a, django_assert_num_queries
):
    client.force_login(receptionist)
    # session, user, groups, the patient with clinic and registering user, the audit insert,
    # the consents (a receptionist's view of the clinical pathway), the consent to be
    # contacted (the newest answer per channel, with who recorded it), the messages sent
    with django_assert_num_queries(9):  # +1: the session's second factor
        response = client.get(reverse("patients:detail", args=[patient_a.pk]))
    assert response.status_code == 200
