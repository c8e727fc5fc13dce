"""Searchset Bundles (http://hl7.org/fhir/R4/bundle.html). Pure: no Django."""

from urllib.parse import urlencode

from mesoclinic.fhir.outcome import issue, outcome
from mesoclinic.fhir.search import Query, format_cursor


def search_url(base: str, type_name: str, query: Query, cursor: tuple[int, int] | None) -> str:
    """The URL of a page: the parameters the server used (ignored ones left out, as the
    search spec asks of a self link), `_count`, and the page's cursor."""
    pairs = [(name, value) for name, values in query.params.items() for value in values]
    pairs += [("_include", value) for value in query.includes]
    if query.total != "none":
        pairs.append(("_total", query.total))
    pairs.append(("_count", str(query.count)))
    if cursor is not None:
        pairs.append(("_cursor", format_cursor(*cursor)))
    return f"{base}/{type_name}?{urlencode(pairs)}"


def searchset(
    *,
    base: str,
    type_name: str,
    query: Query,
    matches: list[dict],
    included: list[dict],
    next_cursor: tuple[int, int] | None,
    total: int | None,
) -> dict:
    links = [{"relation": "self", "url": search_url(base, type_name, query, query.cursor)}]
    if next_cursor is not None:
        links.append({"relation": "next", "url": search_url(base, type_name, query, next_cursor)})
    entries = [_entry(base, resource, "match") for resource in matches]
    entries += [_entry(base, resource, "include") for resource in included]
    if query.ignored:
        entries.append(
            {
                "resource": outcome(
                    [
                        issue(
                            "not-supported",
                            f"Ignored, not supported here: {', '.join(query.ignored)}.",
                            severity="warning",
                        )
                    ]
                ),
                "search": {"mode": "outcome"},
            }
        )
    bundle = {"resourceType": "Bundle", "type": "searchset", "link": links, "entry": entries}
    if total is not None:
        bundle["total"] = total
    if not entries:
        del bundle["entry"]
    return bundle


def _entry(base: str, resource: dict, mode: str) -> dict:
    return {
        "fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": {"mode": mode},
    }
