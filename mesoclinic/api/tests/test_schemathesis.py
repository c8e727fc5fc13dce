"""A bounded schemathesis run against the schema /api/v1/schema/ serves: whatever a client sends
to any operation the schema describes, the answer is never a server error.

Bounded so it stays fast and repeatable in `make test`: a fixed seed, deterministic generation,
a few examples per operation, no shrinking and no deadline; one check, `not_a_server_error`
(the FHIR issue widens it to every check). It calls the application in-process through WSGI,
inside the test's transaction, as a credentialed dermatologist with an API token: the staff
member whose role reaches the most code (patients, stock, clinical records and charting)."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from mesoclinic.accounts.models import ApiToken

#: Examples per operation for fuzzing. The coverage phase adds each operation's boundary and
#: wrong-type values (a few hundred for the big request bodies); that is most of the run.
EXAMPLES = 5

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 16,
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES,
            "deterministic": True,
            "no-shrink": True,
        },
        "phases": {"stateful": {"enabled": False}},
    }
)


@pytest.fixture
def token(dermatologist, patient_a, lot_a):
    """The dermatologist's API token, with a patient and a lot at their clinic to find."""
    _row, key = ApiToken.issue(user=dermatologist.user)
    return key


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """Each operation is a test with its own people: hashing their passwords at full strength
    would cost more than the run. Tokens are not passwords; they are checked as always."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def keep_the_connection():
    """Django closes the database connection when a WSGI request ends; its test client stops
    that so the test's transaction survives, and so does this fixture, around each test."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def no_throttle(settings):
    """The run sends hundreds of requests with one token; the throttle would answer most of
    them 429 and leave their code unexercised (restapi/tests/test_throttle.py tests it)."""
    settings.API_THROTTLE_RATES = {"token": "off", "user": "off", "anon": "off"}


def _schema() -> dict:
    """The schema /api/v1/schema/ serves, generated in-process: the URL is behind sign-in
    (issue 20), and at collection there is no database to sign in with."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


#: Loaded once, when the module is collected: schema generation reads no database.
schema = schemathesis.openapi.from_dict(_schema(), config=CONFIG)
schema.app = get_wsgi_application()
schema.location = "/api/v1/schema/"


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_no_input_is_a_server_error(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error])
