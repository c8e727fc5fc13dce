"""Reading the authorization matrix (`authorization_matrix.txt`) and listing what it must cover.

What must be covered comes from the code, never from the table: every URL pattern the resolver
knows (each view's HTTP methods; the public pages under every language prefix), every operation
of the OpenAPI schema (path × method), and every admin route by name in
`authorization_matrix_admin.txt`. A route with no row, or a row with no route, fails the
completeness test, which names it.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern
from django.views.generic import RedirectView

HERE = Path(__file__).resolve().parent
TABLE = HERE / "authorization_matrix.txt"
ADMIN_TABLE = HERE / "authorization_matrix_admin.txt"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: The cells a row may hold. A number is that exact status; `login` is a redirect to a login
#: page; `ok` is "let in": the view ran (2xx, a redirect elsewhere, or 400/415 for the empty
#: body a POST sends); `deny` is refused without a page (`login`, 401 or 403); `verify` is a
#: redirect to the second-factor verify or enrol page.
STATUSES = (200, 201, 204, 302, 400, 401, 403, 404, 405)
CELLS = {"login", "verify", "ok", "deny"} | {str(status) for status in STATUSES}
LANG = "<lang>/"
#: The admin site's gate: administrators in, everyone else to its login page.
ADMIN_RULE = {
    "anonymous": "login",
    "receptionist": "login",
    "practitioner": "login",
    "manager": "login",
    "administrator": "200",
    "outsider_reception": "login",
    "outsider_practitioner": "login",
    "patient": "login",
}
API = "/api/v1/"


@dataclass(frozen=True)
class Row:
    method: str
    route: str
    data: bool
    expect: dict  # role -> cell
    fill: dict  # URL parameter -> world value name, or 'literal'
    line: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.route)

    @property
    def languages(self) -> tuple[str, ...]:
        return ("en", "ur") if self.route.startswith("/" + LANG) else ("en",)

    def url(self, values: dict, language: str = "en") -> str:
        """The row's route with its parameters filled from the world's values."""

        def value(name: str) -> str:
            source = self.fill[name]
            if source.startswith("'"):
                return source.strip("'")
            return str(values[source])

        path = self.route.replace(LANG, f"{language}/")
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path)
        path = re.sub(r"\{(\w+)\}", lambda m: value(m.group(1)), path)
        return path


def read_table(roles: tuple[str, ...], path: Path = TABLE) -> list[Row]:
    """The rows: `METHOD ROUTE DATA <one cell per role> FILL` (FILL: `-` or name=value,…)."""
    lines = enumerate(path.read_text().splitlines(), start=1)
    stripped = ((number, text.split("#", 1)[0].strip()) for number, text in lines)
    return read_table_lines(roles, [(n, text) for n, text in stripped if text], path.name)


def read_table_lines(roles, lines, name: str) -> list[Row]:
    rows = []
    for number, text in lines:
        method, route, data, *cells, fill = text.split()
        if len(cells) != len(roles) or method not in METHODS or data not in ("yes", "no"):
            raise ValueError(f"{name}:{number}: malformed row: {text!r}")
        unknown = set(cells) - CELLS
        if unknown:
            raise ValueError(f"{name}:{number}: unknown cell(s) {sorted(unknown)}")
        pairs = [] if fill == "-" else [part.split("=", 1) for part in fill.split(",")]
        rows.append(
            Row(
                method,
                route,
                data == "yes",
                dict(zip(roles, cells, strict=True)),
                dict(pairs),
                number,
            )
        )
    return rows


def read_admin(roles: tuple[str, ...], path: Path = ADMIN_TABLE) -> list[Row]:
    """The admin's routes, one a line: a bare route is a GET held to ADMIN_RULE (the admin
    site's one gate); a full row, as in the main table, says otherwise for that route."""
    rows = []
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        text = text.split("#", 1)[0].strip()
        if not text:
            continue
        if " " not in text:
            text = f"GET {text} no {' '.join(ADMIN_RULE[role] for role in roles)} -"
        with_number = read_table_lines(roles, [(number, text)], path.name)
        rows.extend(with_number)
    return rows


# --- what the code serves ---------------------------------------------------------------------


def readable_route(text: str) -> str:
    """Regex parts of a route as a route: `^patients/(?P<pk>[^/.]+)/$` → `patients/<pk>/`."""
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text)
    # An escaped `$` is a literal one (FHIR's `$export`), not the end anchor.
    text = text.replace("\\$", "\0")
    text = text.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
    return text.replace("\0", "$")


def _readable(pattern) -> str:
    if isinstance(pattern, LocalePrefixPattern):
        return LANG
    text = str(pattern)
    return readable_route(text) if isinstance(pattern, RegexPattern) else text


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + _readable(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + _readable(entry.pattern), entry.callback


def served_routes() -> dict[str, object]:
    """route → view callback, for every pattern the resolver knows, format suffixes folded into
    their route (`patients.<format>/` is `patients/`: the same view and the same decision)."""
    routes = {}
    for route, callback in _walk(get_resolver().url_patterns):
        if re.search(r"<(\w+:)?format>", route):
            continue
        routes.setdefault("/" + route, callback)
    return routes


def methods_of(callback) -> tuple[str, ...] | None:
    """The methods a class-based view answers (None for a function view: the table says)."""
    if getattr(callback, "actions", None):  # a DRF viewset route
        return tuple(sorted(m.upper() for m in callback.actions))
    view = getattr(callback, "view_class", None)
    if view is None:
        return None
    if issubclass(view, RedirectView):
        return ("GET",)
    allowed = set(view.http_method_names)
    return tuple(m for m in METHODS if m.lower() in allowed and hasattr(view, m.lower()))


def is_admin(route: str) -> bool:
    return route.startswith("/admin/")


def schema_operations() -> set[tuple[str, str]]:
    """(METHOD, path without the leading slash) for every operation the API documents."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method.upper() in METHODS
    }


def shape(route: str) -> str:
    """A route with its parameters erased, so `patients/<pk>/` meets `patients/{id}/`."""
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", route)


def required_keys() -> tuple[set, set, list]:
    """(rows the code needs, routes whose methods the table decides, admin routes)."""
    operations = schema_operations()
    documented = {shape(path) for _, path in operations}
    needed = set(operations)
    free = set()  # function views: the table says which methods
    admin = []
    for route, callback in served_routes().items():
        if is_admin(route):
            admin.append(route)
            continue
        if route.startswith(API) and shape(route) in documented:
            continue  # its operations come from the schema
        methods = methods_of(callback)
        if methods is None:
            free.add(route)
        else:
            needed |= {(method, route) for method in methods}
    return needed, free, admin


def coverage_problems(rows: list[Row], admin_rows: list[Row]) -> list[str]:
    """What the tables miss (a route or operation with no row, an admin route not named) and
    what they hold in vain (a row whose route or method is gone), one message each."""
    needed, free, admin = required_keys()
    have = {row.key for row in rows}
    missing = sorted(needed - have, key=lambda key: (key[1], key[0]))
    missing += sorted(("GET", route) for route in free if all(r != route for _, r in have))
    gone = [row for row in rows if row.key not in needed and row.route not in free]
    named = {row.route for row in admin_rows}
    messages = [
        f"{method} {route}: no row in {TABLE.name}; add one saying what each role gets"
        for method, route in missing
    ]
    messages += [
        f"{TABLE.name}:{row.line}: {row.method} {row.route} is not served any more; remove it"
        for row in sorted(gone, key=lambda row: row.line)
    ]
    messages += [
        f"{route}: an admin route not in {ADMIN_TABLE.name}; add it"
        for route in sorted(set(admin) - named)
    ]
    messages += [
        f"{route}: in {ADMIN_TABLE.name} but not served" for route in sorted(named - set(admin))
    ]
    return messages
