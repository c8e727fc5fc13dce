"""The Content-Security-Policy is enforced on every page, strict (no 'unsafe-inline', no
'unsafe-eval', no other origin), and carries a nonce only on the pages that use one (the
vendored API docs); our own templates hold no inline script, style or handler at all."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

MESOCLINIC = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_it_enforces_a_strict_policy_on_a_public_page(client):
    response = client.get(reverse("guide:index"))

    assert response.status_code == 200
    assert "Content-Security-Policy-Report-Only" not in response
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_it_allows_nothing_inline_or_evaluated_anywhere_but_the_redoc_page():
    rendered = str(settings.SECURE_CSP)
    assert "unsafe-inline" not in rendered
    assert "unsafe-eval" not in rendered
    assert "unsafe-hashes" not in rendered
    assert "*" not in rendered


def test_it_enforces_the_policy_on_staff_pages_and_the_login(client, practitioner_user):
    assert "script-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]
    client.force_login(practitioner_user)
    response = client.get(reverse("patients:list"))

    assert response.status_code == 200
    assert directives(response)["script-src"] == ["'self'"]


def test_it_gives_the_api_docs_a_fresh_nonce_for_their_inline_script(client, administrator):
    client.force_login(administrator)
    first = client.get(reverse("api:docs"))
    second = client.get(reverse("api:docs"))

    assert first.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", first["Content-Security-Policy"]).group(1)
    assert directives(first)["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    html = first.content.decode()
    assert f'<script nonce="{nonce}">' in html
    assert f'<style nonce="{nonce}">' in html
    assert nonce not in second["Content-Security-Policy"]


def test_it_keeps_the_redoc_page_on_this_site(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("api:redoc"))

    assert response.status_code == 200
    assert "fonts.googleapis.com" not in response.content.decode()
    policy = directives(response)
    assert policy["script-src"][0] == "'self'" and policy["script-src"][1].startswith("'nonce-")
    # Redoc's bundle alone needs inline styles and a blob: worker; only on this page.
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["worker-src"] == ["'self'", "blob:"]
    assert policy["frame-ancestors"] == ["'none'"]


# An inline handler (onclick=), inline <script>/<style>, a style attribute or a javascript: URL
# in any template the browser receives as a page (PDF templates are printed by Chromium from a
# file, with no policy, and keep their <style>).
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*nonce=)[^>]*>|<style(?![^>]*nonce=)[^>]*>"
    r"|\son[a-z]+=|\sstyle=|javascript:",
    re.IGNORECASE,
)


def test_it_finds_no_inline_script_style_or_handler_in_any_template():
    offenders = [
        f"{path.relative_to(MESOCLINIC)}:{number}"
        for path in sorted(MESOCLINIC.rglob("templates/**/*.html"))
        if not path.name.endswith("_pdf.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if INLINE.search(line)
    ]
    assert offenders == []
