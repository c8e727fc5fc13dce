"""Issue an API token for a user; the token is printed alone on the last line, for scripts.

Rotate one with `--rotate PREFIX` (a successor with the same name and scope; the old key keeps
working for `--overlap-hours`), revoke one with `--revoke PREFIX`. Every change is audited."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mesoclinic.accounts import tokens
from mesoclinic.accounts.models import ApiToken, TokenScope
from mesoclinic.audit.services import Interface


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it on the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument(
            "--days", type=int, default=None, help="How long it works (default from settings)."
        )
        parser.add_argument(
            "--scope",
            choices=TokenScope.values,
            default=TokenScope.READ_WRITE,
            help="read: GET only; read_write (the default): everything the user's role allows.",
        )
        parser.add_argument("--rotate", metavar="PREFIX", help="Rotate the user's token PREFIX.")
        parser.add_argument(
            "--overlap-hours",
            type=int,
            default=24,
            help="With --rotate: how long the old token keeps working (0 to 72).",
        )
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke the user's token PREFIX.")

    def handle(self, *args, username, name, days, scope, rotate, overlap_hours, revoke, **opts):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}.") from exc
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; activate them first.")
        try:
            if revoke:
                tokens.revoke_token(acting_user=None, token=_one(user, revoke), via=Interface.CLI)
                self.stdout.write(f"Revoked token {revoke}… of {username}.")
                return
            if rotate:
                token, key = tokens.rotate_token(
                    acting_user=None,
                    token=_one(user, rotate),
                    via=Interface.CLI,
                    overlap_hours=overlap_hours,
                    days=days,
                )
                verb = f"Rotated {rotate}… (it works for {overlap_hours} more hours); new token"
            else:
                token, key = tokens.issue_token(
                    acting_user=None,
                    user=user,
                    via=Interface.CLI,
                    name=name,
                    scope=scope,
                    days=days,
                )
                verb = "Created token"
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        expires = timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(
            f"{verb} {token.prefix}… ({token.scope}) for {username}, expiring {expires}. "
            "It is shown once; store it safely:"
        )
        self.stdout.write(key)


def _one(user, prefix: str) -> ApiToken:
    found = list(ApiToken.objects.filter(user=user, prefix=prefix, revoked_at__isnull=True)[:2])
    if len(found) != 1:
        raise CommandError(f"No single unrevoked token {prefix}… for this user.")
    return found[0]
