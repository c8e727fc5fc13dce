"""Search parameters as database conditions: each function here makes the `filter` a Source
declares for one parameter, `(value) -> Q`, from a field path. The view ANDs repeated
parameters; commas inside one value OR together (`search.split_or`). A malformed value is a 400
OperationOutcome naming it, never a 500 or an empty page that looks like "no match"."""

from collections.abc import Callable
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from mesoclinic.fhir import search
from mesoclinic.fhir.outcome import invalid

Filter = Callable[[str], Q]


def _any(value: str, one: Callable[[str], Q]) -> Q:
    return reduce(or_, (one(part) for part in search.split_or(value)))


def date(path: str, *, is_datetime: bool = True) -> Filter:
    """A date or dateTime parameter on `path` (a DateField when `is_datetime` is False)."""

    def condition(part: str) -> Q:
        span = search.parse_date(part, timezone.get_current_timezone())
        start, end = span.start, span.end
        if not is_datetime:
            start, end = start.date(), end.date()
        ranges = {
            "eq": Q(**{f"{path}__gte": start, f"{path}__lt": end}),
            "ap": Q(**{f"{path}__gte": start, f"{path}__lt": end}),
            "ne": ~Q(**{f"{path}__gte": start, f"{path}__lt": end}),
            "gt": Q(**{f"{path}__gte": end}),
            "sa": Q(**{f"{path}__gte": end}),
            "ge": Q(**{f"{path}__gte": start}),
            "lt": Q(**{f"{path}__lt": start}),
            "eb": Q(**{f"{path}__lt": start}),
            "le": Q(**{f"{path}__lt": end}),
        }
        return ranges[span.prefix]

    return lambda value: _any(value, condition)


def token(codes: Callable[[str | None, str], Q]) -> Filter:
    """A token parameter: `codes(system, code)` gives the condition for one `system|code`."""

    def condition(part: str) -> Q:
        system, code = search.parse_token(part)
        return codes(system, code)

    return lambda value: _any(value, condition)


def exact(path: str, *, choices: dict[str, object] | None = None) -> Filter:
    """A token matched to a field's stored value, or through `choices` (FHIR code → value);
    a code outside `choices` matches nothing."""

    def condition(part: str) -> Q:
        _system, code = search.parse_token(part)
        if choices is None:
            return Q(**{path: code})
        if code not in choices:
            return Q(pk__in=[])
        return Q(**{path: choices[code]})

    return lambda value: _any(value, condition)


def reference(path: str, resource_type: str) -> Filter:
    """A reference parameter (`patient=Patient/12`) on a foreign key's id column."""

    def condition(part: str) -> Q:
        ident = search.parse_reference(part, resource_type)
        if not (ident.isascii() and ident.isdigit() and len(ident) <= 18):
            return Q(pk__in=[])
        return Q(**{path: int(ident)})

    return lambda value: _any(value, condition)


def string(*paths: str) -> Filter:
    """A string parameter: starts with, case-insensitive, on any of `paths` (the FHIR default)."""

    def condition(part: str) -> Q:
        if not part.strip():
            raise invalid("A string search parameter needs a value.")
        return reduce(or_, (Q(**{f"{path}__istartswith": part.strip()}) for path in paths))

    return lambda value: _any(value, condition)
