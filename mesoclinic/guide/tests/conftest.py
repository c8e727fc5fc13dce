import datetime

import pytest

from mesoclinic.audit.services import Interface
from mesoclinic.clinics import services as clinic_services
from mesoclinic.clinics.models import Practitioner


@pytest.fixture
def make_practitioner(make_user, administrator):
    """A practitioner at `clinic`, credentialed unless told otherwise, made through services."""

    def make(username, clinic, *, verified=True, qualification="dermatologist", number=None):
        user = make_user(username, "practitioner", clinics=[clinic])
        practitioner = Practitioner.objects.create(user=user, qualification=qualification)
        clinic_services.record_registration(
            acting_user=administrator,
            via=Interface.ADMIN,
            practitioner=practitioner,
            number=number or f"PMDC-{user.pk:05d}-P",
            expires_on=datetime.date.today() + datetime.timedelta(days=365),
        )
        if verified:
            clinic_services.verify_practitioner(
                acting_user=administrator,
                via=Interface.ADMIN,
                practitioner=practitioner,
                evidence="PMDC online register",
            )
        return practitioner

    return make
