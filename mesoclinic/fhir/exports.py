"""Bulk Data export (`$export`): who may run one, what it reads, the worker's task that writes
the NDJSON files, cancelling, and the scheduler's cleanup of expired files.

What an export contains is what its owner could read through the FHIR searches: every row comes
from the registry's `Source.queryset(user)` (the one scoping rule), narrowed to one clinic for a
Group export (`Source.clinic`) and to the sources that belong to a patient for a Patient export
(`Source.patient`). Rows are streamed in primary-key order with `.iterator()` and written line by
line into encrypted streamed files (core/encrypted_storage.py), so memory stays flat whatever the
size; reads go to the read replica when one is configured (core/db_router.py). Nothing is kept
between jobs: two identical exports read the same rows afresh.

Audit: one row per job when it ends (completed, failed or cancelled) — the moment the data was
read — with its kind, types and counts; and one per file downloaded (views)."""

import json
import logging
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.tasks import task
from django.utils import timezone

from mesoclinic.accounts.roles import Role, is_administrator, roles_of
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care.storage import private_storage
from mesoclinic.clinics import scoping
from mesoclinic.core.db_router import replica_reads
from mesoclinic.core.encrypted_storage import STREAM_SUFFIX
from mesoclinic.fhir import registry
from mesoclinic.fhir.models import ExportJob
from mesoclinic.fhir.outcome import FhirError, issue

logger = logging.getLogger(__name__)
VIA = Interface.FHIR
#: Rows per database round trip; the job's progress is saved (and a cancel seen) as often.
CHUNK = 1000
DEFAULT_HOURS = 24
DEFAULT_FILE_RESOURCES = 100_000
DEFAULT_MAX_ACTIVE = 2
DEFAULT_STALL_MINUTES = 30
PERMISSION = "fhir.export_bulk_data"


def still_in_scope(user, job: ExportJob) -> bool:
    """Whether `user` still reads every clinic the job covered (the right to export is checked
    apart): a membership removed since the export ends access to its files."""
    now = scoping.clinic_ids(user, scoping.Kind.PATIENT)
    if now is None:
        return True
    if job.scope_clinics is None:
        return False
    return set(job.scope_clinics) <= set(now)


def may_export(user) -> bool:
    """Administrators and clinic managers may export (managers: their clinics' records, which
    they already read one by one); anyone else only with the `fhir.export_bulk_data` permission
    granted in the admin (an integration's account). Still only what the user may read."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_administrator(user) or Role.CLINIC_MANAGER in roles_of(user):
        return True
    return user.has_perm(PERMISSION)


def available_types(kind: str) -> list[str]:
    """The types an export of this kind offers (all of them when `_type` is not given): those
    with stored rows (`sources`; a computed type, such as free Slots, is not a record), and for
    a Patient or Group export those with a source that has a patient or a clinic."""
    path = {ExportJob.Kind.PATIENT: "patient", ExportJob.Kind.GROUP: "clinic"}.get(kind)
    return [
        resource_type.name
        for resource_type in registry.all_types()
        if resource_type.sources
        and (path is None or any(getattr(source, path) for source in resource_type.sources))
    ]


def plan(job: ExportJob, user) -> list[tuple[str, list[tuple[registry.Source, object]]]]:
    """(type, [(source, queryset)]) for each type of the job, each queryset scoped to `user`,
    narrowed to the job's kind, clinic and `_since`, in primary-key order."""
    result = []
    for type_name in job.types:
        resource_type = registry.get(type_name)
        if resource_type is None:  # a type withdrawn since the kick-off
            continue
        sources = []
        for source in resource_type.sources:
            condition = Q()
            if job.kind == ExportJob.Kind.PATIENT:
                if not source.patient:
                    continue
            elif job.kind == ExportJob.Kind.GROUP:
                if not source.clinic:
                    continue
                condition &= Q(**{source.clinic: job.clinic_id})
            if job.since is not None:
                condition &= Q(**{f"{source.updated}__gte": job.since})
            sources.append((source, source.queryset(user).filter(condition).order_by("pk")))
        result.append((type_name, sources))
    return result


def start_export(
    *, acting_user, kind: str, clinic=None, types, since: datetime | None, request: str
) -> ExportJob:
    """Queue an export for the worker; 429 when the user already has as many running as
    FHIR_EXPORT_MAX_ACTIVE (an export reads a whole chain's records: a few at a time)."""
    limit = getattr(settings, "FHIR_EXPORT_MAX_ACTIVE", DEFAULT_MAX_ACTIVE)
    with transaction.atomic():
        active = ExportJob.objects.filter(owner=acting_user, status__in=ExportJob.ACTIVE)
        if active.count() >= limit:
            raise FhirError(
                429,
                [issue("throttled", f"At most {limit} exports may run at once: wait for one.")],
                headers={"Retry-After": "60"},
            )
        job = ExportJob.objects.create(
            owner=acting_user,
            kind=kind,
            clinic=clinic,
            scope_clinics=scoping.clinic_ids(acting_user, scoping.Kind.PATIENT),
            types=list(types),
            since=since,
            request=request,
        )
        job_id = str(job.pk)
        transaction.on_commit(lambda: run_export.enqueue(job_id), robust=True)
    return job


def cancel_export(*, acting_user, job: ExportJob) -> bool:
    """DELETE on the status URL: stop the job (the worker sees it within CHUNK rows) and
    remove its files. A job that had not ended gets its audit row here. False when there was
    nothing left to cancel (already cancelled or expired)."""
    with transaction.atomic():
        # The status as it stands now, locked: a worker completing the job meanwhile has
        # written its own audit row, and this one must not contradict it.
        status = (
            ExportJob.objects.select_for_update()
            .filter(pk=job.pk)
            .values_list("status", flat=True)
            .first()
        )
        cancelled = ExportJob.objects.filter(
            pk=job.pk,
            status__in=(*ExportJob.ACTIVE, ExportJob.Status.COMPLETED, ExportJob.Status.FAILED),
        ).update(
            status=ExportJob.Status.CANCELLED,
            finished_at=Coalesce("finished_at", timezone.now()),
            expires_at=None,
        )
        if cancelled and status in ExportJob.ACTIVE:
            _audit(job, status=ExportJob.Status.CANCELLED, counts={})
        transaction.on_commit(lambda: remove_files(job))
    return bool(cancelled)


def remove_files(job: ExportJob) -> None:
    shutil.rmtree(private_storage().path(job.folder), ignore_errors=True)


class Cancelled(Exception):
    pass


@dataclass
class _Output:
    """The files being written: one per type, a new one after FHIR_EXPORT_FILE_RESOURCES."""

    job: ExportJob
    per_file: int
    files: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    written: int = 0
    _writer: object = None
    _current: dict | None = None

    def write(self, type_name: str, resource: dict) -> None:
        current = self._current
        if current is None or current["type"] != type_name or current["count"] >= self.per_file:
            self._open(type_name)
        line = json.dumps(resource, ensure_ascii=False, separators=(",", ":"))
        self._writer.write(line.encode() + b"\n")
        self._current["count"] += 1
        if type_name != "OperationOutcome":
            self.counts[type_name] = self.counts.get(type_name, 0) + 1
            self.written += 1

    def _open(self, type_name: str) -> None:
        self.close()
        number = 1 + sum(1 for item in self.files if item["type"] == type_name)
        name = f"{type_name}-{number}.ndjson"
        path = f"{self.job.folder}/{name}{STREAM_SUFFIX}"
        self._writer = private_storage().open_stream_writer(path)
        self._current = {"type": type_name, "name": name, "path": path, "count": 0}

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self.files.append(self._current)
            self._writer, self._current = None, None

    def discard(self) -> None:
        if self._writer is not None:
            self._writer.discard()
            self._writer, self._current = None, None


@task()
def run_export(job_id: str) -> str:
    """The worker's task: write the job's files and complete it. A failure marks the job failed
    with the kind of error only (its text could carry patient data) and is not raised again:
    the job row, not the task's, is what the client polls."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return "not queued"
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    if not may_export(job.owner):  # the right was withdrawn since the kick-off
        _mark_failed(job, "You may no longer export.", status=ExportJob.Status.RUNNING)
        return "failed"
    per_file = getattr(settings, "FHIR_EXPORT_FILE_RESOURCES", DEFAULT_FILE_RESOURCES)
    output, errors = _Output(job, per_file), _Output(job, per_file)
    try:
        with replica_reads():
            steps = plan(job, job.owner)
            total = sum(queryset.count() for _name, sources in steps for _s, queryset in sources)
            _still_running(job, total=total)
            for type_name, sources in steps:
                for source, queryset in sources:
                    for row in rows(queryset):
                        try:
                            resource = source.to_resource(row)
                        except Exception as exc:  # one bad row does not sink the export
                            errors.write(
                                "OperationOutcome", _row_error(type_name, source, row, exc)
                            )
                            continue
                        output.write(type_name, resource)
                        if output.written % CHUNK == 0:
                            _still_running(job, written=output.written)
        output.close()
        errors.close()
    except Cancelled:
        output.discard()
        errors.discard()
        remove_files(job)
        return "cancelled"
    except Exception as exc:
        output.discard()
        errors.discard()
        remove_files(job)
        _fail(job, exc)
        return "failed"
    return _complete(job, output, errors)


def rows(queryset):
    """The queryset's rows, CHUNK at a time, in primary-key order: a server-side cursor
    (`.iterator()`), or, where those are disabled (PgBouncer in transaction mode), keyset pages
    (`pk > last`), since a client-side cursor would hold every row in memory at once."""
    if not settings.DATABASES[queryset.db].get("DISABLE_SERVER_SIDE_CURSORS"):
        yield from queryset.iterator(chunk_size=CHUNK)
        return
    last = None
    while True:
        page = list((queryset if last is None else queryset.filter(pk__gt=last))[:CHUNK])
        yield from page
        if len(page) < CHUNK:
            return
        last = page[-1].pk


def _still_running(job: ExportJob, **progress) -> None:
    """Save the progress; Cancelled when the job was cancelled meanwhile (one UPDATE)."""
    running = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING)
    if not running.update(heartbeat_at=timezone.now(), **progress):
        raise Cancelled


def _row_error(type_name: str, source, row, exc: Exception) -> dict:
    ident = source.id_of(row.pk)
    logger.warning("export: %s/%s not mapped: %s", type_name, ident, type(exc).__name__)
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            issue(
                "exception",
                f"{type_name}/{ident} could not be exported ({type(exc).__name__}).",
            )
        ],
    }


def _complete(job: ExportJob, output: _Output, errors: _Output) -> str:
    now = timezone.now()
    hours = getattr(settings, "FHIR_EXPORT_HOURS", DEFAULT_HOURS)
    counts = {name: output.counts.get(name, 0) for name in job.types}
    with transaction.atomic():
        done = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
            status=ExportJob.Status.COMPLETED,
            written=output.written,
            counts=counts,
            files=output.files + errors.files,
            finished_at=now,
            expires_at=now + timedelta(hours=hours),
        )
        if done:
            _audit(job, status=ExportJob.Status.COMPLETED, counts=counts)
    if not done:
        remove_files(job)
        return "cancelled"
    return "completed"


def _fail(job: ExportJob, exc: Exception) -> None:
    kind = type(exc).__name__
    logger.error("export %s failed: %s", job.pk, kind)
    _mark_failed(
        job,
        f"The export stopped on the server ({kind}). Start it again; if it fails again, tell "
        "the administrator.",
        status=ExportJob.Status.RUNNING,
    )


def _mark_failed(job: ExportJob, error: str, *, status, **conditions) -> bool:
    with transaction.atomic():
        failed = ExportJob.objects.filter(pk=job.pk, status=status, **conditions).update(
            status=ExportJob.Status.FAILED, error=error, finished_at=timezone.now()
        )
        if failed:
            _audit(job, status=ExportJob.Status.FAILED, counts={})
    return bool(failed)


def fail_if_stalled(job: ExportJob, *, now: datetime) -> bool:
    """A running job whose worker has been silent for FHIR_EXPORT_STALL_MINUTES (the worker
    was stopped or lost its database), or a job no worker took for a day, is failed: the
    client is told so (500) instead of polling forever. Whether it was failed now."""
    minutes = getattr(settings, "FHIR_EXPORT_STALL_MINUTES", DEFAULT_STALL_MINUTES)
    if job.status == ExportJob.Status.RUNNING:
        silent = now - timedelta(minutes=minutes)
        if job.heartbeat_at is None or job.heartbeat_at >= silent:
            return False
        error = f"The export's worker stopped answering for {minutes} minutes. Start it again."
        return _mark_failed(job, error, status=job.status, heartbeat_at__lt=silent)
    if job.status == ExportJob.Status.QUEUED and job.created_at < now - timedelta(days=1):
        error = "No worker took the export for a day. Start it again later."
        return _mark_failed(job, error, status=job.status)
    return False


def _audit(job: ExportJob, *, status: str, counts: dict) -> None:
    record_event(
        actor=job.owner,
        action=Action.LIST,
        via=VIA,
        object_type="fhir.exportjob",
        object_id=job.pk,
        clinic_id=job.clinic_id,
        detail={
            "fhir": "$export",
            "kind": job.kind,
            "types": list(job.types),
            "since": bool(job.since),
            "status": status,
            "counts": counts,
        },
    )


def delete_expired_exports(*, now: datetime) -> int:
    """The scheduler's job: remove the files of completed exports past `expires_at`, fail the
    stalled jobs, and remove what jobs that ended otherwise left (a worker stopped mid-write);
    how many jobs expired."""
    expired = 0
    due = ExportJob.objects.filter(status=ExportJob.Status.COMPLETED, expires_at__lte=now)
    for job in due.only("pk").iterator(chunk_size=CHUNK):
        remove_files(job)
        expired += ExportJob.objects.filter(
            pk=job.pk, status=ExportJob.Status.COMPLETED, expires_at__lte=now
        ).update(status=ExportJob.Status.EXPIRED)
    for job in ExportJob.objects.filter(status__in=ExportJob.ACTIVE).select_related("owner"):
        fail_if_stalled(job, now=now)
    ended = ExportJob.objects.filter(
        status__in=(ExportJob.Status.FAILED, ExportJob.Status.CANCELLED),
        finished_at__gte=now - timedelta(days=2),
    )
    for job in ended.only("pk").iterator(chunk_size=CHUNK):
        remove_files(job)
    return expired


BULK = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/"
for _resource, _definition, _what in (
    (None, "export", "every resource the user may read"),
    ("Patient", "patient-export", "the resources of the patients the user may read"),
    ("Group", "group-export", "the resources of one clinic (the group) the user may read"),
):
    registry.register_operation(
        registry.Operation(
            name="export",
            definition=BULK + _definition,
            documentation=(
                f"Bulk Data export (IG v2) of {_what}, as NDJSON files: `Prefer: respond-async`; "
                "_type, _since and _outputFormat (application/fhir+ndjson). Administrators, "
                "clinic managers and accounts with the fhir.export_bulk_data permission; files "
                "expire after FHIR_EXPORT_HOURS."
            ),
            resource=_resource,
        )
    )
