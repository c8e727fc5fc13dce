"""Issue an API token for a user; the token is printed alone on the last line, for scripts."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mesoclinic.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it on the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")

    def handle(self, *args, username, name, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {username!r}.") from exc
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; activate them first.")
        token, key = ApiToken.issue(user=user, name=name)
        self.stdout.write(
            f"Created token {token.prefix}… for {username}. It is shown once; store it safely:"
        )
        self.stdout.write(key)
