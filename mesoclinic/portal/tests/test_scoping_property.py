"""The patient's branch of the one scoping rule, over random worlds: people at two clinics
sharing phones and dates of birth (a mother and daughter with one phone, twins, one person
registered at both clinics). Whoever signs in sees exactly the records that carry the mobile
number and date of birth they proved, and every clinical, aftercare and schedule model's
`for_user` gives them rows of those records only.

The models are found, not listed: every model whose manager's queryset is a
`PatientRecordQuerySet` (care and aftercare records) or a `ScheduleQuerySet` (appointments and
series), so a new model built on them is held to the same rule without anyone adding it here.
"""

from datetime import date

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mesoclinic.appointments.models import ScheduleQuerySet
from mesoclinic.audit.services import Interface
from mesoclinic.care.models.consultations import PatientRecordQuerySet
from mesoclinic.care.services import screening
from mesoclinic.formulary.models import Ingredient
from mesoclinic.patients.models import Patient
from mesoclinic.patients.services import update_patient
from mesoclinic.portal import services

MOBILES = ("+923335550101", "+923335550202", "+923335550303")
BORN = (date(1970, 1, 5), date(1992, 3, 14), date(1996, 8, 2))

#: One person in the world: (clinic index, mobile index, date-of-birth index).
people = st.lists(
    st.tuples(st.integers(0, 1), st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=7
)


def scoped_models():
    """Every model whose default manager reads through the patient-aware querysets."""
    return sorted(
        (
            model
            for model in apps.get_models()
            if isinstance(
                model._default_manager.get_queryset(), (PatientRecordQuerySet, ScheduleQuerySet)
            )
        ),
        key=lambda model: model._meta.label,
    )


def test_it_finds_the_care_aftercare_and_schedule_models():
    labels = {model._meta.label for model in scoped_models()}
    assert {
        "care.Consultation",
        "care.Consent",
        "care.Course",
        "care.TreatmentSession",
        "aftercare.CheckIn",
        "aftercare.CoursePhoto",
        "appointments.Appointment",
        "appointments.Series",
    } <= labels
    assert all(model._meta.get_field("patient") for model in scoped_models())


@pytest.fixture
def doctors(make_practitioner, clinic_a, clinic_b, formulary_seed):
    return (
        make_practitioner("doctor_pa", clinic_a).user,
        make_practitioner("doctor_pb", clinic_b).user,
    )


def _consult(doctor, patient, allergen):
    """A consultation (an allergy with it), so the clinical tables hold every person's rows."""
    screening.record_consultation(
        acting_user=doctor,
        via=Interface.CLI,
        patient=patient,
        data=screening.ConsultationInput(
            indication="melasma",
            pregnant=False,
            breastfeeding=False,
            may_become_pregnant=False,
            new_allergies=[allergen],
            fitzpatrick_type=4,
        ),
    )


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(world=people, who=st.tuples(st.integers(0, 2), st.integers(0, 2)), moved=st.booleans())
def test_it_gives_an_account_exactly_the_records_with_its_mobile_and_date_of_birth(
    world, who, moved, make_patient, clinic_a, clinic_b, doctors, administrator
):
    clinics = (clinic_a, clinic_b)
    allergen = Ingredient.objects.order_by("pk").first()
    with transaction.atomic():
        records = []
        for number, (clinic, mobile, born) in enumerate(world):
            patient = make_patient(
                clinics[clinic],
                first_name="Person",
                last_name=f"Number{number}",
                mobile=MOBILES[mobile],
                date_of_birth=BORN[born],
            )
            _consult(doctors[clinic], patient, allergen)
            records.append(patient)
        mobile, born = MOBILES[who[0]], BORN[who[1]]
        account = services.link_account(mobile=mobile, date_of_birth=born)
        theirs = {r.pk for r in records if r.mobile == mobile and r.date_of_birth == born}
        if not services.one_person([r for r in records if r.pk in theirs]):
            theirs = set()  # twins on one phone: no account is linked (services.one_person)
        if not theirs:
            assert account is None
            transaction.set_rollback(True)
            return
        if moved:
            # The clinic changes the number on one of them: that record is no longer theirs.
            gone = min(theirs)
            update_patient(
                acting_user=administrator,
                via=Interface.CLI,
                patient=Patient.objects.get(pk=gone),
                data={"mobile": "+923009998877"},
            )
            theirs.discard(gone)

        assert set(Patient.objects.for_user(account).values_list("pk", flat=True)) == theirs
        for model in scoped_models():
            seen = set(model.objects.for_user(account).values_list("patient_id", flat=True))
            assert seen <= theirs, f"{model._meta.label} shows another patient's rows"
        for model in (apps.get_model("care", "Consultation"), apps.get_model("care", "Allergy")):
            mine = set(model.objects.for_user(account).values_list("patient_id", flat=True))
            assert mine == theirs, f"{model._meta.label}: not every one of their own rows"
        transaction.set_rollback(True)
