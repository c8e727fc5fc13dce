"""/health/ for load balancers (and the benchmark's floor), and the bench-only query header."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

COUNTER = "mesoclinic.core.middleware.QueryCountHeaderMiddleware"


def test_health_answers_ok_with_one_query_and_no_session(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies
    assert "X-Query-Count" not in response  # only when the bench turns it on


def test_the_bench_header_counts_every_query_of_the_request(settings, client, receptionist):
    settings.MIDDLEWARE = [COUNTER, *settings.MIDDLEWARE]
    assert client.get("/health/")["X-Query-Count"] == "1"
    client.force_login(receptionist)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/patients/")
    assert response.status_code == 200
    assert int(response["X-Query-Count"]) == len(captured) > 1
