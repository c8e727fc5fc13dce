"""A world with at least one record of every kind the FHIR server can serve, for the tests that
go over the whole registry (the CapabilityStatement's truth, the real client, the errors).

It is the authorization matrix's world (`security/tests/matrix_world.build`): the demo chain's
first two clinics, built by `seed_demo` through the services, with what the demo lacks added
through the services (an allergy, photos, a consent, an outcome score, an appointment book…).
Clinic A (Rawalpindi) has a patient with a consultation, an allergy, a patch test, consents, a
course, a session charted today from a lot of a product, check-ins, an outcome score, an open
adverse event and appointments; clinic B (Islamabad) has its own, for the outsider checks.

Who asks: clinic A's dermatologist reads every kind (clinical records included); clinic B's
dermatologist is the outsider; clinic A's receptionist reads no clinical record.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction

from mesoclinic.accounts.roles import Role
from mesoclinic.security.tests import matrix_world


@dataclass
class FhirWorld:
    practitioner: object  # clinic A's dermatologist: reads every kind at clinic A
    receptionist: object  # clinic A's receptionist: no clinical record
    outsider: object  # clinic B's dermatologist
    administrator: object
    patient: int  # clinic A's treated patient


def build() -> FhirWorld:
    # A transactional test before this one may have flushed the groups the migration made.
    for role in Role:
        Group.objects.get_or_create(name=role)
    world = matrix_world.build()
    return FhirWorld(
        practitioner=world.users["practitioner"],
        receptionist=world.users["receptionist"],
        outsider=world.users["outsider_practitioner"],
        administrator=world.users["administrator"],
        patient=world.values["patient"],
    )


# Fixtures (conftest.py imports them): one world per module, each test in a savepoint
# inside the world's transaction (the module's `django_db` mark).


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # Never built on anything but the test database.
    assert "test" in str(connection.settings_dict["NAME"])
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def world_api(world, django_db_blocker):
    """Clinic A's dermatologist's FHIR client (a Bearer token)."""
    from mesoclinic.fhir.tests.conftest import FhirClient

    with django_db_blocker.unblock():
        return FhirClient(world.practitioner)


@pytest.fixture
def no_throttle(settings):
    """For tests that send hundreds of requests with one token (test_errors.py tests the 429)."""
    settings.API_THROTTLE_RATES = {"token": "off", "user": "off", "anon": "off"}


#: Types whose search needs a parameter naming its context (a Slot belongs to a Schedule: the
#: server computes free slots per schedule): (parameter, the type it references). The first
#: record of that type the client finds is the context.
SEARCH_CONTEXT = {"Slot": ("schedule", "Schedule")}


def context_params(client, type_name: str) -> dict[str, str]:
    """The parameters a search of `type_name` needs besides its own, for `client` (a FhirClient)."""
    if type_name not in SEARCH_CONTEXT:
        return {}
    name, target = SEARCH_CONTEXT[type_name]
    bundle = client.fhir_get(target, {"_count": 1}).json()
    found = [e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]
    assert found, f"a {type_name} search needs a {target}, and this world has none"
    return {name: f"{target}/{found[0]}"}
