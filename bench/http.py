"""A small HTTP client for preparing the benchmark (standard library only).

The server runs with production settings behind a pretend TLS proxy: every request says
`X-Forwarded-Proto: https`, as nginx would, so Django's secure cookies, CSRF origin checks and
HSTS behave as in production while the bench talks plain HTTP on loopback. Cookies are kept by
hand because `Secure` cookies are never sent over http:// by a cookie jar.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


@dataclass
class Response:
    status: int
    headers: object
    body: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def request(base_url: str, method: str, path: str, *, headers=None, body=None) -> Response:
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(
        base_url + path, data=data, method=method, headers={**PROXY_HEADERS, **(headers or {})}
    )
    try:
        with _OPENER.open(req, timeout=60) as answer:
            return Response(answer.status, answer.headers, answer.read().decode())
    except urllib.error.HTTPError as answer:
        return Response(answer.code, answer.headers, answer.read().decode())


class Session:
    """A signed-in member of staff, as a browser would be."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.origin = "https://" + urllib.parse.urlsplit(base_url).netloc
        self.cookies: dict[str, str] = {}

    @property
    def csrf(self) -> str:
        return self.cookies["csrftoken"]

    def headers(self) -> dict[str, str]:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {**PROXY_HEADERS, "Cookie": cookie, "Origin": self.origin}

    def call(self, method: str, path: str, form=None) -> Response:
        headers = self.headers()
        body = None
        if form is not None:
            token = self.cookies.get("csrftoken", "")
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        answer = request(self.base_url, method, path, headers=headers, body=body)
        for value in answer.headers.get_all("Set-Cookie") or ():
            name, _sep, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return answer

    def login(self, username: str, password: str, code=None) -> None:
        """The password page, then, for a role that needs one, the second factor's page with
        `code()` (called only then: a code is good for its 30-second step)."""
        self.call("GET", "/accounts/login/")
        answer = self.call("POST", "/accounts/login/", {"username": username, "password": password})
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"bench login as {username} failed ({answer.status})")
        step = self.call("GET", answer.headers.get("Location", "/"))
        if step.status == 302 and "/security/verify/" in step.headers.get("Location", ""):
            if code is None:
                raise RuntimeError(f"bench login as {username} needs a second factor")
            answer = self.call("POST", "/security/verify/", {"code": code(), "next": "/"})
            if answer.status != 302:
                raise RuntimeError(f"bench second factor for {username} failed ({answer.status})")

    def start_session(self, course_pk: int) -> str:
        """Run the safety gate before the needle, as the start page does: the start token."""
        answer = self.call(
            "POST",
            f"/care/courses/{course_pk}/sessions/start/",
            {"pregnant_today": "no", "breastfeeding_today": "no"},
        )
        location = answer.headers.get("Location", "")
        match = re.search(r"[?&]start=([^&]+)", location)
        if answer.status != 302 or match is None:
            raise RuntimeError(f"the gate refused course {course_pk} ({answer.status})")
        return urllib.parse.unquote(match.group(1))
