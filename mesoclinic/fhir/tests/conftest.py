"""What the FHIR tests share: a token-carrying client for each of the shared people."""

import pytest
from django.test import Client

from mesoclinic.accounts.models import ApiToken
from mesoclinic.fhir.tests.clinical_fixtures import *  # noqa: F403 (care records, for the clinical types)
from mesoclinic.fhir.tests.world import no_throttle, world, world_api  # noqa: F401 (fixtures)

BASE = "/fhir/R4"
FHIR_JSON = "application/fhir+json"


class FhirClient(Client):
    """A test client that sends a Bearer API token and FHIR JSON, as an integration would."""

    def __init__(self, user, **defaults):
        _row, key = ApiToken.issue(user=user)
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {key}", **defaults)
        self.user = user

    def fhir_get(self, path, data=None, **extra):
        return self.get(f"{BASE}/{path}", data, HTTP_ACCEPT=FHIR_JSON, **extra)

    def fhir_post(self, path, resource, **extra):
        return self.post(f"{BASE}/{path}", resource, content_type=FHIR_JSON, **extra)

    def fhir_put(self, path, resource, **extra):
        return self.put(f"{BASE}/{path}", resource, content_type=FHIR_JSON, **extra)


@pytest.fixture
def fhir_as():
    """`fhir_as(user)`: a FhirClient for that user."""
    return FhirClient
