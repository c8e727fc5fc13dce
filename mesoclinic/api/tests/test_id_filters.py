"""Every id filter of the API checks its range: a value no id can have answers 400 naming the
parameter, never a 500 (`?lot=-103830173789952394071309518110720` was an OverflowError)."""

import pytest
from rest_framework.test import APIClient

from mesoclinic.restapi.params import MAX_ID

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = f"is a whole number from 1 to {MAX_ID}."

#: (list endpoint, its id filter, the record the id names)
FILTERS = [
    ("/api/v1/stock-movements/", "lot"),
    ("/api/v1/courses/", "patient"),
    ("/api/v1/sessions/", "course"),
]


@pytest.fixture
def client(dermatologist):
    client = APIClient()
    client.force_authenticate(dermatologist.user)
    return client


@pytest.mark.parametrize(("url", "name"), FILTERS)
@pytest.mark.parametrize(
    "value", ["-103830173789952394071309518110720", str(MAX_ID + 1), str(2**64), "0", "-1"]
)
def test_an_id_filter_out_of_range_is_a_400_naming_it(client, url, name, value):
    response = client.get(url, {name: value})
    assert response.status_code == 400
    assert response.json() == {name: [f"A {name} id {OUT_OF_RANGE}"]}


@pytest.mark.parametrize(("url", "name"), FILTERS)
@pytest.mark.parametrize("value", ["abc", "1.5", "٣", "", "null"])
def test_an_id_filter_that_is_not_a_number_is_a_400_naming_it(client, url, name, value):
    """The courses' and sessions' filters used to ignore text and list everything; the schema
    says an integer, and since issue 21 every id filter holds to it."""
    response = client.get(url, {name: value})
    assert response.status_code == 400
    assert response.json() == {name: [f"Give a {name} id (a whole number)."]}


def test_the_lot_filter_still_narrows_the_ledger(client, lot_a, make_lot, clinic_a, txa):
    other = make_lot(clinic_a, txa, "TXA-A2")
    everything = client.get("/api/v1/stock-movements/").json()["results"]
    assert {row["lot"] for row in everything} == {lot_a.pk, other.pk}
    rows = client.get("/api/v1/stock-movements/", {"lot": lot_a.pk}).json()["results"]
    assert rows and {row["lot"] for row in rows} == {lot_a.pk}
    assert client.get("/api/v1/stock-movements/", {"lot": MAX_ID}).json()["results"] == []


@pytest.mark.parametrize(
    "path",
    [
        "patients",
        "lots",
        "stock-movements",
        "products",
        "ingredients",
        "protocols",
        "courses",
        "sessions",
        "practitioners",
    ],
)
@pytest.mark.parametrize("value", ["9" * 40, "-" + "9" * 40, str(MAX_ID + 1)])
def test_an_id_in_the_path_out_of_range_is_a_404(client, path, value):
    assert client.get(f"/api/v1/{path}/{value}/").status_code == 404


def test_the_schema_states_each_id_filters_range(admin_client):
    # The schema is behind sign-in (issue 20).
    schema = admin_client.get(
        "/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    ).json()
    for url, name in FILTERS:
        parameters = schema["paths"][url]["get"]["parameters"]
        (parameter,) = [p for p in parameters if p["name"] == name]
        assert (parameter["schema"]["minimum"], parameter["schema"]["maximum"]) == (1, MAX_ID)
