"""`page_size` as the schema states it: a whole number from 1 to 200, else a 400 naming it
(issue 21: "null", "0" and "abc" were quietly taken as the default, 500 cut down to 200)."""

import pytest
from rest_framework.test import APIClient

from mesoclinic.restapi.pagination import IdCursorPagination

pytestmark = pytest.mark.django_db

CLINICS = "/api/v1/clinics/"


@pytest.fixture
def api(receptionist):
    client = APIClient()
    client.force_authenticate(receptionist)
    return client


@pytest.mark.parametrize("value", ["null", "0", "-1", "abc", "1.5", "", "201", "٣"])
def test_it_answers_400_to_a_page_size_that_is_not_one(api, value):
    response = api.get(CLINICS, {"page_size": value})

    assert response.status_code == 400
    assert response.json() == {"page_size": ["A page size is a whole number from 1 to 200."]}


@pytest.mark.parametrize("value", ["1", "200"])
def test_it_takes_a_page_size_from_1_to_200(api, clinic_a, clinic_b, value):
    everything = len(api.get(CLINICS).json()["results"])
    response = api.get(CLINICS, {"page_size": value})

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(int(value), everything)


def test_the_schema_states_the_page_size_range():
    parameters = IdCursorPagination().get_schema_operation_parameters(view=None)
    (page_size,) = [p for p in parameters if p["name"] == "page_size"]
    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}
