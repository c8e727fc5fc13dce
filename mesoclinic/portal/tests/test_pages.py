"""Every portal page, in English and in Urdu, holds the bar the issue sets: it answers, it is
small on a cheap phone's data plan, it works without JavaScript, a screen reader knows its
language, direction, heading and every field's name, a shared phone's browser does not keep it,
and it names no one but the patient signed in.

The pages come from the table (`pages.py`), which must name every route the portal serves: a
slice's new page joins these checks with its one line there.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from mesoclinic.portal.tests import pages

LANGUAGES = {"en": "ltr", "ur": "rtl"}
#: The issue's bar: every page under 100 KB, its CSS included, the Urdu font not.
MAX_BYTES = 100 * 1024
#: Form controls that a person fills or picks (hidden fields and buttons carry no label).
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}
#: Latin words an Urdu page may show as they are: the link to the English page, the brand.
LATIN_ALLOWED = ("English", "mesoclinic")
LATIN = re.compile(r"[A-Za-z]{2,}")
#: An authenticator app's key, shown in groups of four to be typed as it is in any language.
AUTHENTICATOR_KEY = re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$")


def visits():
    """(page, language, visitor) for every GET page: as the signed-in patient, and anonymous
    for the public ones."""
    for page in pages.get_pages():
        for language in LANGUAGES:
            yield pytest.param(page, language, "patient", id=f"{page.name}-{language}-patient")
            if not page.signed_in:
                yield pytest.param(
                    page, language, "anonymous", id=f"{page.name}-{language}-anonymous"
                )


class Outline(HTMLParser):
    """What the checks read from a page: its <html> attributes, headings, scripts, styles,
    and each form control with whether something names it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html = {}
        self.h1 = 0
        self.scripts = 0
        self.stylesheets = []
        self.labels_for = set()
        self.controls = []  # (description, id, named without a <label for>)
        self.texts = []  # the visible text, one entry per text node
        self._open_labels = 0
        self._hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html = attrs
        elif tag == "h1":
            self.h1 += 1
        elif tag == "script":
            self.scripts += 1
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.stylesheets.append(attrs.get("href", ""))
        elif tag == "label":
            self._open_labels += 1
            if attrs.get("for"):
                self.labels_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and (attrs.get("type") or "text") in UNLABELLED_TYPES:
                return
            named = bool(
                self._open_labels or attrs.get("aria-label") or attrs.get("aria-labelledby")
            )
            self.controls.append((f"<{tag} name={attrs.get('name')!r}>", attrs.get("id"), named))

    def handle_endtag(self, tag):
        if tag == "label" and self._open_labels:
            self._open_labels -= 1
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))

    def unlabelled(self) -> list[str]:
        return [
            description
            for description, id_, named in self.controls
            if not named and (not id_ or id_ not in self.labels_for)
        ]


def untranslated(urdu: list[str], english: list[str], data: tuple[str, ...]) -> list[str]:
    """Text on the Urdu page that is the English page's own text, in Latin letters: a string
    with no Urdu translation. The world's data (names, MRNs, clinic names) is not text to
    translate, nor are LATIN_ALLOWED."""
    found = []
    for text in urdu:
        rest = text
        for mark in (*data, *LATIN_ALLOWED):
            rest = rest.replace(mark, "")
        if text in english and LATIN.search(rest) and not AUTHENTICATOR_KEY.match(text):
            found.append(text)
    return found


def world_data(world) -> tuple[str, ...]:
    records = (world.at_a, world.at_b, world.sister, world.stranger)
    names = {r.registered_clinic.name for r in records}
    from django.contrib.auth import get_user_model

    # People's names as the access log shows them (the staff who opened the record).
    staff = [u.get_full_name() or u.username for u in get_user_model().objects.all()]
    return (
        *names,
        *(r.mrn for r in records),
        *(r.full_name for r in records),
        *(name for name in staff if name),
    )


def css_bytes(hrefs) -> int:
    """The size of the page's stylesheets, read where collectstatic would find them."""
    total = 0
    for href in hrefs:
        path = finders.find(re.sub(r"^/static/", "", href.split("?", 1)[0]))
        assert path, f"stylesheet {href} is not a static file"
        with open(path, "rb") as css:
            total += len(css.read())
    return total


def visit(client, page, language, world):
    url = page.url(pages.values(world), language)
    response = client.get(url, follow=True)
    return url, response


@pytest.mark.parametrize(("page", "language", "visitor"), list(visits()))
def test_it_holds_every_portal_page_to_the_bar(
    page, language, visitor, portal_world, patient_client
):
    client = patient_client if visitor == "patient" else Client()
    url, response = visit(client, page, language, portal_world)
    where = f"{url} as {visitor}"
    assert response.status_code == 200, where
    final = response.redirect_chain[-1][0] if response.redirect_chain else url
    assert final.startswith(f"/{language}/portal/"), f"{where} ended at {final}"
    body = response.content.decode()
    outline = Outline()
    outline.feed(body)

    size = len(response.content) + css_bytes(outline.stylesheets)
    assert size < MAX_BYTES, f"{where}: {size:,} bytes with its CSS"
    assert outline.scripts == 0, f"{where}: has a <script>; every action must be a plain form"
    assert outline.html.get("lang") == language, where
    assert outline.html.get("dir") == LANGUAGES[language], where
    assert outline.h1 == 1, f"{where}: {outline.h1} <h1>, not one"
    assert outline.unlabelled() == [], f"{where}: fields without a label"
    if page.signed_in:
        cache = response.headers.get("Cache-Control", "")
        assert "no-store" in cache and "private" in cache, f"{where}: Cache-Control {cache!r}"
    for other in (portal_world.stranger, portal_world.sister):
        for mark in (other.mrn, other.full_name):
            assert mark not in body, f"{where}: names another patient"
    if language == "ur":
        _url, english = visit(client, page, "en", portal_world)
        in_english = Outline()
        in_english.feed(english.content.decode())
        left = untranslated(outline.texts, in_english.texts, world_data(portal_world))
        assert left == [], f"{where}: English text with no Urdu translation"


@pytest.mark.parametrize(
    "page", [p for p in pages.get_pages() if p.signed_in], ids=lambda p: p.name
)
def test_it_sends_an_anonymous_visitor_of_a_patients_page_to_sign_in(page, portal_world):
    url = page.url(pages.values(portal_world), "ur")
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/ur/portal/sign-in/?next=")


def test_it_has_a_line_for_every_portal_route_and_none_for_a_gone_one():
    problems = pages.coverage_problems()
    assert not problems, "\n".join(problems)


def test_it_fills_every_parameter_for_the_patient_and_for_someone_else(portal_world):
    """A page's parameters are named in both `values` and `others` (the other-patient check
    asks with the second), and the filled URL is the page's own route."""
    from django.urls import resolve

    own, theirs = pages.values(portal_world), pages.others(portal_world)
    for page in pages.PAGES:
        for source in page.fill.values():
            assert source in own and source in theirs, f"{page.name}: no value {source!r}"
        if pages.answers_get(page.name):
            assert resolve(page.url(own, "en")).url_name == page.name


def test_it_names_a_route_missing_from_the_table(monkeypatch):
    monkeypatch.setattr(pages, "BY_NAME", {"home": pages.BY_NAME["home"], "gone": None})
    problems = "\n".join(pages.coverage_problems())
    assert "portal:sign_in: no line in portal/tests/pages.py" in problems
    assert "portal:gone: in PAGES but not served" in problems


@pytest.mark.parametrize("page", [p for p in pages.get_pages() if p.fill], ids=lambda p: p.name)
def test_it_answers_404_to_another_patients_record(page, portal_world, patient_client):
    url = page.url(pages.others(portal_world), "en")
    assert patient_client.get(url).status_code == 404
