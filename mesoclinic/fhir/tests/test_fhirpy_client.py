"""A real FHIR client from PyPI (fhirpy's SyncFHIRClient, over HTTP, with a Bearer token)
against the live test server: every resource type the CapabilityStatement lists is searched,
paged through by its next links with a small `_count` (each id seen exactly once), read, and
created where the statement says it may be. Everything received is validated.

The server runs in another thread (`live_server`), so the test is transactional: the world is
committed, and the database is flushed afterwards. What the data migrations loaded (roles, the
formulary, the screening rules, the guide) is loaded again first by their own loaders, as the
browser tests do, since an earlier transactional test may have flushed it and `seed_demo` needs
it. (`serialized_rollback` would restore it too, but after a flush its content types collide
with those the flush's post_migrate made again: an IntegrityError.)"""

from datetime import timedelta

import pytest
from django.utils import timezone
from fhirpy import SyncFHIRClient

from mesoclinic.accounts.models import ApiToken
from mesoclinic.care.tests.conftest import (  # noqa: F401 (fixtures)
    consent_texts,
    screening_rules,
    shipped_care_data,
)
from mesoclinic.clinics.models import Clinic
from mesoclinic.fhir.mapping.common import CNIC_SYSTEM
from mesoclinic.fhir.tests.validator import assert_valid
from mesoclinic.fhir.tests.world import SEARCH_CONTEXT, build
from mesoclinic.guide.tests.test_browser_journey import load_shipped_content
from mesoclinic.security.tests.matrix_world import CLINIC_A

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data"),
]

PAGE = 2  # a small _count, so every type with more than two records is paged


def minimal_bodies(world, client) -> dict:
    """A minimal valid resource per type the server may create, each made when asked for
    (`bodies[type]()`). A type the CapabilityStatement lists with `create` and this table lacks
    fails the test, naming it: add its body here."""
    clinic = Clinic.objects.get(slug=CLINIC_A)

    def patient():
        return {
            "resourceType": "Patient",
            "identifier": [{"system": CNIC_SYSTEM, "value": "3520299887766"}],
            "name": [{"use": "official", "family": "Fhirpy", "given": ["Sadia"]}],
            "telecom": [{"system": "phone", "value": "+923009988776", "use": "mobile"}],
            "gender": "female",
            "birthDate": "1991-03-14",
            "managingOrganization": {"reference": f"Organization/{clinic.pk}"},
        }

    def appointment():
        """A free slot of the first schedule found, booked for the world's patient, from two
        days ahead (the patient's own bookings are in the next day)."""
        after = (timezone.localdate() + timedelta(days=2)).isoformat()
        for schedule in client.resources("Schedule").limit(50).fetch():
            slots = client.resources("Slot").search(schedule=f"Schedule/{schedule.id}")
            slot = slots.search(start=f"ge{after}").first()
            if slot is not None:
                return {
                    "resourceType": "Appointment",
                    "status": "booked",
                    "slot": [{"reference": f"Slot/{slot.id}"}],
                    "participant": [
                        {"actor": {"reference": f"Patient/{world.patient}"}, "status": "accepted"}
                    ],
                }
        pytest.fail("No schedule of the world has a free slot to book.")

    return {"Patient": patient, "Appointment": appointment}


def search_context(client, type_name: str) -> dict:
    """What a search of `type_name` needs besides its own parameters (world.SEARCH_CONTEXT)."""
    if type_name not in SEARCH_CONTEXT:
        return {}
    name, target = SEARCH_CONTEXT[type_name]
    first = client.resources(target).first()
    assert first is not None, f"a {type_name} search needs a {target}, and the world has none"
    context = {name: f"{target}/{first.id}"}
    if type_name == "Slot":
        # Free slots run to hundreds a week: two hours of the first day ahead that has some.
        for ahead in range(1, 8):
            day = (timezone.localdate() + timedelta(days=ahead)).isoformat()
            window = {**context, "start": [f"ge{day}T10:00", f"lt{day}T12:00"]}
            if client.resources(type_name).search(**window).first() is not None:
                return window
    return context


@pytest.fixture
def fhir(live_server, settings):
    """The world, and fhirpy connected to the live server as clinic A's dermatologist."""
    # One token sends a few hundred requests here: test_errors.py tests the 429.
    settings.API_THROTTLE_RATES = {"token": "off", "user": "off", "anon": "off"}
    load_shipped_content()
    world = build()
    _row, key = ApiToken.issue(user=world.practitioner, name="fhirpy")
    client = SyncFHIRClient(f"{live_server.url}/fhir/R4", authorization=f"Bearer {key}")
    return world, client


def listed_types(client) -> list[dict]:
    statement = client.execute("metadata", method="get")
    assert_valid(statement)
    return statement["rest"][0]["resource"]


def test_it_searches_pages_reads_and_creates_every_listed_type_with_fhirpy(fhir):
    world, client = fhir
    bodies = minimal_bodies(world, client)
    listed = listed_types(client)
    assert {item["type"] for item in listed} >= {"Patient", "Organization"}
    sizes = {}
    for item in listed:
        type_name = item["type"]
        # fhirpy follows each Bundle's next link until there is none.
        context = search_context(client, type_name)
        paged = list(client.resources(type_name).search(**context).limit(PAGE))
        assert paged, f"the FHIR world has no {type_name}: add one to fhir/tests/world.py"
        ids = [resource.id for resource in paged]
        assert len(ids) == len(set(ids)), f"{type_name}: an id seen twice while paging"
        everything = client.resources(type_name).search(**context).limit(200).fetch()
        assert len(everything) < 200, "the world outgrew one page of 200: compare otherwise"
        assert set(ids) == {resource.id for resource in everything}, type_name
        sizes[type_name] = len(ids)
        for resource in paged:
            assert_valid(resource.serialize())
            read = client.reference(type_name, resource.id).to_resource()
            assert read.serialize() == resource.serialize(), type_name
        interactions = {i["code"] for i in item["interaction"]}
        if "create" in interactions:
            if type_name not in bodies:
                pytest.fail(
                    f"The CapabilityStatement lists create for {type_name}, and "
                    "test_fhirpy_client.minimal_bodies has no body for it: add one."
                )
            created = client.resource(type_name, **bodies[type_name]())
            created.save()
            assert created.id and created["meta"]["versionId"], type_name
            assert_valid(created.serialize())
            again = client.reference(type_name, created.id).to_resource()
            assert again.serialize() == created.serialize(), type_name
    assert sizes["Patient"] > PAGE, f"nothing was paged: {sizes}"
