"""The resource types the server offers, each declared once: where its rows come from, how a
row becomes a resource, which searches and writes it takes. The views, the CapabilityStatement
and the bulk export all read this registry, so the CapabilityStatement cannot list what the
server does not do, and a type the server offers cannot be left out of an export.

A type may be backed by several models (Observation: outcome scores and the consultation's
Fitzpatrick type); each is a `Source` whose ids carry its `prefix` ("score-12")."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from mesoclinic.fhir.filters import Filter


@dataclass(frozen=True)
class SearchParam:
    """One search parameter as the CapabilityStatement lists it."""

    name: str
    type: str  # number | date | string | token | reference | composite | quantity | uri
    documentation: str
    definition: str = ""  # the canonical SearchParameter URL, for the standard ones


@dataclass(frozen=True)
class Source:
    """One model behind a resource type.

    `queryset(user)` is the scoped read (the model's `for_user`, via its selector), with what
    `to_resource` needs selected or prefetched: constant queries per page. `filters` maps each
    search parameter this source supports to its condition; a search using a parameter a source
    lacks finds nothing in that source. `updated` is the field holding the row's last change
    (`_lastUpdated`, `_since`, `meta.lastUpdated`); `patient`/`clinic` the paths to the patient
    and the clinic ids, for the Patient and Group exports. A Group is a clinic's registered
    patients, so a patient's record names the clinic the PATIENT is registered at
    (`patient__registered_clinic_id`), not where the event happened: a Group export holds only
    its members' data and every Patient it references; only the directory uses `clinic_id`."""

    queryset: Callable[[Any], QuerySet]
    to_resource: Callable[[Any], dict]
    filters: Mapping[str, Filter] = field(default_factory=dict)
    prefix: str = ""
    updated: str = "updated_at"
    patient: str | None = None
    clinic: str | None = None
    #: Rows this user may no longer see because they were withdrawn from use (an archived
    #: patient): a read answers 410 Gone rather than 404 (None: never).
    gone: Callable[[Any], QuerySet] | None = None

    def id_of(self, pk: int) -> str:
        return f"{self.prefix}-{pk}" if self.prefix else str(pk)

    def pk_of(self, ident: str) -> int | None:
        """The primary key `ident` names in this source, or None: "score-12" → 12 when the
        prefix is "score", "12" → 12 when there is none ("-12" names nothing)."""
        prefix, sep, number = ident.rpartition("-")
        named_here = (prefix == self.prefix and sep) if self.prefix else not sep
        if named_here and number.isascii() and number.isdigit() and len(number) <= 18:
            return int(number)
        return None


@dataclass(frozen=True)
class Computed:
    """A type whose resources are worked out when asked, not stored rows (a free Slot is what
    the availability rules leave free, so there is no queryset to page through).

    `search(user, query) -> selectors.Page` answers a search with `Page.resources` filled (and
    its own cursor, total and bounds); `read(user, ident) -> dict | None` one resource, None
    when it does not exist or is not the user's (the view answers 404). Both raise
    outcome.FhirError for a request they refuse. `params` are exactly what `search` answers:
    the `_id`/`_lastUpdated` every stored type takes are not added (capability.params_of), and
    the CapabilityStatement says "no-version". Such a type has no `sources`, so the bulk export
    leaves it out: computed resources are not records."""

    search: Callable[[Any, Any], Any]
    read: Callable[[Any, str], dict | None]


@dataclass(frozen=True)
class ResourceType:
    name: str
    sources: tuple[Source, ...]
    params: tuple[SearchParam, ...] = ()
    documentation: str = ""
    profile: str = ""
    #: `create(user, resource) -> row` and `update(user, row, resource) -> row` call the same
    #: services as the pages; they raise outcome.FhirError or Django's ValidationError.
    create: Callable[[Any, dict], Any] | None = None
    update: Callable[[Any, Any, dict], Any] | None = None
    #: `_include` values → `include(user, rows) -> resources`; one or two queries per page.
    includes: Mapping[str, Callable[[Any, list], Iterable[dict]]] = field(default_factory=dict)
    #: Reads and searches write audit rows (patient data); the clinic directory does not.
    audited: bool = True
    #: Set for a computed type (then `sources` is empty): selectors and views call it instead.
    computed: Computed | None = None

    def source_for(self, ident: str) -> tuple[Source, int] | None:
        """The source and primary key an id names, or None when it names nothing we serve."""
        for source in self.sources:
            pk = source.pk_of(ident)
            if pk is not None:
                return source, pk
        return None


_TYPES: dict[str, ResourceType] = {}


def register(resource_type: ResourceType) -> ResourceType:
    if resource_type.computed is not None and (
        resource_type.sources
        or resource_type.audited
        or resource_type.create
        or resource_type.update
    ):  # pragma: no cover - a declaration mistake, caught when the app loads
        raise ValueError(f"{resource_type.name}: a computed type has no sources, audit or writes")
    names = {param.name for param in resource_type.params}
    for source in resource_type.sources:
        unknown = set(source.filters) - names
        if unknown:  # pragma: no cover - a declaration mistake, caught when the app loads
            raise ValueError(f"{resource_type.name}: filters for undeclared params {unknown}")
    _TYPES[resource_type.name] = resource_type
    return resource_type


def get(name: str) -> ResourceType | None:
    return _TYPES.get(name)


def all_types() -> list[ResourceType]:
    return sorted(_TYPES.values(), key=lambda item: item.name)


def nothing() -> Q:
    return Q(pk__in=[])


def everything() -> Q:
    """True for every row. Not `Q()`: an empty Q vanishes when OR-ed (`Q() | nothing()` is
    nothing), so a token list like `completed,other` would find no row at all."""
    return Q(pk__isnull=False)


@dataclass(frozen=True)
class Operation:
    """An operation the CapabilityStatement lists (`$export`): at the system level, or on
    `resource` ("Patient", "Group")."""

    name: str
    definition: str
    documentation: str
    resource: str | None = None


_OPERATIONS: list[Operation] = []


def register_operation(operation: Operation) -> Operation:
    if operation not in _OPERATIONS:
        _OPERATIONS.append(operation)
    return operation


def all_operations() -> list[Operation]:
    return list(_OPERATIONS)
