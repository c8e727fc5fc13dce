"""The databases' side of backup and restore (backup.py holds the archive).

PostgreSQL: `pg_dump` and `pg_restore` from the PATH.

The row counts and the dump come from one exported snapshot, so the manifest describes exactly
what was dumped. The restore is one transaction (`--single-transaction`): it replaces the
database whole, or fails and leaves it as it was. `--no-owner --no-acl`: the objects belong to
whoever restores (run it as the owner role), and the application role's grants are applied
again afterwards by db_roles, when the roles exist on this server.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql

from mesoclinic.security import db_roles


class BackupError(Exception):
    """A refusal with a message the operator can act on; nothing was changed."""


class PostgreSQL:
    vendor = "postgresql"
    dump_name = "database.dump"

    def __init__(self, settings_dict):
        self.settings = settings_dict

    def _connect(self, **kwargs):
        s = self.settings
        return psycopg.connect(
            dbname=s["NAME"],
            user=s.get("USER") or None,
            password=s.get("PASSWORD") or None,
            host=s.get("HOST") or None,
            port=s.get("PORT") or None,
            sslmode=s.get("OPTIONS", {}).get("sslmode"),
            **kwargs,
        )

    def _env(self) -> dict:
        """libpq's variables for the tools: the password never on a command line."""
        s, env = self.settings, dict(os.environ)
        for variable, value in (
            ("PGDATABASE", s["NAME"]),
            ("PGUSER", s.get("USER")),
            ("PGPASSWORD", s.get("PASSWORD")),
            ("PGHOST", s.get("HOST")),
            ("PGPORT", s.get("PORT")),
            ("PGSSLMODE", s.get("OPTIONS", {}).get("sslmode")),
        ):
            if value:
                env[variable] = str(value)
        return env

    def dump(self, target: Path) -> tuple[dict, dict]:
        pg_dump = _tool("pg_dump")
        with self._connect() as connection:
            connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            counts = _row_counts(connection)
            migrations = dict(
                connection.execute("SELECT app, max(name) FROM django_migrations GROUP BY app")
            )
            # The snapshot lives while this transaction is open: pg_dump runs inside it.
            done = subprocess.run(  # noqa: S603 (our arguments, the PATH's pg_dump)
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                env=self._env(),
                capture_output=True,
                text=True,
                check=False,
            )
            connection.rollback()
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        return counts, migrations

    def restore(self, dump: Path) -> list[str]:
        pg_restore = _tool("pg_restore")
        done = subprocess.run(  # noqa: S603 (our arguments, the PATH's pg_restore)
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                f"--dbname={self.settings['NAME']}",
                str(dump),
            ],
            # A site still connected holds locks DROP TABLE would wait for forever: give up
            # after a minute instead (rolled back, nothing changed), and say why.
            env={**self._env(), "PGOPTIONS": "-c lock_timeout=60s"},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise BackupError(
                "pg_restore refused, and rolled back: the database is as it was (stop the site, "
                "worker and scheduler first). "
                f"{done.stderr.strip()[-2000:]}"
            )
        return self._grant_again()

    def _grant_again(self) -> list[str]:
        owner = os.environ.get("MESOCLINIC_DB_OWNER", "mesoclinic_owner")
        app = os.environ.get("MESOCLINIC_DB_APP", "mesoclinic_app")
        with self._connect() as connection, connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_roles WHERE rolname IN (%s, %s)", [owner, app])
            if cursor.fetchone()[0] < 2:
                return [f"No roles {owner} and {app} here: no grants applied (db_roles)."]
            try:
                db_roles.apply(cursor, owner=owner, app=app)
            except (db_roles.RoleSetupError, psycopg.Error) as exc:
                connection.rollback()
                return [f"Grants for {app} NOT applied ({exc}); run `manage.py db_roles`."]
        return [f"Grants for {app} applied again (db_roles)."]

    def row_counts(self) -> dict[str, int]:
        with self._connect() as connection:
            return _row_counts(connection)


def _row_counts(connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]
    return {
        name: connection.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name))
        ).fetchone()[0]
        for name in tables
    }


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not on the PATH (Debian: apt-get install postgresql-client, of the "
            "server's major version or newer)."
        )
    return found


class SQLite:
    """The embedded default (`make run`): SQLite's online backup API copies a consistent
    database while the app keeps running; restoring copies it back in one write transaction."""

    vendor = "sqlite"
    dump_name = "database.sqlite3"

    def __init__(self, settings_dict):
        self.path = str(settings_dict["NAME"])

    def dump(self, target: Path) -> tuple[dict, dict]:
        source, copy = sqlite3.connect(self.path), sqlite3.connect(target)
        try:
            source.backup(copy)
            return _sqlite_counts(copy), _sqlite_migrations(copy)
        finally:
            source.close()
            copy.close()

    def restore(self, dump: Path) -> list[str]:
        source, live = sqlite3.connect(dump), sqlite3.connect(self.path, timeout=30)
        try:
            source.backup(live)
        finally:
            source.close()
            live.close()
        return []

    def row_counts(self) -> dict[str, int]:
        connection = sqlite3.connect(self.path)
        try:
            return _sqlite_counts(connection)
        finally:
            connection.close()


def _sqlite_counts(connection) -> dict[str, int]:
    names = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        # Names from sqlite_master itself, quoted.
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608
        for name in sorted(names)
    }


def _sqlite_migrations(connection) -> dict[str, str]:
    return dict(connection.execute("SELECT app, max(name) FROM django_migrations GROUP BY app"))
