"""Id filters in the query string: read and range-checked here, so no value a client sends
reaches the database out of its range (a foreign-key lookup past a 64-bit integer raises
OverflowError on SQLite: a 500). A value that is not an id answers 400 naming the parameter.
The schema states the same range (`id_parameter`), so a client and the schemathesis run know it.

Ids in the path need no reader: Django answers "no such row" for an out-of-range primary key,
and the viewsets turn that into their 404.
"""

import re

from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from mesoclinic.core.text import MAX_DATABASE_ID

#: The largest value an id column holds (`core.text`, shared with the forms' id checks).
MAX_ID = MAX_DATABASE_ID

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def as_database_id(value) -> int | None:
    """`value` as an id the database can hold (1 to MAX_ID), or None. Only ASCII digits count:
    `int()` would also take " 7", "1_000" and other scripts' digits."""
    text = str(value)
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def is_whole_number(value) -> bool:
    return bool(_WHOLE_NUMBER.fullmatch(str(value)))


def id_filter(request, name: str, *, what: str) -> int | None:
    """The query parameter `name` as an id of a `what` (a lot, a patient), or None when it is
    not given; 400 naming the parameter when it is not an id the database can hold (text such
    as "null" too: the schema says an integer, and an ignored filter would list everything)."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    number = as_database_id(raw)
    if number is None:
        if is_whole_number(raw):
            message = f"A {what} id is a whole number from 1 to {MAX_ID}."
        else:
            message = f"Give a {what} id (a whole number)."
        raise ValidationError({name: [message]})
    return number


def id_parameter(name: str, description: str) -> OpenApiParameter:
    """The schema of an id filter read by `id_filter`: an integer from 1 to MAX_ID."""
    return OpenApiParameter(
        name,
        {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID},
        description=description,
    )
