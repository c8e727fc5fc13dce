"""What the schema says, as the API does it (issue 21; `restapi.schema` and the schemathesis
run): the error answers, times of day, decimals, closed bodies and complete enums."""

import json
import re

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture(scope="module")
def schema():
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


def _operations(schema):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_every_operation_documents_the_errors_it_can_answer(schema):
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        assert {"400", "401", "403", "429"} <= codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        if "requestBody" in operation:
            assert "415" in codes, (method, path)
            assert set(operation["requestBody"]["content"]) == {"application/json"}


def test_a_time_of_day_is_stated_as_it_is_written(schema):
    opens = schema["components"]["schemas"]["OpeningHours"]["properties"]["opens"]
    assert "format" not in opens
    assert re.fullmatch(opens["pattern"], "11:00:00")
    assert not re.fullmatch(opens["pattern"], "11:00:00Z")


def test_a_decimal_string_needs_a_digit(schema):
    quantity = schema["components"]["schemas"]["StockMovementRequest"]["properties"]["quantity"]
    pattern = quantity["pattern"]
    assert all(re.fullmatch(pattern, good) for good in ("1", "0.5", ".5", "12.25"))
    assert not any(re.fullmatch(pattern, bad) for bad in ("", "-", "."))


def test_a_stock_movement_reads_every_kind_and_posts_all_but_received(schema):
    components = schema["components"]["schemas"]
    read = components["StockMovement"]["properties"]["kind"]["$ref"].rsplit("/", 1)[1]
    posted = components["StockMovementRequest"]["properties"]["kind"]["$ref"].rsplit("/", 1)[1]
    assert "received" in components[read]["enum"]
    assert "received" not in components[posted]["enum"]
    assert set(components[posted]["enum"]) == set(components[read]["enum"]) - {"received"}


@pytest.mark.parametrize(
    "component",
    ["ScreeningRequestRequest", "FactsRequest", "MasiScoreRequest", "MasiRegionRequest"],
)
def test_a_body_read_strictly_admits_no_other_key(schema, component):
    assert schema["components"]["schemas"][component]["additionalProperties"] is False


def test_an_unapproved_protocol_version_has_no_approver(schema):
    version = schema["components"]["schemas"]["ProtocolVersion"]["properties"]
    assert version["approved_by"]["nullable"] is True


def test_text_a_client_sends_holds_no_nul(schema):
    """Every request with a NUL is refused (PostgreSQL cannot store it): the schema says so on
    each plain string a client sends, and only there."""
    components = schema["components"]["schemas"]
    depth = components["SessionCreateRequest"]["properties"]["depth"]
    (cursor,) = [
        p
        for p in schema["paths"]["/api/v1/protocols/"]["get"]["parameters"]
        if p["name"] == "cursor"
    ]
    for text in (depth, cursor["schema"]):
        assert re.fullmatch(text["pattern"], "mid-dermis")
        assert not re.fullmatch(text["pattern"], "mid\x00dermis")
    assert "pattern" not in components["Error"]["properties"]["detail"]
