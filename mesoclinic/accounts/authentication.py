"""DRF authentication with hashed API tokens (`Authorization: Token <key>`).

One query finds the token by its hash, with its user; expiry, revocation and the account are
then checked in Python so each refusal can say which it is (401). Before that lookup, an address
that has sent too many unknown tokens is refused with 429 (`limits.bad_token_lockout_wait`): a
guesser learns nothing more. The token's last use is written at most once per
API_TOKEN_LAST_USED_MINUTES, by a conditional UPDATE, so a busy integration does not write on
every request and two workers never both write it."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from mesoclinic.accounts import limits
from mesoclinic.accounts.models import ApiToken, hash_token


class RefusedToken(exceptions.AuthenticationFailed):
    """A real token that no longer opens the API (expired, revoked, its account disabled): not
    a guess, so it does not count towards the address's lockout."""


class AddressLockedOut(exceptions.Throttled):
    default_detail = _("Too many invalid tokens from this address.")
    extra_detail_singular = _("Try again in {wait} second.")
    extra_detail_plural = _("Try again in {wait} seconds.")


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        wait = limits.bad_token_lockout_wait(request)
        if wait is not None:
            raise AddressLockedOut(wait=limits.retry_after(wait))
        try:
            return super().authenticate(request)
        except RefusedToken:
            raise
        except exceptions.AuthenticationFailed:
            limits.record_bad_token(request)
            raise

    def authenticate_credentials(self, key):
        # The one lookup: by the unique hash (its index), with the user.
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if token.revoked_at is not None:
            raise RefusedToken(_("This token was revoked. Ask for a new one."))
        if token.is_expired(now):
            raise RefusedToken(_("This token has expired. Ask for a new one."))
        if not token.user.is_active:
            raise RefusedToken(_("This token's account is disabled."))
        _note_use(token, now)
        return (token.user, token)


class BearerTokenAuthentication(ApiTokenAuthentication):
    """The same API tokens sent as `Authorization: Bearer …`, the form FHIR clients (SMART,
    fhirpy, HAPI's client) send by default. Same lookup, expiry, lockout and audit."""

    keyword = "Bearer"


#: The keywords an API token may be sent with (the second-factor gate lets them through).
TOKEN_KEYWORDS = (ApiTokenAuthentication.keyword.lower(), BearerTokenAuthentication.keyword.lower())


def _note_use(token: ApiToken, now) -> None:
    """Record the token's use unless it was recorded within the last few minutes."""
    cutoff = now - timedelta(minutes=settings.API_TOKEN_LAST_USED_MINUTES)
    if token.last_used_at is not None and token.last_used_at > cutoff:
        return
    # Conditional: of two workers racing here, one writes; the other's UPDATE matches no row.
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=cutoff), pk=token.pk
    ).update(last_used_at=now)
    token.last_used_at = now
