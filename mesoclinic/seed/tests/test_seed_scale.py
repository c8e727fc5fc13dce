"""`seed_scale` at a small size: the same seed gives the same chain, every row passes the
models' own validation, and the database keeps working afterwards (sequences moved on)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.audit.services import Interface
from mesoclinic.clinics.models import Clinic
from mesoclinic.core.phones import normalize_mobile
from mesoclinic.patients import services as patient_services
from mesoclinic.patients.models import Patient
from mesoclinic.security.tests.browser import TEST_TOTP_KEY
from mesoclinic.seed import scale
from mesoclinic.seed.tests.overlaps import active_rows, overlapping

pytestmark = pytest.mark.django_db

FIELDS = ("mrn", "first_name", "last_name", "name_ur", "date_of_birth", "sex", "cnic", "mobile")


def _seed(settings, **options):
    settings.DEBUG = True
    call_command("seed_scale", stdout=StringIO(), stderr=StringIO(), **options)


def _snapshot():
    return list(
        Patient.objects.filter(registered_clinic__slug__startswith="scale-")
        .order_by("id")
        .values_list("id", "registered_clinic__slug", *FIELDS)
    )


def test_the_same_seed_writes_the_same_chain(settings):
    # Patients only: seeded history is append-only (the ledger), so it cannot be removed to
    # seed again; its rows come from the same per-patient generators (scale.history_for).
    _seed(
        settings,
        patients=300,
        clinics=3,
        seed=7,
        batch=64,
        sessions_per_patient=0,
        appointments=False,
    )
    first = _snapshot()
    assert len(first) == 300 and Clinic.objects.filter(slug__startswith="scale-").count() == 3
    Patient.objects.filter(registered_clinic__slug__startswith="scale-").delete()
    # Other batches, same rows.
    _seed(
        settings,
        patients=300,
        clinics=3,
        seed=7,
        batch=1000,
        sessions_per_patient=0,
        appointments=False,
    )
    assert _snapshot() == first
    Patient.objects.filter(registered_clinic__slug__startswith="scale-").delete()
    _seed(settings, patients=300, clinics=3, seed=8, sessions_per_patient=0, appointments=False)
    assert [row[3:5] for row in _snapshot()] != [row[3:5] for row in first]


def test_every_seeded_patient_passes_validation_and_registration_goes_on(
    settings, administrator, clinic_a
):
    _seed(settings, patients=200, clinics=4, seed=3, sessions_per_patient=0, appointments=False)
    seeded = Patient.objects.filter(registered_clinic__slug__startswith="scale-")
    assert seeded.count() == 200
    for patient in seeded:
        # No one registered a synthetic patient: created_by is empty (a nullable column the
        # services always fill for real registrations).
        patient.full_clean(exclude=["created_by"])
        assert normalize_mobile(patient.mobile) == patient.mobile
        assert any("\u0600" <= c <= "\u06ff" for c in patient.name_ur)
        assert (int(patient.cnic[-1]) % 2 == 1) == (patient.sex == "male")
    assert {p.registered_clinic.city for p in seeded} == {
        "Islamabad",
        "Rawalpindi",
        "Lahore",
        "Karachi",
    }
    # The sequence moved past the explicit ids: the next registration gets the next number.
    patient = patient_services.register_patient(
        acting_user=administrator,
        via=Interface.WEB,
        clinic=clinic_a,
        data={
            "first_name": "Noor",
            "last_name": "Fatima",
            "date_of_birth": date(1990, 5, 1),
            "sex": "female",
            "mobile": "+923001112233",
        },
    )
    assert patient.pk > seeded.order_by("-id").first().pk


def test_it_refuses_production_settings_unless_told(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="synthetic-ok"):
        call_command("seed_scale", patients=5, stdout=StringIO())
    assert not Patient.objects.exists()


@given(st.integers(0, 10**7 - 1), st.integers(0, 10**7 - 1))
def test_identifiers_are_unique_to_their_patient(a, b):
    if a != b:
        assert scale.cnic_for(a, "61101", "female") != scale.cnic_for(b, "61101", "female")
        assert scale.mobile_for(a) != scale.mobile_for(b)
    assert len(scale.cnic_for(a, "61101", "male")) == 13


def test_seeded_history_reads_like_charted_care(settings, client):
    from mesoclinic.care.models import Consultation, Course, TreatmentSession
    from mesoclinic.formulary.models import Lot, StockMovement

    _seed(settings, patients=120, clinics=2, seed=5, batch=50)
    sessions = TreatmentSession.objects.all()
    assert Consultation.objects.count() == 120
    assert 0 < Course.objects.count() < 120  # some came for a consultation only
    assert sessions.count() >= Course.objects.count()
    for session in sessions.select_related("course")[:30]:
        session.full_clean()
        product = session.products.get()
        assert product.movement.lot_id == product.lot_id
        assert product.movement.quantity == -product.volume
        assert product.movement.patient_id == session.patient_id
    for course in Course.objects.all()[:30]:
        course.full_clean()
        assert len(course.session_dates) == course.sessions_planned
    # Every lot's balance is its ledger's sum.
    for lot in Lot.objects.filter(clinic__slug__startswith="scale-"):
        total = sum(m.quantity for m in StockMovement.objects.filter(lot=lot))
        assert lot.balance == total and lot.balance >= 0
    # The pages read it: the seeded dermatologist opens a patient's chart.
    session = sessions.order_by("id").first()
    # A practitioner proves a second factor (issue 20): the bench gives its users an
    # authenticator app per run; here, one with the key tests know.
    TOTPDevice.objects.create(
        user=session.practitioner.user, name="Test app", key=TEST_TOTP_KEY, confirmed=True
    )
    client.force_login(session.practitioner.user)
    chart = client.get(f"/care/patients/{session.patient_id}/chart/")
    assert chart.status_code == 200 and f"Session {session.number}" in chart.text


def test_every_seeded_patient_has_three_visits_that_never_overlap(settings):
    from mesoclinic.appointments.models import Appointment, WorkingHours
    from mesoclinic.clinics.models import OpeningHours, Room

    _seed(settings, patients=150, clinics=2, seed=5, sessions_per_patient=1)
    assert Appointment.objects.count() == 450
    assert set(Appointment.objects.values_list("status", flat=True)) >= {"completed", "booked"}
    for clinic in Clinic.objects.filter(slug__startswith="scale-"):
        assert OpeningHours.objects.filter(clinic=clinic).count() == 6
        assert WorkingHours.objects.filter(clinic=clinic).count() == 6  # one practitioner
        assert Room.objects.filter(clinic=clinic).exists()
    # Patients added later are booked on the same grid, and the book still never overlaps
    # (on PostgreSQL the exclusion constraints accepted every row as well).
    _seed(settings, patients=60, clinics=2, seed=5, sessions_per_patient=1)
    assert Appointment.objects.count() == 630
    rows = active_rows()
    for key in ("practitioner_id", "room_id", "patient_id"):
        assert overlapping(rows, key) == []
    assert not Appointment.objects.filter(type__code="session", room=None).exists()


@given(st.integers(1, 40), st.lists(st.integers(0, 30_000), unique=True, max_size=60))
def test_visits_on_the_grid_never_share_an_hour(practitioners, ranks):
    anchor = scale.anchor_for(date(2026, 12, 7))
    taken = set()
    for rank in ranks:
        visits = scale.visits_for(rank, anchor=anchor, practitioners=practitioners)
        assert len({visit.day for visit in visits}) == len(visits)  # the patient's own
        for visit in visits:
            cell = (visit.day, visit.hour, visit.practitioner)
            assert cell not in taken and visit.day.weekday() != 6
            taken.add(cell)
