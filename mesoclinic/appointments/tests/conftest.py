import pytest

from mesoclinic.appointments.tests.fixtures import Ready, day_ahead, open_every_day


@pytest.fixture
def ready(clinic_a, make_practitioner, patient_a):
    """Clinic A open every day 09:00–17:00 with Room 1, Dr Derm_A working those hours, patient
    Zainab, and a day a week ahead."""
    doctor = make_practitioner("derm_a", clinic_a)
    (room,) = open_every_day(clinic_a, [doctor])
    return Ready(clinic=clinic_a, doctor=doctor, room=room, patient=patient_a, day=day_ahead())
