"""Clinic set-ups shared by the clinics tests and the desk's clinic page tests (a conftest in
each folder imports them)."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from mesoclinic.audit.services import Interface
from mesoclinic.clinics import services
from mesoclinic.clinics.models import OpeningHours, Practitioner, Room


@pytest.fixture
def staffed_clinic(clinic_a, make_user, administrator):
    """Clinic A with hours, a room, a credentialed dermatologist and an unverified nurse."""
    OpeningHours.objects.create(clinic=clinic_a, weekday=0, opens=time(11), closes=time(14))
    Room.objects.create(clinic=clinic_a, name="Room 1")
    for username, qualification, verify in (
        ("derm", "dermatologist", True),
        ("nurse", "nurse", False),
    ):
        user = make_user(username, "practitioner", [clinic_a], last_name=username)
        practitioner = Practitioner.objects.create(user=user, qualification=qualification)
        services.record_registration(
            acting_user=administrator,
            via=Interface.CLI,
            practitioner=practitioner,
            number=f"{username}-1",
            expires_on=timezone.localdate() + timedelta(days=30),
        )
        if verify:
            services.verify_practitioner(
                acting_user=administrator,
                via=Interface.CLI,
                practitioner=practitioner,
                evidence="ok",
            )
    return clinic_a
