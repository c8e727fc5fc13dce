"""Reads go to the replica only inside `replica_reads()` and only when one is configured;
writes and migrations always go to the primary."""

import pytest

from mesoclinic.audit.models import AuditEvent
from mesoclinic.core.db_router import ReplicaRouter, replica_reads
from mesoclinic.patients.models import Patient

router = ReplicaRouter()


@pytest.fixture
def with_replica(settings, recwarn):
    # Django warns that overriding DATABASES does not reconnect; the router only reads it.
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}


def test_without_a_replica_every_read_is_the_primarys(settings):
    with replica_reads():
        assert router.db_for_read(AuditEvent) is None


def test_with_a_replica_only_reports_read_from_it(with_replica):
    assert router.db_for_read(Patient) is None  # the workflow reads its own writes
    with replica_reads():
        assert router.db_for_read(AuditEvent) == "replica"
        assert router.db_for_write(AuditEvent) == "default"
    assert router.db_for_read(AuditEvent) is None


def test_the_replica_is_never_migrated(with_replica):
    assert router.allow_migrate("default", "patients")
    assert not router.allow_migrate("replica", "patients")


@pytest.mark.django_db
def test_the_audit_log_page_still_works_with_no_replica(client, administrator):
    client.force_login(administrator)
    response = client.get("/audit/")
    assert response.status_code == 200
