"""The signed link in a patient's aftercare message: it opens the session's aftercare page
without a login, in the message's language, until it expires (AFTERCARE_LINK_DAYS).

The token is the session's id signed with the site's key and a salt of its own (a token for
another purpose never opens this page), with the time it was made; it names nothing else, so
a link forwarded or left in a phone shows only the instructions and the clinic's number.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from mesoclinic.core.links import absolute_url

SALT = "mesoclinic.care.aftercare-link"


class LinkExpired(Exception):
    """A real link, older than AFTERCARE_LINK_DAYS."""


class LinkInvalid(Exception):
    """Not a link we made: mistyped, cut short or altered."""


def _signer() -> signing.TimestampSigner:
    # "." rather than ":" between the parts: nothing in the link a phone might stop at.
    return signing.TimestampSigner(salt=SALT, sep=".")


def token_for(session_id: int) -> str:
    return _signer().sign(str(session_id))


def session_id_from(token: str) -> int:
    """The session a token names; LinkExpired or LinkInvalid otherwise."""
    days = getattr(settings, "AFTERCARE_LINK_DAYS", 90)
    try:
        value = _signer().unsign(token, max_age=timedelta(days=days))
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    try:
        return int(value)
    except ValueError:
        raise LinkInvalid from None


def public_url(session_id: int, language: str) -> str:
    """The absolute link to the session's aftercare page in `language` ("en" or "ur")."""
    with translation.override(language):
        path = reverse("care_public:aftercare", kwargs={"token": token_for(session_id)})
    return absolute_url(path)
