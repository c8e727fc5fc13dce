"""The two PostgreSQL roles: an owner that runs migrations and an application that owns nothing.

Why: the table owner can always empty the audit trail (`TRUNCATE`, `ALTER TABLE … DISABLE
TRIGGER`, and a superuser's `session_replication_role = replica`), whatever triggers say. So the
web, worker and scheduler processes connect as a role that owns no table and holds only the
data privileges the app needs: SELECT, INSERT, UPDATE, DELETE, minus the exceptions below, and
never TRUNCATE, TRIGGER, REFERENCES or ownership. Migrations run as the owner.

Everything here is idempotent and convergent: each run revokes every table privilege from the
application role and grants the exact set again, in one transaction, so re-running it after each
`migrate` also repairs drift. `ALTER DEFAULT PRIVILEGES FOR ROLE <owner>` gives tables that later
migrations create the usual grants in between; the exceptions are re-applied by the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from psycopg import sql

SCHEMA = "public"
DATA_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
# Table → the privileges the application keeps there (the rest of DATA_PRIVILEGES is revoked).
EXCEPTIONS = {
    # The audit trail is append-only: the app writes and reads it, nothing else.
    "audit_auditevent": ("SELECT", "INSERT"),
    # Patients' records are archived, never deleted (the law and the recall need them).
    "patients_patient": ("SELECT", "INSERT", "UPDATE"),
}
# What the application role may never be, whatever it was created with.
APP_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT"
OWNER_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"


class RoleSetupError(Exception):
    """A refusal the operator can act on (missing privilege, clashing names)."""


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    tables: int = 0
    sequences: int = 0
    not_owned: list[str] = field(default_factory=list)

    def lines(self, owner: str, app: str) -> list[str]:
        out = [f"Role {name} created." for name in self.created]
        exceptions = "; ".join(f"{t} only {', '.join(keep)}" for t, keep in EXCEPTIONS.items())
        out.append(
            f"{app}: SELECT, INSERT, UPDATE, DELETE on {self.tables} tables and USAGE on "
            f"{self.sequences} sequences, except {exceptions}; no TRUNCATE, TRIGGER, REFERENCES "
            "or ownership."
        )
        if self.not_owned:
            out.append(
                f"{len(self.not_owned)} tables are not owned by {owner} (e.g. "
                f"{', '.join(self.not_owned[:3])}): run with --take-ownership as a superuser "
                f"so later migrations' tables get the default grants."
            )
        return out


def apply(
    cursor,
    *,
    owner: str,
    app: str,
    owner_password: str | None = None,
    app_password: str | None = None,
    take_ownership: bool = False,
) -> Report:
    """Create the roles if missing and converge the application role's grants. `cursor` is a
    DB-API cursor inside a transaction, connected as a superuser or a role with CREATEROLE
    (to create roles) or as the owner (grants only, once the roles exist)."""
    if owner == app:
        raise RoleSetupError("The owner and the application must be two different roles.")
    report = Report()
    cursor.execute("SELECT current_database(), current_user")
    database, me = cursor.fetchone()
    for name, password, attributes in (
        (owner, owner_password, OWNER_ATTRIBUTES),
        (app, app_password, APP_ATTRIBUTES),
    ):
        if _role_exists(cursor, name):
            if password:
                cursor.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                        sql.Identifier(name), sql.Literal(password)
                    )
                )
        else:
            _need_createrole(cursor, me, name)
            cursor.execute(
                sql.SQL("CREATE ROLE {} " + attributes + " PASSWORD {}").format(
                    sql.Identifier(name), sql.Literal(password) if password else sql.NULL
                )
            )
            report.created.append(name)
    _harden_app(cursor, me=me, owner=owner, app=app)

    app_id, owner_id = sql.Identifier(app), sql.Identifier(owner)
    schema = sql.Identifier(SCHEMA)
    if _is_superuser(cursor, me):
        # The owner migrates: it creates tables in the schema and the trusted extension pg_trgm
        # (CREATE on the database). Nobody else creates anything there (PostgreSQL before 15
        # let PUBLIC create in `public`).
        run = cursor.execute
        run(
            sql.SQL("GRANT CONNECT, CREATE ON DATABASE {} TO {}").format(
                sql.Identifier(database), owner_id
            )
        )
        run(sql.SQL("GRANT USAGE, CREATE ON SCHEMA {} TO {}").format(schema, owner_id))
        run(sql.SQL("REVOKE CREATE ON SCHEMA {} FROM PUBLIC").format(schema))
        if take_ownership:
            _take_ownership(cursor, owner)
    elif take_ownership:
        raise RoleSetupError("--take-ownership needs a superuser connection.")
    run = cursor.execute
    run(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), app_id))
    run(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, app_id))
    # Converge: take everything away, then give back exactly what the app uses.
    run(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(schema, app_id))
    run(sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(schema, app_id))
    run(
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(
            schema, app_id
        )
    )
    run(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(schema, app_id))
    tables = _tables(cursor)
    for table, keep in EXCEPTIONS.items():
        if table in tables:
            refused = [p for p in DATA_PRIVILEGES if p not in keep]
            run(
                sql.SQL("REVOKE {} ON {}.{} FROM {}").format(
                    sql.SQL(", ").join(sql.SQL(p) for p in refused),
                    schema,
                    sql.Identifier(table),
                    app_id,
                )
            )
    # Tables and sequences the owner creates later (a new migration) start with the same grants.
    run(
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
        ).format(owner_id, schema, app_id)
    )
    run(
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA {} "
            "GRANT USAGE, SELECT ON SEQUENCES TO {}"
        ).format(owner_id, schema, app_id)
    )
    report.tables = len(tables)
    report.sequences = _count(cursor, "S")
    report.not_owned = sorted(t for t, table_owner in tables.items() if table_owner != owner)
    return report


def _role_exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
    return cursor.fetchone() is not None


def _need_createrole(cursor, me: str, name: str) -> None:
    cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = %s", [me])
    if not cursor.fetchone()[0]:
        raise RoleSetupError(
            f"Role {name} does not exist and {me} may not create roles: run this once as a "
            "superuser (e.g. DATABASE_URL=postgres://postgres@…), then as the owner."
        )


def _harden_app(cursor, *, me: str, owner: str, app: str) -> None:
    """The application role may not be a superuser, create anything, bypass row security or
    act as the owner through membership."""
    cursor.execute(
        "SELECT r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolbypassrls, r.rolreplication,"
        " r.rolinherit, r.rolcanlogin, pg_has_role(%s, %s, 'USAGE') FROM pg_roles r"
        " WHERE r.rolname = %s",
        [app, owner, app],
    )
    *attributes, acts_as_owner = cursor.fetchone()
    needs_fix = any(attributes[:6]) or not attributes[6]
    if needs_fix or acts_as_owner:
        cursor.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = %s", [me])
        if not cursor.fetchone()[0]:
            raise RoleSetupError(
                f"{app} has privileges it must not have (superuser, createdb, createrole, "
                f"bypassrls, replication or membership of {owner}); run this as a superuser."
            )
    if needs_fix:
        cursor.execute(sql.SQL("ALTER ROLE {} " + APP_ATTRIBUTES).format(sql.Identifier(app)))
    if acts_as_owner:
        cursor.execute(
            sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(owner), sql.Identifier(app))
        )
        if _is_member(cursor, app, owner):
            raise RoleSetupError(f"{app} still acts as {owner} through another role.")


def _is_member(cursor, app: str, owner: str) -> bool:
    cursor.execute("SELECT pg_has_role(%s, %s, 'USAGE')", [app, owner])
    return bool(cursor.fetchone()[0])


def _take_ownership(cursor, owner: str) -> None:
    """Every table, sequence and view of the schema goes to the owner: an existing install
    whose tables the superuser, or the old single role, owns."""
    cursor.execute(
        "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
        " AND pg_get_userbyid(c.relowner) <> %s"
        # Sequences owned by a column follow their table.
        " AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid"
        " AND d.deptype IN ('a', 'i')))",
        [SCHEMA, owner],
    )
    kinds = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
    for name, kind in cursor.fetchall():
        cursor.execute(
            sql.SQL("ALTER {} {}.{} OWNER TO {}").format(
                sql.SQL(kinds[kind]),
                sql.Identifier(SCHEMA),
                sql.Identifier(name),
                sql.Identifier(owner),
            )
        )


def _is_superuser(cursor, name: str) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [name])
    return bool(cursor.fetchone()[0])


def _tables(cursor) -> dict[str, str]:
    cursor.execute(
        "SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND c.relkind IN ('r', 'p')",
        [SCHEMA],
    )
    return dict(cursor.fetchall())


def _count(cursor, kind: str) -> int:
    cursor.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = %s AND c.relkind = %s",
        [SCHEMA, kind],
    )
    return cursor.fetchone()[0]
