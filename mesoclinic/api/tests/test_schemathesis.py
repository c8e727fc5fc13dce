"""A bounded schemathesis run against the schema /api/v1/schema/ serves, with every check: the
answers are never server errors, and they agree with the schema (documented status codes,
content types, headers and bodies), schema-valid requests are accepted, schema-invalid ones
refused, an unsupported method answers 405 and a request without credentials 401 (issue 21).

Bounded so it stays fast and repeatable in `make test`: a fixed seed, deterministic generation,
a few examples per operation, no shrinking and no deadline. It calls the application in-process
through WSGI, inside the test's transaction, as a credentialed dermatologist with an API token:
the staff member whose role reaches the most code (patients, stock, clinical records, charting).

Two checks are run in a form of their own, each for a reason given where it is defined:
`positive_data_acceptance` excuses only the refusals no schema can foresee (a record named that
does not exist), and `ignored_auth` probes each operation once per run as the command line does.
The checks that follow links between operations (use_after_free, ensure_resource_availability,
object_level_authorization) need the stateful phase, which stays off: they have nothing to do.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

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


#: Schema-valid requests the API still refuses with 400, and only for these fields (the keys of
#: the 400's field errors). Each names a stored record, by id, slug or code, that must exist and
#: be at a clinic the caller works at (a lot, a course, a clinic, a formulary ingredient, an
#: appointment type the clinic offers), or is checked against today or another field (a booking
#: within two years, a search of at most 31 days, a birth date in the past, a real mobile number
#: or CNIC, a stock balance that stays positive). OpenAPI cannot say either, so a 400 naming only
#: these fields is not a schema disagreement; a 400 naming any other field still fails the run.
REFUSED_BEYOND_THE_SCHEMA = {
    "GET /api/v1/slots/": {"clinic", "type", "from", "to"},
    "POST /api/v1/appointments/": {"clinic", "patient", "type", "start", "practitioner", "room"},
    "POST /api/v1/lots/": {"clinic", "product", "expires_on", "received_on", "received_quantity"},
    "POST /api/v1/patients/": {
        "registered_clinic",
        "mobile",
        "emergency_contact_phone",
        "cnic",
        "date_of_birth",
    },
    "POST /api/v1/screening/evaluate/": {"ingredients"},
    "POST /api/v1/sessions/": {"course", "lines"},
    "POST /api/v1/stock-movements/": {"lot", "patient", "quantity"},
}


def positive_data_acceptance_beyond_references(ctx, response, case):
    """positive_data_acceptance, but a 400 naming only REFUSED_BEYOND_THE_SCHEMA's fields of
    its operation passes."""
    allowed = REFUSED_BEYOND_THE_SCHEMA.get(case.operation.label)
    if allowed is not None and response.status_code == 400:
        body = response.json()
        if isinstance(body, dict) and body and set(body) <= allowed:
            return None
    return positive_data_acceptance(ctx, response, case)


#: The operations already shown to refuse missing and invalid credentials in this process.
_AUTH_ENFORCED: set[str] = set()


def ignored_auth_once_per_operation(ctx, response, case):
    """ignored_auth, remembering across the run which operations it has already probed (the
    command line shares this memory; each pytest test builds its own context, so without it
    every successful request would be sent three more times, without and with bad credentials)."""
    ctx.auth_enforced_operations = _AUTH_ENFORCED
    return ignored_auth(ctx, response, case)


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
def test_the_api_and_its_schema_agree(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        excluded_checks=[positive_data_acceptance, ignored_auth],
        additional_checks=[
            positive_data_acceptance_beyond_references,
            ignored_auth_once_per_operation,
        ],
    )
