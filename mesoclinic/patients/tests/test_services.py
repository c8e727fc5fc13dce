"""Registering and editing patients: duplicates refused, MRNs assigned, every write audited."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.patients import services
from mesoclinic.patients.identifiers import parse_mrn
from mesoclinic.patients.models import Patient

pytestmark = pytest.mark.django_db


def _data(**overrides):
    return {
        "first_name": "Maryam",
        "last_name": "Chaudhry",
        "date_of_birth": date(1992, 3, 4),
        "sex": "female",
        "cnic": "3520211111112",
        "mobile": "+923001112223",
        **overrides,
    }


def test_it_assigns_a_checkable_mrn_and_audits_the_registration(receptionist, clinic_a):
    patient = services.register_patient(
        acting_user=receptionist, via=Interface.WEB, clinic=clinic_a, data=_data()
    )
    assert parse_mrn(patient.mrn) == patient.mrn
    event = AuditEvent.objects.get(action="create", object_id=str(patient.pk))
    assert (event.actor, event.interface, event.clinic) == (receptionist, "web", clinic_a)
    assert "cnic" in event.changed_fields
    # The trail names fields, never their values.
    assert "3520211111112" not in str(event.changed_fields) + str(event.detail)


def test_it_refuses_a_second_patient_with_the_same_cnic_and_names_the_mrn(receptionist, clinic_a):
    first = services.register_patient(
        acting_user=receptionist, via=Interface.WEB, clinic=clinic_a, data=_data()
    )
    with pytest.raises(ValidationError) as refused:
        services.register_patient(
            acting_user=receptionist,
            via=Interface.WEB,
            clinic=clinic_a,
            data=_data(first_name="Other", mobile="+923009998887"),
        )
    assert first.mrn in refused.value.message_dict["cnic"][0]
    assert Patient.objects.count() == 1


def test_it_refuses_the_same_name_birth_date_and_mobile_whatever_the_case(receptionist, clinic_a):
    services.register_patient(
        acting_user=receptionist, via=Interface.WEB, clinic=clinic_a, data=_data(cnic=None)
    )
    with pytest.raises(ValidationError) as refused:
        services.register_patient(
            acting_user=receptionist,
            via=Interface.WEB,
            clinic=clinic_a,
            data=_data(cnic=None, first_name="MARYAM", last_name="chaudhry"),
        )
    assert "name, date of birth and mobile" in refused.value.message_dict["__all__"][0]


def test_it_lets_twins_share_a_mobile_and_birth_date(receptionist, clinic_a):
    services.register_patient(
        acting_user=receptionist, via=Interface.WEB, clinic=clinic_a, data=_data(cnic=None)
    )
    services.register_patient(
        acting_user=receptionist,
        via=Interface.WEB,
        clinic=clinic_a,
        data=_data(cnic=None, first_name="Maham"),
    )
    assert Patient.objects.count() == 2


def test_it_does_not_reveal_another_clinics_patient_to_the_outsider(outsider, clinic_b, patient_a):
    with pytest.raises(ValidationError) as refused:
        services.register_patient(
            acting_user=outsider,
            via=Interface.WEB,
            clinic=clinic_b,
            data=_data(cnic=patient_a.cnic),
        )
    message = refused.value.message_dict["cnic"][0]
    assert "another clinic" in message
    assert patient_a.mrn not in message
    # What the outsider learnt is on record, with the clinic it concerns.
    probe = AuditEvent.objects.get(action="denied", actor=outsider)
    assert (probe.object_id, probe.clinic_id) == (str(patient_a.pk), patient_a.registered_clinic_id)


def test_the_database_refuses_duplicates_that_skip_the_service(patient_a, clinic_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.create(
            first_name="Someone",
            date_of_birth=date(2000, 1, 1),
            sex="male",
            cnic=patient_a.cnic,
            mobile="+923001234000",
            registered_clinic=clinic_a,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.create(
            first_name=patient_a.first_name.upper(),
            last_name=patient_a.last_name,
            date_of_birth=patient_a.date_of_birth,
            sex="female",
            mobile=patient_a.mobile,
            registered_clinic=clinic_a,
        )


def test_the_database_refuses_a_cnic_that_is_not_13_characters(clinic_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Patient.objects.create(
            first_name="Short",
            date_of_birth=date(2000, 1, 1),
            sex="male",
            cnic="12345",
            mobile="+923001234001",
            registered_clinic=clinic_a,
        )


def test_it_audits_only_the_fields_that_changed(receptionist, patient_a):
    changed = services.update_patient(
        acting_user=receptionist,
        via=Interface.API,
        patient=patient_a,
        data={"mobile": "+923214445556", "first_name": patient_a.first_name},
    )
    assert changed == ["mobile"]
    event = AuditEvent.objects.get(action="update", object_id=str(patient_a.pk))
    assert (event.changed_fields, event.interface) == (["mobile"], "api")
    patient_a.refresh_from_db()
    assert patient_a.mobile == "+923214445556"


def test_an_edit_that_would_duplicate_another_patient_saves_nothing(
    receptionist, make_patient, clinic_a
):
    first = make_patient(clinic_a)
    second = make_patient(clinic_a)
    with pytest.raises(ValidationError):
        services.update_patient(
            acting_user=receptionist,
            via=Interface.WEB,
            patient=second,
            data={"cnic": first.cnic, "email": "new@example.com"},
        )
    second.refresh_from_db()
    assert second.email == ""
    assert not AuditEvent.objects.filter(action="update").exists()
