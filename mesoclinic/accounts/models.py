"""API tokens for integrations. Only a hash of each token is stored: a leaked database or backup
does not hand out working credentials. Every token expires, says what it may do (read, or read
and write) and when it was last used, so a forgotten integration's key dies on its own and an
administrator can tell a live one from a dead one."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_BYTES = 32


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class ApiTokenQuerySet(models.QuerySet):
    def active(self, *, now=None):
        """Tokens that still open the API: not revoked, not expired, their user active."""
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=now or timezone.now(), user__is_active=True
        )


class ApiToken(models.Model):
    """A bearer token for `Authorization: Token <key>`; the key is shown once, when created.

    Issue, rotate and revoke through `accounts.tokens` (audited); `issue` here only makes the
    row. A rotated token names its successor and keeps working until its (shortened) expiry, so
    an integration can switch keys without an outage."""

    Scope = TokenScope

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text=_("What the token is for."))
    prefix = models.CharField(
        max_length=8, help_text=_("First characters, to recognise the token.")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(
        max_length=10, choices=TokenScope.choices, default=TokenScope.READ_WRITE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(help_text=_("After this the token is refused."))
    last_used_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("Updated at most once every few minutes, not on every request."),
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        help_text=_("The token issued when this one was rotated."),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="api_token_scope_known", condition=models.Q(scope__in=TokenScope.values)
            ),
        ]

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())

    def is_usable(self, now=None) -> bool:
        return self.revoked_at is None and not self.is_expired(now)

    @classmethod
    def issue(
        cls,
        *,
        user,
        name: str = "",
        scope: str = TokenScope.READ_WRITE,
        days: int | None = None,
    ) -> tuple["ApiToken", str]:
        """Create a token (unaudited: `accounts.tokens.issue_token` audits it); returns the row
        and the key, which is never retrievable again. `days` defaults to the setting."""
        lifetime = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
        key = secrets.token_urlsafe(TOKEN_BYTES)
        token = cls.objects.create(
            user=user,
            name=name,
            scope=scope,
            prefix=key[:8],
            key_hash=hash_token(key),
            expires_at=timezone.now() + timedelta(days=lifetime),
        )
        return token, key
