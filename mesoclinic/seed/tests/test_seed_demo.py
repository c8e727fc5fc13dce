"""`seed_demo` builds the demo chain, twice without harm, and never in production."""

from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.tests.conftest import (  # noqa: F401 (fixtures)
    consent_texts,
    screening_rules,
    shipped_care_data,
)
from mesoclinic.clinics.models import Clinic, Practitioner
from mesoclinic.notifications import contacts
from mesoclinic.patients.models import Patient
from mesoclinic.seed.demo import DEMO_PASSWORD
from mesoclinic.seed.tests.overlaps import active_rows, overlapping

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Clinic.objects.count(),
        Patient.objects.count(),
        get_user_model().objects.count(),
        Practitioner.objects.count(),
        AuditEvent.objects.count(),
    )


def test_demo_patients_agreed_to_messages_so_make_run_sends_them(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    patients = list(Patient.objects.values_list("pk", flat=True))
    channels = [contacts.preferred_channel(patient_id=pk) for pk in patients]
    assert all(contacts.current_consent(patient_id=pk, channel="sms").opted_in for pk in patients)
    assert "whatsapp" in channels and "sms" in channels


def test_it_builds_the_chain_once_however_often_it_runs(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == first
    clinics, patients, users, *_ = first
    assert clinics == 4 and patients >= 24 and users == 17
    assert {c.city for c in Clinic.objects.all()} == {
        "Islamabad",
        "Rawalpindi",
        "Lahore",
        "Karachi",
    }
    assert DEMO_PASSWORD in out.getvalue() and "reception.isb" in out.getvalue()


def test_it_seeds_credentialed_and_uncredentialed_practitioners(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    not_credentialed = set(
        Practitioner.objects.not_credentialed().values_list("user__username", flat=True)
    )
    assert not_credentialed == {"nurse.isb", "nurse.lhe"}
    # Through the sign-in page, as a person would (django-axes checks every sign-in's request).
    response = client.post(
        "/accounts/login/", {"username": "reception.khi", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response.wsgi_request.user.username == "reception.khi"


def test_it_refuses_to_run_with_production_settings(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=StringIO())
    assert not Clinic.objects.exists()


# The worker closes its connection between tasks, which would end a test's surrounding
# transaction: this test commits for real.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("shipped_care_data")
def test_each_clinic_shows_the_clinical_pathway_in_its_three_states(settings, run_task_worker):
    from mesoclinic.care.models import Consent, Consultation, PatchTest, TreatmentSession

    # What the migrations load and an earlier transactional test may have flushed.
    import_module("mesoclinic.accounts.migrations.0002_role_groups").create_groups(
        django_apps, None
    )
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    run_task_worker()  # consent PDFs are printed by the worker
    for clinic in Clinic.objects.all():
        # The pathway's three patients (Karachi's fourth has the aftercare demo's course).
        first = list(clinic.patients.order_by("id").values_list("pk", flat=True)[:3])
        decisions = list(
            Consultation.objects.filter(patient_id__in=first)
            .order_by("patient_id")
            .values_list("decision", flat=True)
        )
        assert decisions == ["eligible", "needs_review", "contraindicated"]
        tests = PatchTest.objects.filter(clinic=clinic, result="negative", patient_id__in=first)
        assert tests.count() == 1
        consent = Consent.objects.get(clinic=clinic, patient_id__in=first)
        assert consent.is_valid and consent.pdf_sha256
        # Charted through the gate.
        session = TreatmentSession.objects.get(clinic=clinic, patient_id__in=first)
        assert session.patient_id == consent.patient_id and session.products.count() == 1
        assert consent.course_id == session.course_id  # the consent names the course's plan


def test_every_clinic_has_an_appointment_book_for_the_week(settings):
    from mesoclinic.appointments.models import (
        ACTIVE,
        Appointment,
        Break,
        Closure,
        Leave,
        WorkingHours,
    )
    from mesoclinic.clinics.models import OpeningHours, Room

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    booked = Appointment.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Appointment.objects.count() == booked  # a second run books nothing more
    for clinic in Clinic.objects.all():
        assert OpeningHours.objects.filter(clinic=clinic).exists()
        assert Room.objects.filter(clinic=clinic, is_active=True).count() >= 2
        assert WorkingHours.objects.filter(clinic=clinic).values("practitioner").distinct().count()
        assert Break.objects.filter(clinic=clinic, weekday=4).exists()
        assert Closure.objects.filter(clinic=clinic, label="Eid al-Fitr").exists()
        appointments = Appointment.objects.filter(clinic=clinic, status__in=ACTIVE)
        # Late in the evening today's times are gone: five a day on the six open days ahead.
        assert appointments.count() >= 20
        assert set(appointments.values_list("type__code", flat=True)) == {
            "consultation",
            "session",
            "patch_read",
            "follow_up",
        }
        assert not appointments.filter(type__code="session", room=None).exists()
    assert Leave.objects.filter(practitioner__user__username="nurse.rwp").count() == 1
    rows = active_rows()
    for key in ("practitioner_id", "room_id", "patient_id"):
        assert overlapping(rows, key) == []
    # Booked through the service: each one audited and with its booking receptionist.
    assert AuditEvent.objects.filter(object_type="appointments.appointment").count() == booked
    assert not Appointment.objects.filter(booked_by=None).exists()
    # One course booked end to end in one action: its remaining sessions and maintenance.
    from mesoclinic.appointments.models import Series

    (series,) = Series.objects.all()
    assert series.course_id is not None
    labels = list(series.appointments.order_by("starts_at").values_list("label", flat=True))
    assert labels[-1] == "Maintenance" and len(labels) >= 3


def test_it_prints_a_portal_login_that_gets_a_code(settings, client):
    import re

    from mesoclinic.notifications.models import Message

    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    found = re.search(
        r"mobile (0\d{3}-\d{7}) and date of birth (\d{4}-\d{2}-\d{2})", out.getvalue()
    )
    assert found, out.getvalue()
    mobile, born = found.groups()
    answer = client.post("/ur/portal/sign-in/", {"mobile": mobile, "date_of_birth": born})
    assert answer.status_code == 302
    message = Message.objects.get(template="portal-sign-in-code")
    code = message.values["code"]
    assert client.post("/ur/portal/sign-in/code/", {"code": code})["Location"] == "/ur/portal/"
