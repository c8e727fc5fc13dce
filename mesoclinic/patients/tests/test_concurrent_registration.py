"""Two front desks register the same person at the same moment: one record, one clear refusal."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from mesoclinic.audit.services import Interface
from mesoclinic.patients import services
from mesoclinic.patients.models import Patient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("round_", range(3))
def test_simultaneous_registrations_of_one_cnic_keep_one_and_refuse_the_other(
    receptionist, manager, clinic_a, round_
):
    barrier = threading.Barrier(2)
    outcomes = []

    def register(user, first_name):
        try:
            barrier.wait()
            services.register_patient(
                acting_user=user,
                via=Interface.WEB,
                clinic=clinic_a,
                data={
                    "first_name": first_name,
                    "date_of_birth": date(1990, 1, 1),
                    "sex": "female",
                    "cnic": f"3520200000{round_}01",
                    "mobile": f"+923000000{round_}{len(first_name)}",
                },
            )
            outcomes.append("saved")
        except ValidationError as exc:
            outcomes.append(exc.message_dict)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=register, args=(receptionist, "Amna")),
        threading.Thread(target=register, args=(manager, "Bushra")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes, key=str).count("saved") == 1, outcomes
    refusal = next(o for o in outcomes if o != "saved")
    assert "already registered" in refusal.get("cnic", refusal.get("__all__", [""]))[0]
    assert Patient.objects.filter(cnic=f"3520200000{round_}01").count() == 1
