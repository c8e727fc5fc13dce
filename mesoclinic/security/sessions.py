"""Idle timeout for signed-in sessions (front-desk computers are shared).

A session ends when its last request is longer ago than the person may stay idle: the shortest
`Clinic.staff_idle_minutes` of their active clinics, or STAFF_IDLE_MINUTES for someone without
one (administrators). The absolute limit (SESSION_COOKIE_AGE, 10 hours) stays as it is.

Cheap on purpose: the session already holds the last-seen time and the allowed minutes, so a
request costs no query of its own. The session is written (and the minutes read again from the
clinics, so an administrator's change applies within a minute) at most once a minute; every
other request only reads what the session middleware loaded anyway.

A request marked `X-Background-Refresh` (a page that polls by itself, such as the aftercare
queue) is checked but does not count as activity: a screen left open must still time out.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.db.models import Min
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from mesoclinic.accounts.roles import is_patient_account
from mesoclinic.clinics.models import Clinic

SEEN = "security.seen"  # when the last request came (seconds since the epoch, UTC)
MINUTES = "security.idle_minutes"  # how long this person may stay idle
WRITE_EVERY = 60  # seconds between writes of SEEN
BACKGROUND_HEADER = "HTTP_X_BACKGROUND_REFRESH"


def idle_minutes_for(user) -> int:
    """The shortest idle time of the person's active clinics (one query), or the setting."""
    shortest = Clinic.objects.filter(is_active=True, memberships__user=user).aggregate(
        m=Min("staff_idle_minutes")
    )["m"]
    return shortest or settings.STAFF_IDLE_MINUTES


def started(request, user, *, now: float | None = None) -> None:
    """Stamp a new sign-in's session (called when someone signs in)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[SEEN] = int(now if now is not None else time.time())
    session[MINUTES] = idle_minutes_for(user)


def check(request, *, now: float | None = None) -> HttpResponse | None:
    """What the middleware asks before the view: None to go on, or the response that ends an
    idle session (the login page, with a message saying why)."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return None  # nobody signed in: nothing to time out, and no query spent finding out
    now = time.time() if now is None else now
    seen, minutes = session.get(SEEN), session.get(MINUTES)
    if seen is None or minutes is None:
        # A session signed in before this check existed: start counting now.
        if request.user.is_authenticated:
            started(request, request.user, now=now)
        return None
    if now - seen > minutes * 60:
        if not request.user.is_authenticated:
            return None
        return _sign_out(request, minutes)
    if now - seen >= WRITE_EVERY and not request.META.get(BACKGROUND_HEADER):
        session[SEEN] = int(now)
        if request.user.is_authenticated:
            session[MINUTES] = idle_minutes_for(request.user)
    return None


def _sign_out(request, minutes: int) -> HttpResponse | None:
    # A patient signs in again on the portal's page, not the staff login.
    login_url = settings.PORTAL_LOGIN_URL if is_patient_account(request.user) else None
    request.signout_reason = "idle"
    request.signout_idle_minutes = minutes
    logout(request)  # audited by receivers.signed_out, with the reason
    if request.path.startswith(("/api/", "/fhir/")):
        return None  # the API answers the now anonymous request itself (401/403)
    # Never fewer than 5 (the clinics' constraint), so one plural form serves.
    text = _("You were signed out after %(minutes)d minutes without activity.") % {
        "minutes": minutes
    }
    if request.META.get("HTTP_HX_REQUEST"):
        # htmx would swap a redirect's page into a fragment: ask it to load the page instead.
        response = HttpResponse()
        response["HX-Redirect"] = resolve_url(login_url or settings.LOGIN_URL)
    else:
        response = redirect_to_login(request.get_full_path(), login_url)
    # The message middleware comes after this one and has not run: store the message here.
    storage = default_storage(request)
    storage.add(messages.INFO, text)
    storage.update(response)
    return response
