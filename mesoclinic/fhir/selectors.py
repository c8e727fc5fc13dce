"""Reads of FHIR resources: a search page and a single read, through each source's scoped
queryset (the one scoping rule), keyset-paginated, audited as the JSON API audits its reads."""

from dataclasses import dataclass, field
from functools import reduce
from operator import and_

from django.db.models import Q

from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.fhir import filters
from mesoclinic.fhir.outcome import gone, not_found
from mesoclinic.fhir.registry import ResourceType, Source
from mesoclinic.fhir.search import Query

VIA = Interface.FHIR


@dataclass
class Page:
    rows: list = field(default_factory=list)  # (source, row) pairs, in page order
    next_cursor: tuple[int, int] | None = None
    total: int | None = None
    #: A computed type's page: the resources themselves (`rows` stays empty).
    resources: list[dict] | None = None

    def matches(self) -> list[dict]:
        if self.resources is not None:
            return self.resources
        return [source.to_resource(row) for source, row in self.rows]


def source_conditions(resource_type: ResourceType, source: Source, query: Query) -> Q | None:
    """Every parameter of the query as one condition on `source`, or None when the source cannot
    answer one of them (it then contributes nothing)."""
    conditions = []
    for name, values in query.params.items():
        if name == "_id":
            conditions.append(_id_condition(source, values))
            continue
        if name == "_lastUpdated":
            condition = filters.date(source.updated)
        else:
            condition = source.filters.get(name)
            if condition is None:
                return None
        conditions.extend(condition(value) for value in values)
    return reduce(and_, conditions, Q())


def _id_condition(source: Source, values: list[str]) -> Q:
    result = Q()
    for value in values:
        pks = [source.pk_of(ident) for ident in value.split(",")]
        result &= Q(pk__in=[pk for pk in pks if pk is not None])
    return result


def search_page(user, resource_type: ResourceType, query: Query) -> Page:
    """One page: sources in order, each newest first, continuing from the cursor. One query per
    source reached (plus its prefetches), one more to learn whether a later source has rows when
    a page ends exactly at a source's end; `_total=accurate` adds one COUNT per source."""
    if resource_type.computed is not None:
        return resource_type.computed.search(user, query)
    page = Page()
    start_source, before = query.cursor or (0, None)
    wanted = query.count
    sources = resource_type.sources
    for index in range(start_source, len(sources)):
        source = sources[index]
        condition = source_conditions(resource_type, source, query)
        if condition is None:
            continue
        rows_qs = source.queryset(user).filter(condition).order_by("-pk")
        if index == start_source and before is not None:
            rows_qs = rows_qs.filter(pk__lt=before)
        if wanted == 0:
            break
        rows = list(rows_qs[: wanted + 1])
        page.rows.extend((source, row) for row in rows[:wanted])
        if len(rows) > wanted:
            page.next_cursor = (index, rows[wanted - 1].pk)
            break
        wanted -= len(rows)
        if wanted == 0:
            if _any_later(user, resource_type, query, index + 1):
                # The next source from its top: the largest id a cursor may carry (18 digits).
                page.next_cursor = (index + 1, 10**18 - 1)
            break
    if query.total != "none":
        page.total = count(user, resource_type, query)
    return page


def _any_later(user, resource_type: ResourceType, query: Query, first: int) -> bool:
    for source in resource_type.sources[first:]:
        condition = source_conditions(resource_type, source, query)
        if condition is not None and source.queryset(user).filter(condition).exists():
            return True
    return False


def count(user, resource_type: ResourceType, query: Query) -> int:
    total = 0
    for source in resource_type.sources:
        condition = source_conditions(resource_type, source, query)
        if condition is not None:
            total += source.queryset(user).filter(condition).count()
    return total


def audit_search(user, resource_type: ResourceType, page: Page) -> None:
    """One LIST row per page read, as the JSON API's lists: the type and how many rows, never
    the search terms."""
    if not resource_type.audited:
        return
    # The model of the rows shown (Observation's come from three), else the first source's.
    model = type(page.rows[0][1]) if page.rows else resource_type.sources[0].queryset(user).model
    record_event(
        actor=user,
        action=Action.LIST,
        via=VIA,
        object_type=model._meta.label_lower,
        detail={"results": len(page.rows), "fhir": resource_type.name},
    )


def audit_read(user, resource_type: ResourceType, row) -> None:
    """One VIEW row naming the record shown (patient data only: the directory is not audited)."""
    if resource_type.audited:
        record_event(actor=user, action=Action.VIEW, via=VIA, instance=row)


def read(user, resource_type: ResourceType, ident: str):
    """(source, row) for `ident` if `user` may see it, with the read audited. Otherwise 404 (or
    410 for a row withdrawn from use), audited as denied: a missing record and another clinic's
    look the same from outside. A computed type answers (None, resource)."""
    if resource_type.computed is not None:
        resource = resource_type.computed.read(user, ident)
        if resource is None:
            raise not_found(f"{resource_type.name}/{ident} is not known to this server.")
        return None, resource
    found = resource_type.source_for(ident)
    if found is not None:
        source, pk = found
        row = source.queryset(user).filter(pk=pk).first()
        if row is not None:
            audit_read(user, resource_type, row)
            return source, row
        withdrawn = source.gone is not None and source.gone(user).filter(pk=pk).exists()
        if resource_type.audited:
            # Both the 404 and the 410 are refusals to show the record: audited as denied.
            model = source.queryset(user).model
            record_event(
                actor=user,
                action=Action.DENIED,
                via=VIA,
                object_type=model._meta.label_lower,
                object_id=pk,
                detail={"archived": True} if withdrawn else None,
            )
        if withdrawn:
            raise gone(f"{resource_type.name}/{ident} was withdrawn from use (archived).")
    raise not_found(f"{resource_type.name}/{ident} is not known to this server.")
