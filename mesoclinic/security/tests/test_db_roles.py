"""The application role (README "Database roles"): what the owner of a table can always do to the
audit trail, the role the app connects as cannot; and the app's real work still succeeds as it.

The roles are made inside each test's transaction (PostgreSQL's CREATE ROLE is transactional,
so nothing outlives the test), and `SET LOCAL ROLE` turns the test's superuser connection into
the application role until the savepoint around it ends.
"""

import os
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.tests.helpers import enqueue
from mesoclinic.patients import services as patient_services
from mesoclinic.patients.models import Patient

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles are a PostgreSQL feature"
)
INSUFFICIENT_PRIVILEGE = "42501"


@pytest.fixture
def roles(db):
    """Owner and application roles named after this test database (parallel runs never share
    one), created and granted by the command itself, as the deployment does."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_database(), rolsuper FROM pg_roles WHERE rolname = current_user"
        )
        database, superuser = cursor.fetchone()
    if not superuser:
        # Under CI the proof must run, not skip (.ci/run connects as the postgres superuser).
        if os.environ.get("CI") == "true":
            pytest.fail("CI's PostgreSQL connection must be a superuser to test the roles")
        pytest.skip("the test connection may not create roles (not a superuser)")
    owner, app = f"{database}_owner"[:63], f"{database}_app"[:63]
    call_command("db_roles", "--owner", owner, "--app", app, stdout=_Discard())
    return {"owner": owner, "app": app}


class _Discard:
    def write(self, text):
        pass


@contextmanager
def acting_as(role):
    """Everything inside runs as `role`, in a savepoint: a refusal rolls back only the savepoint,
    and the role ends with it."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        yield cursor


def assert_refused(role, statement):
    with pytest.raises(DatabaseError) as refused, acting_as(role) as cursor:
        cursor.execute(statement)
    assert refused.value.__cause__.sqlstate == INSUFFICIENT_PRIVILEGE, refused.value


@on_postgresql
def test_it_refuses_the_app_role_emptying_the_audit_trail(roles, administrator):
    record_event(
        actor=administrator, action=Action.SECURITY, via=Interface.CLI, object_type="security.drill"
    )
    app = roles["app"]
    assert_refused(app, "TRUNCATE audit_auditevent")
    assert_refused(app, "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL")
    assert_refused(app, "SET session_replication_role = replica")
    assert_refused(app, "DELETE FROM audit_auditevent")
    assert_refused(app, "UPDATE audit_auditevent SET detail = '{}'")
    assert_refused(app, "DROP TABLE audit_auditevent")
    assert AuditEvent.objects.filter(action=Action.SECURITY).count() == 1


@on_postgresql
def test_it_refuses_the_app_role_deleting_patients(roles, patient_a):
    assert_refused(roles["app"], f"DELETE FROM patients_patient WHERE id = {patient_a.pk}")
    assert Patient.objects.filter(pk=patient_a.pk).exists()


@on_postgresql
def test_it_refuses_the_app_role_truncating_any_table(roles):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [name for (name,) in cursor.fetchall()]
    # The third-party tables and the cache table too (django-tasks-db, axes, django-otp).
    for table in ("mesoclinic_shared_cache", "django_tasks_database_dbtaskresult"):
        assert table in tables
    assert any(t.startswith("axes_") for t in tables) and any(t.startswith("otp_") for t in tables)
    for table in tables:
        assert_refused(roles["app"], f'TRUNCATE "{table}"')


@on_postgresql
def test_it_gives_the_app_role_no_ownership_and_no_dangerous_privilege(roles):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication "
            "FROM pg_roles WHERE rolname = %s",
            [roles["app"]],
        )
        assert cursor.fetchone() == (False, False, False, False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE pg_get_userbyid(relowner) = %s", [roles["app"]]
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT DISTINCT privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = %s",
            [roles["app"]],
        )
        assert {p for (p,) in cursor.fetchall()} == {"SELECT", "INSERT", "UPDATE", "DELETE"}


@on_postgresql
def test_it_grants_tables_a_later_migration_creates(roles):
    with acting_as(roles["owner"]) as cursor:
        cursor.execute("CREATE TABLE security_later (id bigint PRIMARY KEY, note text)")
    with acting_as(roles["app"]) as cursor:
        cursor.execute("INSERT INTO security_later VALUES (1, 'a')")
        cursor.execute("DELETE FROM security_later")
    assert_refused(roles["app"], "TRUNCATE security_later")


@on_postgresql
def test_it_lets_the_app_role_do_the_apps_work(roles, client, receptionist, clinic_a):
    client.force_login(receptionist)
    with acting_as(roles["app"]):
        patient = patient_services.register_patient(
            acting_user=receptionist,
            via=Interface.WEB,
            clinic=clinic_a,
            data={
                "first_name": "Sana",
                "last_name": "Malik",
                "date_of_birth": "1992-03-04",
                "sex": "female",
                "cnic": "3520299999994",
                "mobile": "+923009999999",
            },
        )
        patient_services.update_patient(
            acting_user=receptionist,
            via=Interface.WEB,
            patient=patient,
            data={"email": "sana@example.pk"},
        )
        message = enqueue(key="db-roles-check")
        page = client.get(reverse("patients:list"), {"q": "Malik"})
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == roles["app"]
    assert page.status_code == 200
    assert Message.objects.filter(pk=message.pk).exists()
    assert AuditEvent.objects.filter(object_type="patients.patient", object_id=str(patient.pk))


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite answer")
def test_it_explains_roles_are_postgresql_only(db):
    from io import StringIO

    out = StringIO()
    call_command("db_roles", stdout=out)
    assert "PostgreSQL" in out.getvalue()
