"""The OpenAPI schema made to say what the API does, once for every operation (issue 21: a
schemathesis run with every check finds the schema and the answers in agreement).

`document_errors` is a drf-spectacular postprocessing hook (settings.SPECTACULAR_SETTINGS). It
adds the error answers every operation can give, unless the operation documents its own:

- 401 without credentials, 403 without the role (or with a read-only token for a write), 429
  past the rate limit: every operation, since all of them authenticate and are throttled;
- 400 for what cannot be read: a bad body or query parameter, or a NUL character anywhere in
  the query string or cookies (refused before any view, `core.middleware`), so every operation;
- 404 where something is looked up: an id or slug in the path, or a page's cursor;
- 415 where there is a body: a media type the operation does not parse.

It also states times of day as they are sent. DRF writes a `TimeField` as "HH:MM:SS" (local
time, no offset), which is not the RFC 3339 `full-time` that `format: time` promises, so such a
field becomes a string with the pattern it really has. A decimal string's pattern, as
drf-spectacular writes it, also matches "" and "-", which DRF refuses: it asks for a digit.
Any other text a client sends is given a pattern without NUL: a request with one is a 400.

`ClosedObjectExtension` marks the request bodies the API reads strictly (an unknown key is a 400,
so a typo cannot hide a clinical fact) as `additionalProperties: false`.
"""

import re

from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from rest_framework import serializers

ERROR = "Error"
FIELD_ERRORS = "FieldErrors"

#: How DRF writes a naive `datetime.time`: "HH:MM:SS", and ".ffffff" when it has microseconds.
TIME_OF_DAY = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?$",
    "example": "09:30:00",
}

_COMPONENTS = {
    ERROR: {
        "type": "object",
        "description": "Why the request was refused, in one sentence.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    FIELD_ERRORS: {
        "type": "object",
        "description": "Field errors keyed by field (or query parameter) name, each a list of "
        'messages, e.g. {"page_size": ["A page size is a whole number from 1 to 200."]}; '
        'errors of the request as a whole under "non_field_errors", or a single "detail".',
        "additionalProperties": {},
    },
}

_COMMON = {
    "400": (FIELD_ERRORS, "What was sent is not valid: every bad field or parameter, by name."),
    "401": (ERROR, "No credentials, or credentials that are not valid."),
    "403": (ERROR, "Your role (or a read-only token) does not allow this."),
    "429": (ERROR, "Too many requests: wait the seconds Retry-After gives."),
}
_NOT_FOUND = (ERROR, "Not found, or not at a clinic you may see.")
_UNSUPPORTED = (ERROR, "The body's media type is not one the operation reads.")

_METHODS = ("get", "put", "post", "patch", "delete")


def _response(component: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def _errors_of(operation: dict, path_parameters: list) -> dict[str, tuple[str, str]]:
    parameters = path_parameters + operation.get("parameters", [])
    places = {parameter["in"] for parameter in parameters}
    names = {parameter["name"] for parameter in parameters}
    errors = dict(_COMMON)
    if "path" in places or "cursor" in names:
        errors["404"] = _NOT_FOUND
    if "requestBody" in operation:
        errors["415"] = _UNSUPPORTED
    return errors


#: Text anywhere in the API: a NUL (U+0000) is refused with 400, in a body (DRF's CharField) as
#: in the query string (`core.middleware`), because PostgreSQL cannot store or compare it.
NO_NUL = "^[^\\u0000]*$"

#: drf-spectacular's pattern for a decimal string, which also matches "" and "-".
_LOOSE_DECIMAL = re.compile(r"\^-\?\\d\{0,(\d+)\}\(\?:\\\.\\d\{0,(\d+)\}\)\?\$")


def _decimal_pattern(pattern: str) -> str:
    """The same pattern with at least one digit, as DRF's DecimalField requires."""
    loose = _LOOSE_DECIMAL.fullmatch(pattern)
    if loose is None:
        return pattern
    whole, places = loose.groups()
    if int(places) == 0:
        return rf"^-?\d{{1,{whole}}}\.?$"
    return rf"^-?(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"


def _no_nul(node) -> None:
    """Every plain string below `node` (no pattern, format or enum of its own) excludes NUL."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "format", "enum"} & set(node):
            node["pattern"] = NO_NUL
        for value in node.values():
            _no_nul(value)
    elif isinstance(node, list):
        for value in node:
            _no_nul(value)


def _true_strings(node) -> None:
    """Below `node`: every `format: time` becomes the pattern DRF's TimeField writes, and every
    decimal string's pattern asks for a digit."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            del node["format"]
            for key, value in TIME_OF_DAY.items():
                node.setdefault(key, value)
            node.setdefault("description", "A local time of day, HH:MM:SS.")
        if node.get("format") == "decimal" and isinstance(node.get("pattern"), str):
            node["pattern"] = _decimal_pattern(node["pattern"])
        for value in node.values():
            _true_strings(value)
    elif isinstance(node, list):
        for value in node:
            _true_strings(value)


def document_errors(result, generator, request, public):
    """The postprocessing hook: error answers on every operation, true times and decimals."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in _COMPONENTS.items():
        schemas.setdefault(name, schema)
    for item in result.get("paths", {}).values():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            # What a client sends: parameters and bodies (request components below).
            _no_nul([item.get("parameters", []), operation.get("parameters", [])])
            _no_nul(operation.get("requestBody", {}))
            responses = operation.setdefault("responses", {})
            for code, (component, description) in _errors_of(
                operation, item.get("parameters", [])
            ).items():
                responses.setdefault(code, _response(component, description))
    for name, schema in schemas.items():
        if name.endswith("Request"):  # COMPONENT_SPLIT_REQUEST: a body's own component
            _no_nul(schema)
    _true_strings(result)
    return result


# A request body read strictly: any key it does not name is refused (400). The schema says so
# with `additionalProperties: false`, so a client (or a fuzzer) knows. (A comment, not a
# docstring: drf-spectacular would show a docstring as every subclass's description.)
class ClosedObject(serializers.Serializer):
    pass


class ClosedObjectExtension(OpenApiSerializerExtension):
    target_class = ClosedObject
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["additionalProperties"] = False
        return schema


class WritableSubsetChoiceField(serializers.ChoiceField):
    """A choice field that shows every choice but takes only `writable` ones from a client
    (a stock movement's kind: "received" is written by receiving a lot, never posted). The
    schema gives each direction its own enum."""

    def __init__(self, *, choices, writable, **kwargs):
        super().__init__(choices=choices, **kwargs)
        self.writable = [value for value in self.choices if value in set(writable)]

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value not in self.writable:
            self.fail("invalid_choice", input=data)
        return value


class WritableSubsetChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = WritableSubsetChoiceField

    def map_serializer_field(self, auto_schema, direction):
        values = self.target.writable if direction == "request" else list(self.target.choices)
        return {**build_basic_type(str), "enum": values}
