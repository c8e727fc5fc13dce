"""The signed link in a check-in message: it opens that check-in's form without a login.

The token is the check-in's id signed with the site's key and a salt of its own (an aftercare
page's token never opens a check-in). Whether it still works is the check-in's own
`link_expires_at` (due time plus the clinic's days), read from the row, so a link sent days
before it is due does not expire early; a token older than `MAX_AGE_DAYS` is refused outright.
"""

from datetime import timedelta

from django.core import signing
from django.urls import reverse
from django.utils import translation

from mesoclinic.core.links import absolute_url

SALT = "mesoclinic.aftercare.check-in-link"
#: No check-in is due more than 12 weeks after its session, nor open 90 days after that.
MAX_AGE_DAYS = 84 + 90


class LinkInvalid(Exception):
    """Not a link we made: mistyped, cut short or altered, or older than any check-in lives."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT, sep=".")


def token_for(check_in_id: int) -> str:
    return _signer().sign(str(check_in_id))


def check_in_id_from(token: str) -> int:
    try:
        value = _signer().unsign(token, max_age=timedelta(days=MAX_AGE_DAYS))
    except signing.BadSignature:  # SignatureExpired included
        raise LinkInvalid from None
    try:
        return int(value)
    except ValueError:
        raise LinkInvalid from None


def public_url(check_in_id: int, language: str) -> str:
    """The absolute link to the check-in form in `language` ("en" or "ur")."""
    with translation.override(language):
        path = reverse("aftercare_public:check_in", kwargs={"token": token_for(check_in_id)})
    return absolute_url(path)
