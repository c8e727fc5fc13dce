"""Reports read from a PostgreSQL read replica, when one is configured; everything else from
the primary.

Opt-in per code path, never per model: a clinic's workflow reads what it has just written
(the session charted a second ago, the consent just signed), which a replica may not have yet.
Only reads that tolerate a moment's lag run inside `replica_reads()`: the audit log page today,
reports and exports as they come. Recall lists stay on the primary on purpose: a recall must
include the patient treated a second ago. Without DATABASE_REPLICA_URL the block reads from the
primary too, so development and tests need no replica.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_replica_reads = ContextVar("mesoclinic_replica_reads", default=False)


@contextmanager
def replica_reads():
    """Inside this block, model reads go to the replica (when configured)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _replica_reads.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None  # the default database

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: rows from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
