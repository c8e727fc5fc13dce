"""The booking journey's verdict: the database is asked for double bookings after the run."""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from bench import schedule
from mesoclinic.clinics.models import Clinic

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the check reads tstzrange")
def test_it_finds_no_double_booking_in_a_seeded_book_and_the_bodies_name_free_slots(settings):
    settings.DEBUG = True
    call_command("seed_scale", patients=80, clinics=1, seed=2, stdout=StringIO(), stderr=StringIO())
    assert schedule.double_bookings() == 0
    clinic = Clinic.objects.get(slug="scale-001")
    bodies = schedule.bookings(clinic, random.Random(1), count=20)
    assert len(bodies) == 20 and all(b[:2] == ("POST", "/api/v1/appointments/") for b in bodies)
    searches = schedule.slot_searches(clinic, random.Random(1), count=5)
    assert all(f"clinic={clinic.pk}&type=session" in path for _m, path, _b in searches)
