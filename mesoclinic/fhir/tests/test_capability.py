"""The CapabilityStatement tells the truth: every resource, interaction, search parameter,
`_include` and operation it lists works against the server, and what it does not list is not
offered. Written over whatever the registry holds, so a type added later is checked the day it
is registered; the world (fhir/tests/world.py) has at least one record of every kind."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from mesoclinic.fhir import registry
from mesoclinic.fhir.tests.conftest import FhirClient
from mesoclinic.fhir.tests.validator import SCHEMA_FILE, assert_valid
from mesoclinic.fhir.tests.world import SEARCH_CONTEXT, context_params

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_throttle")]

TYPES = [item.name for item in registry.all_types()]
#: A value of each parameter type that no record can match: a listed parameter that is really
#: applied finds nothing with it, one the server quietly ignores would find everything.
IMPOSSIBLE = {
    "token": "urn:example:no-such-system|no-such-code",
    "string": "Zqxjvw",
    "reference": "987654321987",
    "date": "eq1800-01-01",
    "number": "987654321",
    "quantity": "987654321",
    "uri": "urn:example:no-such-uri",
}


@pytest.fixture(scope="module")
def statement(world_api, django_db_blocker):
    with django_db_blocker.unblock():
        response = world_api.fhir_get("metadata")
    assert response.status_code == 200
    return response.json()


def listed(statement, type_name: str) -> dict:
    return next(r for r in statement["rest"][0]["resource"] if r["type"] == type_name)


def matches(bundle: dict) -> list[dict]:
    return [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


def outcome_text(bundle: dict) -> str:
    return " ".join(
        issue["diagnostics"]
        for entry in bundle.get("entry", [])
        if entry["search"]["mode"] == "outcome"
        for issue in entry["resource"]["issue"]
    )


def search(world_api, type_name: str, params: dict) -> dict:
    """A search that must answer 200, with the context the type needs (world.SEARCH_CONTEXT)."""
    response = world_api.fhir_get(type_name, {**context_params(world_api, type_name), **params})
    assert response.status_code == 200, (type_name, params, response.content[:500])
    bundle = response.json()
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "searchset"
    assert_valid(bundle)
    return bundle


def self_params(bundle: dict) -> dict[str, list[str]]:
    url = next(link["url"] for link in bundle["link"] if link["relation"] == "self")
    return parse_qs(urlsplit(url).query)


def test_it_is_a_valid_capability_statement_of_every_registered_type(statement):
    assert_valid(statement)
    assert statement["fhirVersion"] == "4.0.1"
    assert [r["type"] for r in statement["rest"][0]["resource"]] == TYPES


@pytest.mark.parametrize("type_name", TYPES)
def test_it_searches_and_reads_every_listed_type(world_api, statement, type_name):
    interactions = {i["code"] for i in listed(statement, type_name)["interaction"]}
    assert {"read", "search-type"} <= interactions
    found = matches(search(world_api, type_name, {"_count": 10}))
    assert found, f"the FHIR world has no {type_name}: add one to fhir/tests/world.py"
    for resource in found:
        assert resource["resourceType"] == type_name
        response = world_api.fhir_get(f"{type_name}/{resource['id']}")
        assert response.status_code == 200, response.content[:500]
        assert response.json() == resource
        version = resource.get("meta", {}).get("versionId")
        if version:  # a computed resource (a free Slot) has no version
            assert response["ETag"] == f'W/"{version}"'
    by_id = matches(search(world_api, type_name, {"_id": found[0]["id"]}))
    assert [r["id"] for r in by_id] == [found[0]["id"]]


@pytest.mark.parametrize("type_name", TYPES)
def test_it_applies_every_listed_search_parameter(world_api, statement, type_name):
    """Each parameter is accepted, used (it is in the self link, never in the outcome of
    ignored ones) and really filters (an impossible value finds nothing)."""
    wrong = []
    context = context_params(world_api, type_name)
    for param in listed(statement, type_name)["searchParam"]:
        name, kind = param["name"], param["type"]
        assert kind in IMPOSSIBLE, f"{type_name}.{name}: no test value for a {kind} parameter"
        query = {**context, name: IMPOSSIBLE[kind], "_total": "accurate"}
        response = world_api.fhir_get(type_name, query)
        if response.status_code == 400 and kind == "token":
            # A token of a closed set (true or false): the value was read, so the parameter is
            # used; each of the set is then accepted and used.
            assert response.json()["resourceType"] == "OperationOutcome"
            for value in ("true", "false"):
                bundle = search(world_api, type_name, {name: value})
                if name not in self_params(bundle) or name in outcome_text(bundle):
                    wrong.append(f"{name}={value}: ignored")
            continue
        assert response.status_code == 200, (name, response.content[:300])
        bundle = response.json()
        assert_valid(bundle)
        if name not in self_params(bundle) or name in outcome_text(bundle):
            wrong.append(f"{name}: ignored ({outcome_text(bundle)})")
        elif matches(bundle) or bundle["total"] != 0:
            wrong.append(f"{name}={IMPOSSIBLE[kind]} found {bundle['total']}: not applied")
    assert not wrong, f"{type_name}: {wrong}"


@pytest.mark.parametrize("type_name", TYPES)
def test_it_includes_what_it_lists(world_api, statement, type_name):
    for value in listed(statement, type_name).get("searchInclude", []):
        bundle = search(world_api, type_name, {"_include": value, "_count": 20})
        assert self_params(bundle).get("_include") == [value], value
        assert value not in outcome_text(bundle)
        for entry in bundle.get("entry", []):
            assert entry["search"]["mode"] in ("match", "include")
            assert entry["fullUrl"].endswith(
                f"/{entry['resource']['resourceType']}/{entry['resource']['id']}"
            )


@pytest.mark.parametrize("type_name", TYPES)
def test_it_offers_create_and_update_exactly_where_listed(world_api, statement, type_name):
    """A listed write answers (a refusal of an empty body, never 405); an unlisted one is 405."""
    interactions = {i["code"] for i in listed(statement, type_name)["interaction"]}
    some = matches(search(world_api, type_name, {"_count": 1}))[0]
    created = world_api.fhir_post(type_name, {"resourceType": type_name})
    updated = world_api.fhir_put(
        f"{type_name}/{some['id']}", {"resourceType": type_name, "id": some["id"]}
    )
    for code, response in (("create", created), ("update", updated)):
        assert response.status_code < 500, (code, response.content[:500])
        if code in interactions:
            assert response.status_code not in (404, 405), (code, response.content[:500])
        else:
            assert response.status_code == 405, (code, response.content[:500])
        if response.status_code >= 400:
            assert response.json()["resourceType"] == "OperationOutcome"


def _operations(statement):
    """(resource type or None, operation) for every operation listed."""
    rest = statement["rest"][0]
    yield from ((None, op) for op in rest.get("operation", []))
    for resource in rest["resource"]:
        yield from ((resource["type"], op) for op in resource.get("operation", []))


def test_it_resolves_every_listed_operation(world, world_api, statement):
    """Asked by the administrator, who may run every operation: each one starts (200 or 202)."""
    admin = FhirClient(world.administrator)
    for type_name, operation in _operations(statement):
        assert operation["definition"].startswith("http")
        paths = [f"${operation['name']}"]
        if type_name:
            paths = [f"{type_name}/${operation['name']}"]
            paths += [
                f"{type_name}/{r['id']}/${operation['name']}"
                for r in matches(search(world_api, type_name, {"_count": 1}))
            ]
        answers = []
        for path in paths:
            answer = admin.fhir_get(path, HTTP_PREFER="respond-async")
            answers.append(answer)
            if answer.status_code == 202:  # started: cancel it (a user runs few at once)
                admin.delete(answer["Content-Location"])
        assert all(a.status_code < 500 for a in answers), paths
        assert any(a.status_code in (200, 202) for a in answers), (
            f"{paths}: {[(a.status_code, a.content[:200]) for a in answers]}"
        )


def test_it_answers_every_unlisted_type_with_404(world_api, statement):
    # R4's resource types: the official JSON schema's discriminator (the validator's file).
    every = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["discriminator"]["mapping"]
    unlisted = sorted(set(every) - set(TYPES))
    assert len(unlisted) > 100
    for type_name in unlisted:
        for response in (world_api.fhir_get(type_name), world_api.fhir_get(f"{type_name}/1")):
            assert response.status_code == 404, type_name
            body = response.json()
            assert body["resourceType"] == "OperationOutcome"
            assert body["issue"][0]["code"] == "not-supported"


def test_it_answers_another_clinics_record_of_every_type_with_404(world, world_api):
    """What clinic B's dermatologist finds that clinic A's does not is, for clinic A, absent."""

    outsider, checked = FhirClient(world.outsider), {}
    for type_name in TYPES:
        if type_name in SEARCH_CONTEXT:
            continue  # its records are found within a context (a Slot: its Schedule's)
        theirs = {r["id"] for r in matches(search(outsider, type_name, {"_count": 200}))}
        ours = {r["id"] for r in matches(search(world_api, type_name, {"_count": 200}))}
        for ident in sorted(theirs - ours)[:5]:
            response = world_api.fhir_get(f"{type_name}/{ident}")
            assert response.status_code == 404, (type_name, ident)
            assert response.json()["issue"][0]["code"] == "not-found"
        checked[type_name] = len(theirs - ours)
    assert checked.get("Patient") and checked.get("Organization"), checked


def test_it_documents_every_type_and_search_parameter_it_serves():
    """docs/fhir.md has a section for each type, naming each of its own search parameters."""
    docs = (Path(__file__).resolve().parents[3] / "docs" / "fhir.md").read_text(encoding="utf-8")
    sections = {part.split("\n", 1)[0].strip(): part for part in docs.split("\n### ")[1:]}
    missing = []
    for resource_type in registry.all_types():
        section = sections.get(resource_type.name)
        if section is None:
            missing.append(f"### {resource_type.name}")
            continue
        missing += [
            f"{resource_type.name}: `{param.name}`"
            for param in resource_type.params
            if f"`{param.name}`" not in section
        ]
    assert not missing, f"docs/fhir.md lacks {missing}"
