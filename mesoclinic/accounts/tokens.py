"""Issuing, rotating and revoking API tokens: each one transaction with its audit row
(`SECURITY`, detail codes and numbers only; never the key, never its prefix).

Who may act on which token is the caller's question: the token page passes only the signed-in
person's own tokens (`tokens_of`, `get_token_for_user`), the admin any token, the commands the
one named on the command line."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.models import ApiToken, TokenScope
from mesoclinic.audit.services import Action, record_event


def tokens_of(user):
    """The person's own tokens, newest first (the token page's list)."""
    return ApiToken.objects.filter(user=user).select_related("replaced_by").order_by("-id")


def get_token_for_user(user, pk) -> ApiToken:
    """One of the person's own tokens; anyone else's, or none, is 404."""
    token = ApiToken.objects.filter(user=user, pk=pk).first() if str(pk).isdigit() else None
    if token is None:
        raise Http404
    return token


def check_days(days: int | None) -> int:
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            _("A token lasts from 1 to %(max)d days.") % {"max": settings.API_TOKEN_MAX_DAYS},
            code="days",
        )
    return days


def issue_token(
    *,
    acting_user,
    user,
    via: str,
    name: str = "",
    scope: str = TokenScope.READ_WRITE,
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the key, shown once and never again."""
    days = check_days(days)
    if scope not in TokenScope.values:
        raise ValidationError(_("Choose read only, or read and write."), code="scope")
    if not user.is_active:
        raise ValidationError(_("This account is disabled."), code="inactive")
    with transaction.atomic():
        token, key = ApiToken.issue(user=user, name=name, scope=scope, days=days)
        _audit(acting_user, token, via, code="token_issued", scope=scope, days=days)
    return token, key


def rotate_token(
    *, acting_user, token: ApiToken, via: str, overlap_hours: int = 24, days: int | None = None
) -> tuple[ApiToken, str]:
    """A successor with the same name and scope; the old token keeps working for
    `overlap_hours` (0 to 72, never beyond its own expiry), so an integration can switch keys
    without an outage, and is refused after that."""
    if not 0 <= overlap_hours <= settings.API_TOKEN_MAX_OVERLAP_HOURS:
        raise ValidationError(
            _("The old token may keep working from 0 to %(max)d hours.")
            % {"max": settings.API_TOKEN_MAX_OVERLAP_HOURS},
            code="overlap",
        )
    days = check_days(days)
    with transaction.atomic():
        old = ApiToken.objects.select_for_update().get(pk=token.pk)
        now = timezone.now()
        if not old.is_usable(now) or old.replaced_by_id is not None:
            raise ValidationError(
                _("Only a token in use can be rotated; issue a new one."), code="not_usable"
            )
        new, key = ApiToken.issue(user=old.user, name=old.name, scope=old.scope, days=days)
        old.expires_at = min(old.expires_at, now + timedelta(hours=overlap_hours))
        old.replaced_by = new
        old.save(update_fields=["expires_at", "replaced_by"])
        _audit(acting_user, new, via, code="token_issued", scope=new.scope, days=days)
        _audit(
            acting_user,
            old,
            via,
            code="token_rotated",
            fields=["expires_at", "replaced_by"],
            successor=new.pk,
            overlap_hours=overlap_hours,
        )
    return new, key


def revoke_token(*, acting_user, token: ApiToken, via: str) -> bool:
    """Refuse the token from now on; False (and no audit row) when it already was."""
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if changed:
            token.refresh_from_db(fields=["revoked_at"])
            _audit(acting_user, token, via, code="token_revoked", fields=["revoked_at"])
    return bool(changed)


def _audit(acting_user, token: ApiToken, via: str, *, code: str, fields=(), **numbers) -> None:
    record_event(
        actor=acting_user,
        action=Action.SECURITY,
        via=via,
        instance=token,
        changed_fields=fields,
        detail={"code": code, **numbers},
    )
