"""Server errors reach the administrators (ADMINS) by e-mail, with nothing personal in them.

Django's AdminEmailHandler sends the request's GET and POST data, its headers, the settings and
every frame's local values: a failed registration would mail the patient's name, CNIC and
mobile number. This handler sends what finds the bug and nothing else: the method, the path
as its route pattern (`/calendar-feeds/<str:token>.ics`: a path can carry a working secret
link, and never the query string), the status, the exception's class (not its text, which can
quote a value: "Key (cnic)=(...) already exists") and the stack as file, line, function and
source line.
"""

import logging
import re
import traceback

from django.conf import settings
from django.core.mail import mail_admins

from mesoclinic.core.logging import redact


class ErrorMailHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        if not settings.ADMINS:
            return
        try:
            subject, body = error_mail(record)
            mail_admins(subject, body)
        except Exception:
            # A mail server that is down must not turn one error into two; the console
            # handler has logged the error already.
            self.handleError(record)


def error_mail(record: logging.LogRecord) -> tuple[str, str]:
    """The subject and body for one logged error."""
    request = getattr(record, "request", None)
    kind = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
    path = _route_of(request)
    lines = [
        f"{record.levelname} in {record.name}",
        f"Request: {getattr(request, 'method', '-')} {path or '-'}",
        f"Status: {getattr(record, 'status_code', '-')}",
        f"Exception: {kind or '-'}",
        "",
    ]
    if record.exc_info and record.exc_info[2] is not None:
        lines.append("Stack (most recent call last):")
        for frame in traceback.extract_tb(record.exc_info[2]):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                lines.append(f"    {frame.line}")
    subject = f"{record.levelname}: {kind or 'error'} at {path or record.name}"
    return subject.replace("\n", " ")[:200], "\n".join(lines) + "\n"


#: A path segment that looks like a secret (a signed link's token, a calendar feed's key).
_TOKEN_SEGMENT = re.compile(r"[A-Za-z0-9_:.\-]{20,}")


def _route_of(request) -> str:
    """The request's route pattern when it resolved (no secret in it), else its path with every
    token-like segment replaced; never the query string."""
    match = getattr(request, "resolver_match", None)
    if match is not None and getattr(match, "route", ""):
        return "/" + match.route.lstrip("/")
    path = redact(getattr(request, "path", "") or "")
    return "/".join(_TOKEN_SEGMENT.sub("<token>", part) for part in path.split("/"))
