"""Under /api/v1/ every answer is JSON, as the schema says, even where no API view runs
(issue 21): an address no route takes, a NUL character refused by the middleware."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(dermatologist):
    client = APIClient()
    client.force_authenticate(dermatologist.user)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/appointments/-1/",
        "/api/v1/appointments/abc/cancel/",
        "/api/v1/appointments/\xd8\n\x1a/reschedule/",  # a newline in the path (schemathesis)
        "/api/v1/no-such-thing/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_address_no_route_takes_is_a_json_404(api, path, method):
    response = getattr(api, method)(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_stored_score_that_is_not_a_number_is_a_404(api):
    # /api/v1/scores/<letters>/ is a calculator's address; a GET there reads no stored score.
    assert api.get("/api/v1/scores/null/").status_code == 404


def test_a_nul_in_the_query_string_is_a_json_400(api):
    response = api.get("/api/v1/lots/", {"note\x00": "1"})

    assert response.status_code == 400
    assert response.json() == {"detail": "Null characters are not allowed."}
