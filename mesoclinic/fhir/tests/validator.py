"""Validate what the FHIR server returns, the way every FHIR test checks it.

`problems(resource)` lists every problem found in a FHIR R4 (4.0.1) resource as JSON, each with
its path (`Bundle.entry[0].resource.gender`); `assert_valid(resource)` fails a test with that list.
A Bundle is checked with every resource it holds (entries, contained resources, outcomes).

Four layers, each naming itself in its messages:
- `[json]` FHIR's own JSON rules that no schema states: no null (outside the `_field` arrays that
  line up with a primitive array), no empty string, object or array.
- `[model]` the `fhir.resources` R4B models (R4B is the release nearest to R4 that it ships).
- `[schema]` the official R4 JSON schema, `fhir.schema.json` (draft-06), as published with R4
  4.0.0, with 4.0.1 added to its FHIR-version enums (_correct_to_401). Its `ResourceList`
  (every resource type, as one `oneOf`) is replaced by "an object with a resourceType" and each
  nested resource is checked against its own definition: the schema's discriminator, done by
  hand, so an entry's problem names the entry instead of 146 failed alternatives.
- `[value set]` every REQUIRED binding of R4, read from the StructureDefinitions: the code in a
  `code`, `Coding` or `CodeableConcept` must come from the bound ValueSet, expanded from the R4
  ValueSets and CodeSystems. `fhir.resources` lets any code through, and the schema's `enum`s
  cover only some `code` elements (not CarePlan.status nor MedicationAdministration.status, for
  two) and no Coding. Abstract (notSelectable) codes are not codes.
  Value sets that cannot be expanded from the R4 files are listed in SKIPPED_VALUE_SETS with the
  reason (two get a pattern of their grammar, GRAMMARS); any other that cannot be expanded is
  reported as a problem when a resource uses it, so nothing is skipped silently.

The files come from npm (scripts/fhir-definitions.sh, run by `make bootstrap`) into .tools/fhir/;
they are loaded once per process (about a second; a resource then takes milliseconds).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pydantic
from fhir.resources.R4B import get_fhir_model_class

FHIR_DIR = Path(__file__).resolve().parents[3] / ".tools" / "fhir"
DEFINITIONS_DIR = FHIR_DIR / "@iguhealth+hl7.fhir.r4.core@0.4.6" / "definitions" / "hl7"
SCHEMA_FILE = FHIR_DIR / "@asymmetrik+fhir-json-schema-validator@0.9.8" / "fhir.schema.json"

# Required value sets whose codes are not in the R4 files: their code systems live outside FHIR.
# Each is checked against a pattern of its grammar instead (GRAMMARS), where there is one.
SKIPPED_VALUE_SETS = {
    "http://hl7.org/fhir/ValueSet/mimetypes": "MIME types (BCP 13, urn:ietf:bcp:13): a grammar",
    "http://hl7.org/fhir/ValueSet/currencies": "ISO 4217 currencies: not in the R4 files",
    "http://hl7.org/fhir/ValueSet/ucum-units": "UCUM units: a grammar, and not in the R4 files",
    "http://loinc.org/vs/LL379-9": "a LOINC answer list (MolecularSequence only): not in the files",
}
GRAMMARS = {
    # A MIME type, or CapabilityStatement.format's xml | json | ttl shorthand.
    "http://hl7.org/fhir/ValueSet/mimetypes": re.compile(
        r"(xml|json|ttl|[a-z]+/[A-Za-z0-9.+-]+( *;.+)?)"
    ),
    "http://hl7.org/fhir/ValueSet/currencies": re.compile(r"[A-Z]{3}"),
}

MAX_LISTED_CODES = 12


def problems(resource: dict) -> list[str]:
    """Every problem in `resource` (a FHIR R4 resource as parsed JSON); empty when it is valid."""
    if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
        return ["[json] $: not a FHIR resource (an object with a resourceType)"]
    root = resource["resourceType"]
    found = _json_problems(resource, root)
    found += _model_problems(resource, root)
    for path, nested in _resources(resource, root):
        found += _schema_problems(nested, path)
    found += _value_set_problems(resource, root)
    return found


def assert_valid(resource: dict) -> None:
    """Fail with every problem listed when `resource` is not valid FHIR R4."""
    found = problems(resource)
    if found:
        kind = resource.get("resourceType", "?") if isinstance(resource, dict) else "?"
        raise AssertionError(
            f"{kind} is not valid FHIR R4 ({len(found)} problems):\n  - " + "\n  - ".join(found)
        )


# --- [json] ---------------------------------------------------------------------------------


def _json_problems(node, path: str, *, in_underscore_array: bool = False) -> list[str]:
    found = []
    if node is None:
        if not in_underscore_array:
            found.append(f"[json] {path}: null is not allowed")
    elif isinstance(node, str) and node == "":
        found.append(f"[json] {path}: an empty string is not allowed")
    elif isinstance(node, dict):
        if not node:
            found.append(f"[json] {path}: an empty object is not allowed")
        for key, value in node.items():
            if isinstance(value, list):
                if not value:
                    found.append(f"[json] {path}.{key}: an empty array is not allowed")
                for i, item in enumerate(value):
                    found += _json_problems(
                        item, f"{path}.{key}[{i}]", in_underscore_array=key.startswith("_")
                    )
            else:
                found += _json_problems(value, f"{path}.{key}")
    return found


# --- [model] --------------------------------------------------------------------------------


def _model_problems(resource: dict, path: str) -> list[str]:
    try:
        model = get_fhir_model_class(resource["resourceType"])
    except ValueError:
        return [f"[model] {path}: unknown resourceType {resource['resourceType']!r}"]
    try:
        model.model_validate(resource)
    except pydantic.ValidationError as error:
        return [
            f"[model] {_join(path, e['loc'])}: {e['msg']} (got {_short(e.get('input'))})"
            for e in error.errors()
        ]
    return []


# --- [schema] -------------------------------------------------------------------------------


@functools.cache
def _schema_definitions() -> dict:
    definitions = json.loads(_require(SCHEMA_FILE).read_text())["definitions"]
    _correct_to_401(definitions)
    # Each nested resource is validated on its own against its own definition (_resources).
    definitions["ResourceList"] = {
        "type": "object",
        "required": ["resourceType"],
        "properties": {"resourceType": {"type": "string"}},
    }
    return definitions


@functools.cache
def _schema_validator(resource_type: str) -> jsonschema.Draft6Validator | None:
    definitions = _schema_definitions()
    if resource_type not in definitions or "resourceType" not in definitions[resource_type].get(
        "properties", {}
    ):
        return None
    schema = {
        "$schema": "http://json-schema.org/draft-06/schema#",
        "definitions": definitions,
        "allOf": [{"$ref": f"#/definitions/{resource_type}"}],
    }
    return jsonschema.Draft6Validator(schema)


def _correct_to_401(node) -> None:
    """The one correction of R4 4.0.1 that our resources meet: 4.0.1 as a FHIR version.

    The schema on npm is the one published with R4 4.0.0 (the 4.0.1 technical correction left
    it out of every FHIR-version enum); the other 4.0.1 corrections concern elements we do not
    produce (Meta as an extension value, Contract.contentDefinition.publicationStatus).
    """
    if isinstance(node, dict):
        if "4.0.0" in node.get("enum", ()) and "3.0.1" in node["enum"]:
            node["enum"] = [*node["enum"], "4.0.1"]
        for value in node.values():
            _correct_to_401(value)
    elif isinstance(node, list):
        for value in node:
            _correct_to_401(value)


def _schema_problems(resource: dict, path: str) -> list[str]:
    validator = _schema_validator(resource["resourceType"])
    if validator is None:
        return [f"[schema] {path}: unknown resourceType {resource['resourceType']!r}"]
    return [
        f"[schema] {_join(path, error.absolute_path)}: {_short(error.message, 200)}"
        for error in sorted(validator.iter_errors(resource), key=lambda e: list(e.absolute_path))
    ]


def _resources(node, path: str) -> Iterator[tuple[str, dict]]:
    """The resource at `path` and every resource inside it (entries, contained, outcomes)."""
    if isinstance(node, dict):
        if isinstance(node.get("resourceType"), str):
            yield path, node
        for key, value in node.items():
            yield from _resources(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _resources(item, f"{path}[{i}]")


# --- [value set] ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Element:
    types: tuple[str, ...]
    value_set: str | None  # the canonical URL of a REQUIRED binding, without its version
    content_reference: str | None  # the element path whose children this one repeats


@dataclass(frozen=True)
class _Definitions:
    elements: dict[str, _Element]  # "Patient.contact.telecom" -> its definition
    choices: dict[
        str, tuple[str, str]
    ]  # "Observation.valueQuantity" -> ("Observation.value[x]", "Quantity")
    parents: frozenset[str]  # element paths with children of their own (backbone elements)
    structures: frozenset[str]  # resource and data types with a StructureDefinition
    value_sets: dict[str, frozenset[tuple[str, str]] | str]  # url -> (system, code)s or why not


@functools.cache
def _definitions() -> _Definitions:
    elements: dict[str, _Element] = {}
    choices: dict[str, tuple[str, str]] = {}
    structures = set()
    for name in ("profiles-types.min.json", "profiles-resources.min.json"):
        for sd in _bundle_resources(name, "StructureDefinition"):
            if sd.get("derivation") == "constraint" or sd.get("kind") == "logical":
                continue
            structures.add(sd["type"])
            for element in sd["snapshot"]["element"]:
                path = element["path"]
                binding = element.get("binding", {})
                required = binding.get("strength") == "required" and binding.get("valueSet")
                types = tuple(t["code"] for t in element.get("type", []))
                reference = element.get("contentReference")
                elements[path] = _Element(
                    types=types,
                    value_set=required.split("|")[0] if required else None,
                    content_reference=reference.split("#", 1)[1] if reference else None,
                )
                if path.endswith("[x]"):
                    for code in types:
                        choices[path[:-3] + code[0].upper() + code[1:]] = (path, code)
    parents = frozenset(path.rsplit(".", 1)[0] for path in elements if "." in path)
    return _Definitions(
        elements=elements,
        choices=choices,
        parents=parents,
        structures=frozenset(structures),
        value_sets=_expand_value_sets({e.value_set for e in elements.values() if e.value_set}),
    )


def _bundle_resources(name: str, resource_type: str) -> Iterator[dict]:
    bundle = json.loads(_require(DEFINITIONS_DIR / name).read_text())
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == resource_type:
            yield entry["resource"]


def _expand_value_sets(urls: set[str]) -> dict[str, frozenset[tuple[str, str]] | str]:
    value_sets, code_systems = {}, {}
    for name in ("valuesets.min.json", "v3-codesystems.min.json"):
        for vs in _bundle_resources(name, "ValueSet"):
            value_sets[vs["url"]] = vs
        for cs in _bundle_resources(name, "CodeSystem"):
            code_systems[cs["url"]] = cs

    def all_codes(concepts: list[dict]) -> Iterator[tuple[str, list[dict]]]:
        """Every selectable code with its children (abstract grouping codes are not codes)."""
        for concept in concepts:
            if not any(
                p["code"] in ("notSelectable", "abstract") and p.get("valueBoolean")
                for p in concept.get("property", [])
            ):
                yield concept["code"], concept.get("concept", [])
            yield from all_codes(concept.get("concept", []))

    def system_codes(part: dict) -> frozenset[tuple[str, str]]:
        system = part["system"]
        if part.get("concept"):
            return frozenset((system, c["code"]) for c in part["concept"])
        cs = code_systems.get(system)
        if cs is None:
            raise _Unexpandable(f"code system {system} is not in the R4 files")
        if cs.get("content") != "complete":
            raise _Unexpandable(f"code system {system} has content {cs.get('content')!r}")
        codes = {code for code, _ in all_codes(cs.get("concept", []))}
        for rule in part.get("filter", []):
            if rule["property"] != "concept" or rule["op"] not in ("is-a", "descendent-of"):
                raise _Unexpandable(f"filter {rule} on {system}")
            below = set()
            for code, children in all_codes(cs.get("concept", [])):
                if code == rule["value"]:
                    below |= {c for c, _ in all_codes(children)}
                    if rule["op"] == "is-a":
                        below.add(code)
            codes &= below
        return frozenset((system, code) for code in codes)

    def part_codes(part: dict, seen: tuple[str, ...]) -> frozenset[tuple[str, str]]:
        sets = [expand(url, seen) for url in part.get("valueSet", [])]
        if "system" in part:
            sets.append(system_codes(part))
        if not sets:
            raise _Unexpandable(f"an include with neither system nor valueSet: {part}")
        return functools.reduce(frozenset.intersection, sets)

    def expand(url: str, seen: tuple[str, ...] = ()) -> frozenset[tuple[str, str]]:
        url = url.split("|")[0]
        if url in seen:
            raise _Unexpandable(f"value set {url} includes itself")
        vs = value_sets.get(url)
        if vs is None:
            raise _Unexpandable(f"value set {url} is not in the R4 files")
        compose = vs.get("compose", {})
        codes = frozenset().union(*(part_codes(p, (*seen, url)) for p in compose["include"]))
        for part in compose.get("exclude", []):
            codes -= part_codes(part, (*seen, url))
        return codes

    expanded: dict[str, frozenset[tuple[str, str]] | str] = {}
    for url in urls:
        try:
            expanded[url] = expand(url)
        except _Unexpandable as why:
            expanded[url] = str(why)
    return expanded


class _Unexpandable(Exception):
    pass


def _value_set_problems(resource: dict, path: str) -> list[str]:
    definitions = _definitions()
    found: list[str] = []
    if resource["resourceType"] in definitions.structures:
        _walk(definitions, resource, resource["resourceType"], path, found)
    return found


def _walk(d: _Definitions, node: dict, base: str, path: str, found: list[str]) -> None:
    """Check the coded children of `node`, whose definition is at element path `base`."""
    for key, value in node.items():
        if key == "resourceType":
            continue
        if key.startswith("_"):  # a primitive's id and extensions
            for item_path, item in _items(value, f"{path}.{key}"):
                if isinstance(item, dict):
                    _walk(d, item, "Element", item_path, found)
            continue
        element_path = f"{base}.{key}"
        element = d.elements.get(element_path)
        if element is None:
            if element_path not in d.choices:
                continue  # an unknown element: [schema] and [model] report it
            element_path, type_ = d.choices[element_path]
            element = d.elements[element_path]
        else:
            type_ = element.types[0] if len(element.types) == 1 else None
        if element.content_reference:
            element_path = element.content_reference
        for item_path, item in _items(value, f"{path}.{key}"):
            if element.value_set:
                _check_code(d, item, type_, element.value_set, item_path, found)
            if not isinstance(item, dict):
                continue
            if element_path in d.parents:
                _walk(d, item, element_path, item_path, found)
            elif isinstance(item.get("resourceType"), str):
                if item["resourceType"] in d.structures:
                    _walk(d, item, item["resourceType"], item_path, found)
            elif type_ in d.structures:
                _walk(d, item, type_, item_path, found)


def _check_code(
    d: _Definitions, item, type_: str | None, value_set: str, path: str, found: list[str]
) -> None:
    if value_set in SKIPPED_VALUE_SETS:
        grammar = GRAMMARS.get(value_set)
        if grammar and isinstance(item, str) and not grammar.fullmatch(item):
            found.append(f"[value set] {path}: {item!r} is not a code of {value_set}")
        return
    allowed = d.value_sets.get(value_set)
    if isinstance(allowed, str) or allowed is None:
        found.append(
            f"[value set] {path}: cannot check the required value set {value_set} ({allowed}); "
            "list it in SKIPPED_VALUE_SETS with the reason"
        )
        return
    if isinstance(item, str):  # code (the system is implied by the binding)
        if item not in {code for _, code in allowed}:
            found.append(f"[value set] {path}: {item!r} is not in {_describe(value_set, allowed)}")
        return
    if not isinstance(item, dict) or type_ not in ("Coding", "CodeableConcept"):
        return
    codings = item.get("coding") if type_ == "CodeableConcept" else [item]
    pairs = [(c.get("system"), c.get("code")) for c in codings or [] if isinstance(c, dict)]
    if not any(pair in allowed for pair in pairs):
        found.append(
            f"[value set] {path}: no coding {pairs or '(none)'} is in "
            f"{_describe(value_set, allowed)}"
        )


def _describe(value_set: str, allowed: frozenset[tuple[str, str]]) -> str:
    listed = sorted(f"{system}#{code}" for system, code in allowed)
    more = f", … {len(listed) - MAX_LISTED_CODES} more" if len(listed) > MAX_LISTED_CODES else ""
    return f"the required value set {value_set} ({', '.join(listed[:MAX_LISTED_CODES])}{more})"


# --- helpers --------------------------------------------------------------------------------


def _require(path: Path) -> Path:
    if not path.exists():
        raise FileNotFoundError(
            f"The FHIR R4 definitions are missing ({path}): run `make bootstrap`, which fetches "
            "them with scripts/fhir-definitions.sh."
        )
    return path


def _items(value, path: str) -> Iterator[tuple[str, object]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield f"{path}[{i}]", item
    else:
        yield path, value


def _join(path: str, location) -> str:
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _short(value, limit: int = 80) -> str:
    text = value if isinstance(value, str) and limit > 80 else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
