"""`manage.py db_roles`: create the owner and application roles on PostgreSQL and converge the
application role's grants (see mesoclinic/security/db_roles.py, README "Database roles").

Run it once as a superuser (it creates the roles), then as the owner after every `migrate`
(`make migrate` does): grants only.
"""

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from mesoclinic.security import db_roles


class Command(BaseCommand):
    help = "Create the PostgreSQL owner and application roles and grant the application its rights."

    def add_arguments(self, parser):
        parser.add_argument(
            "--owner",
            default=os.environ.get("MESOCLINIC_DB_OWNER", "mesoclinic_owner"),
            help="the role that owns the tables and runs migrate (env MESOCLINIC_DB_OWNER)",
        )
        parser.add_argument(
            "--app",
            default=os.environ.get("MESOCLINIC_DB_APP", "mesoclinic_app"),
            help="the role the site, worker and scheduler connect as (env MESOCLINIC_DB_APP)",
        )
        parser.add_argument(
            "--take-ownership",
            action="store_true",
            help="give the owner every table of the schema not yet its own (superuser only)",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, owner, app, take_ownership, database, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            self.stdout.write(
                "Database roles are a PostgreSQL feature; this database is "
                f"{connection.vendor}, where the app is the only user of a local file. "
                "Nothing to do."
            )
            return
        # Passwords come from the environment only: a command line shows in `ps`.
        passwords = {
            "owner_password": os.environ.get("MESOCLINIC_DB_OWNER_PASSWORD") or None,
            "app_password": os.environ.get("MESOCLINIC_DB_APP_PASSWORD") or None,
        }
        connection.ensure_connection()
        try:
            with transaction.atomic(using=database), connection.connection.cursor() as cursor:
                report = db_roles.apply(
                    cursor, owner=owner, app=app, take_ownership=take_ownership, **passwords
                )
        except db_roles.RoleSetupError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines(owner, app):
            self.stdout.write(line)
