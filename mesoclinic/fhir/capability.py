"""The CapabilityStatement at /fhir/R4/metadata, built from the registry: it lists exactly the
types, interactions, search parameters and operations the server has, so it cannot claim what
the server does not do (fhir/tests/test_capability.py exercises every line of it)."""

from datetime import UTC, datetime

from mesoclinic.fhir import registry
from mesoclinic.fhir.mapping.common import instant

#: The parameters every type takes (beside its own): the selectors answer them for every source.
COMMON_PARAMS = (
    registry.SearchParam(
        "_id", "token", "The resource's id.", "http://hl7.org/fhir/SearchParameter/Resource-id"
    ),
    registry.SearchParam(
        "_lastUpdated",
        "date",
        "When the resource last changed (eq, ne, gt, ge, lt, le, sa, eb, ap prefixes).",
        "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated",
    ),
)


def params_of(resource_type: registry.ResourceType) -> tuple[registry.SearchParam, ...]:
    """A computed type (free Slots) answers only its own parameters (registry.Computed)."""
    if resource_type.computed is not None:
        return resource_type.params
    return COMMON_PARAMS + resource_type.params


def _resource(resource_type: registry.ResourceType) -> dict:
    interactions = [{"code": "read"}, {"code": "search-type"}]
    if resource_type.create is not None:
        interactions.append({"code": "create"})
    if resource_type.update is not None:
        interactions.append({"code": "update"})
    entry = {
        "type": resource_type.name,
        "interaction": interactions,
        "versioning": "no-version" if resource_type.computed is not None else "versioned",
        "readHistory": False,
        "updateCreate": False,
        "conditionalCreate": resource_type.create is not None,
        "conditionalRead": "not-supported",
        "conditionalUpdate": False,
        "conditionalDelete": "not-supported",
        "searchParam": [_param(param) for param in params_of(resource_type)],
    }
    if resource_type.documentation:
        entry["documentation"] = resource_type.documentation
    if resource_type.profile:
        entry["profile"] = resource_type.profile
    if resource_type.includes:
        entry["searchInclude"] = sorted(resource_type.includes)
    operations = [op for op in registry.all_operations() if op.resource == resource_type.name]
    if operations:
        entry["operation"] = [_operation(op) for op in operations]
    return entry


def _param(param: registry.SearchParam) -> dict:
    item = {"name": param.name, "type": param.type, "documentation": param.documentation}
    if param.definition:
        item["definition"] = param.definition
    return item


def _operation(operation: registry.Operation) -> dict:
    return {
        "name": operation.name,
        "definition": operation.definition,
        "documentation": operation.documentation,
    }


def capability_statement(base: str, *, software_version: str) -> dict:
    system_operations = [op for op in registry.all_operations() if op.resource is None]
    rest = {
        "mode": "server",
        "documentation": (
            "Every clinic's records for the staff who may see them, scoped and audited as the "
            "JSON API is. Searches are lenient: unknown parameters are ignored and named in an "
            "OperationOutcome entry."
        ),
        "security": {
            "cors": False,
            "description": (
                "Send an API token as `Authorization: Bearer <token>` (or `Token <token>`), or "
                "use a signed-in staff session. Without either every request but this one is "
                "401; a read-only token reads only."
            ),
        },
        "resource": [_resource(item) for item in registry.all_types()],
    }
    if system_operations:
        rest["operation"] = [_operation(op) for op in system_operations]
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": instant(datetime.now(UTC)),
        "publisher": "mesoclinic",
        "kind": "instance",
        "software": {"name": "mesoclinic", "version": software_version},
        "implementation": {"description": "mesoclinic FHIR R4 server", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [rest],
    }
