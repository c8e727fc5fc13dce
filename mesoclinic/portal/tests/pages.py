"""The table of the portal's pages: every route under /<language>/portal/, how to fill its URL
parameters from the test world, and whether a signed-in patient is needed to see it.

The routes come from the resolver, never from this table (`portal_routes`): a route with no
entry here, or an entry for a route that is gone, fails `test_pages.py`, which names it. The
checks that hold every page to the bar (`test_pages.py`: size, no script, language and
direction, one heading, labelled fields, no caching, no one else's data; `test_accessibility.py`:
axe in Chromium) run over this table, so a new page is held to them as soon as it has its line.

To add a page: one `Page` line below, its parameters named from `values` (and, for the
other-patient check, `others`); add a name to both when the page needs a record the world
does not have yet (build it in `portal_world`, portal/tests/conftest.py, through the owning
app's services).
"""

from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse

NAMESPACE = "portal"


@dataclass(frozen=True)
class Page:
    """One portal route: its url name (in the `portal` namespace), which world value fills
    each URL parameter (`{"pk": "record"}`), and whether it is a page for the signed-in
    patient (anyone else is sent to sign in) or a public one (sign-in)."""

    name: str
    signed_in: bool = True
    fill: dict = field(default_factory=dict)
    #: Why the GET checks do not visit it, when a page is only reached from a step before it
    #: (a code page needs a sign-in attempt in the session): its own slice's tests hold it to
    #: the bar (size, axe) on the way there.
    reached_by_a_step: str = ""

    def url(self, values: dict, language: str) -> str:
        from django.utils import translation

        with translation.override(language):
            return reverse(
                f"{NAMESPACE}:{self.name}",
                kwargs={param: values[source] for param, source in self.fill.items()},
            )


#: Every portal route. Sign-out answers POST only: it is in the table (the completeness test
#: needs it) and left out of the GET checks by its view, which has no `get`.
PAGES = (
    Page("home"),
    # Sign-in (views/signin.py).
    Page("sign_in", signed_in=False),
    Page("sign_in_code", signed_in=False, reached_by_a_step="a code request in the session"),
    Page("verify", signed_in=False, reached_by_a_step="a sign-in with a second factor"),
    Page("sign_out", signed_in=False),
    Page("authenticator"),
    # Report a side effect (views/sidefx.py).
    Page("report"),
    Page("report_sent", fill={"pk": "check_in"}, reached_by_a_step="a report sent"),
    # My treatment (views/treatment.py); the downloads are files, not pages.
    Page("record", fill={"pk": "record"}),
    Page("consent_pdf", fill={"pk": "download"}, reached_by_a_step="a download (a PDF)"),
    Page("photo", fill={"pk": "download"}, reached_by_a_step="a download (an image)"),
    Page("photo_thumbnail", fill={"pk": "download"}, reached_by_a_step="a download (an image)"),
    # Bookings (views/bookings.py): the list here; the pages of one appointment or course
    # are asked by the matrix (the patient's own and another's) and their slice's tests.
    Page("bookings"),
    Page("booking_confirm", fill={"pk": "download"}, reached_by_a_step="a POST from the list"),
    Page("booking_move", fill={"pk": "download"}, reached_by_a_step="an appointment of theirs"),
    Page("booking_cancel", fill={"pk": "download"}, reached_by_a_step="an appointment of theirs"),
    Page("booking_next", fill={"pk": "download"}, reached_by_a_step="a course of theirs"),
    # My data (views/mydata.py).
    Page("my_data"),
    Page("export_json", reached_by_a_step="a download (JSON)"),
    Page("export_pdf", reached_by_a_step="a download (a PDF)"),
    Page("access_log"),
    Page("data_request_new"),
    Page("data_request", fill={"pk": "download"}, reached_by_a_step="a request sent"),
    Page("contact_prefs"),
)
BY_NAME = {page.name: page for page in PAGES}


def _walk(patterns, namespaces=()):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            spaces = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry.url_patterns, spaces)
        elif isinstance(entry, URLPattern) and namespaces and namespaces[-1] == NAMESPACE:
            yield entry.name, entry.callback


def portal_routes() -> dict[str, object]:
    """url name → view callback, for every pattern the resolver knows in the portal."""
    return dict(_walk(get_resolver().url_patterns))


def answers_get(name: str) -> bool:
    """Whether the route's view answers GET (a class-based view with `get`)."""
    view = getattr(portal_routes()[name], "view_class", None)
    return view is None or hasattr(view, "get")


def get_pages() -> list[Page]:
    """The pages the GET checks visit, in table order."""
    return [page for page in PAGES if answers_get(page.name) and not page.reached_by_a_step]


def coverage_problems() -> list[str]:
    """A portal route with no line here, or a line for a route no longer served."""
    served = set(portal_routes())
    named = set(BY_NAME)
    return [
        f"portal:{name}: no line in portal/tests/pages.py (PAGES); add one"
        for name in sorted(served - named)
    ] + [f"portal:{name}: in PAGES but not served; remove it" for name in sorted(named - served)]


def values(world) -> dict:
    """The patient's own values, by the names the table's `fill` uses."""
    # A sent report exists only after a report (its page is reached by that step): any id
    # resolves the route; sidefx's tests and the matrix visit the real ones.
    return {"record": world.at_a.pk, "record_b": world.at_b.pk, "check_in": 0, "download": 0}


def others(world) -> dict:
    """The same names, filled with someone else's records: the stranger at clinic A (the
    sister who shares the phone is checked by name on every page)."""
    return {"record": world.stranger.pk, "record_b": world.sister.pk, "check_in": 0, "download": 0}
