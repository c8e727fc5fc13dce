"""The Bulk Data export's endpoints (HL7 Bulk Data Access IG v2): the kick-offs
(`$export`, `Patient/$export`, `Group/<clinic id>/$export`), the status URL (poll, DELETE to
cancel) and the files. A job and its files answer only to the user who asked: 404 to anyone
else, whatever their role."""

from datetime import timedelta
from itertools import chain

from django.conf import settings
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from rest_framework.response import Response

from mesoclinic.audit.services import Action, record_event
from mesoclinic.care.storage import private_storage
from mesoclinic.core.encrypted_storage import UndecryptableFile
from mesoclinic.fhir import bulk, exports, registry
from mesoclinic.fhir.models import ExportJob
from mesoclinic.fhir.outcome import FhirError, forbidden, gone, issue, not_found, outcome
from mesoclinic.fhir.resources.directory import visible_clinics
from mesoclinic.fhir.views import FhirView, query_pairs

#: Seconds a client is asked to wait between polls.
RETRY_AFTER = 5
SCOPES = {
    ExportJob.Kind.SYSTEM: "A system export",
    ExportJob.Kind.PATIENT: "A Patient export",
    ExportJob.Kind.GROUP: "A Group export",
}


class ExportKickOffView(FhirView):
    kind = ExportJob.Kind.SYSTEM

    def get(self, request, group_id=None):
        require_right(request.user)
        clinic = None
        if self.kind == ExportJob.Kind.GROUP:
            clinic = visible_clinics(request.user).filter(pk=group_id).first()
            if clinic is None:
                raise not_found(f"Group/{group_id} is not known to this server.")
        parsed = bulk.kick_off(
            headers=request.headers,
            params=query_pairs(request),
            available=exports.available_types(self.kind),
            known=[resource_type.name for resource_type in registry.all_types()],
            scope=SCOPES[self.kind],
            now=timezone.now(),
        )
        job = exports.start_export(
            acting_user=request.user,
            kind=self.kind,
            clinic=clinic,
            types=parsed.types,
            since=parsed.since,
            request=request.build_absolute_uri(),
        )
        issues = [
            issue(
                "informational",
                "The export has started: poll the Content-Location URL.",
                severity="information",
            )
        ]
        if parsed.ignored:
            issues.append(
                issue(
                    "not-supported",
                    f"Ignored (lenient handling): {', '.join(parsed.ignored)}.",
                    severity="warning",
                )
            )
        response = Response(outcome(issues), status=202)
        response["Content-Location"] = request.build_absolute_uri(
            reverse("fhir:export_status", kwargs={"job_id": job.pk})
        )
        return response


def require_right(user) -> None:
    """403 for anyone without the right to export, at kick-off and afterwards (a manager who
    lost the role no longer reads the files of an export made before)."""
    if not exports.may_export(user):
        raise forbidden(
            "Bulk export is for administrators, clinic managers and accounts granted "
            f"the {exports.PERMISSION} permission."
        )


def own_job(user, job_id) -> ExportJob:
    """The user's own job, else 404: another user's job looks like no job."""
    require_right(user)
    job = ExportJob.objects.filter(pk=job_id, owner=user).first()
    if job is None or not exports.still_in_scope(user, job):
        raise not_found("No such export.")
    return job


def _expired(job: ExportJob) -> bool:
    if job.status == ExportJob.Status.EXPIRED:
        return True
    return job.status == ExportJob.Status.COMPLETED and job.expires_at <= timezone.now()


class ExportStatusView(FhirView):
    def get(self, request, job_id):
        job = own_job(request.user, job_id)
        if exports.fail_if_stalled(job, now=timezone.now()):
            job.refresh_from_db()
        if _expired(job):
            raise gone("This export's files have expired and were deleted: export again.")
        if job.status == ExportJob.Status.CANCELLED:
            raise not_found("This export was cancelled.")
        if job.status == ExportJob.Status.FAILED:
            raise FhirError(500, [issue("exception", job.error)])
        if job.status != ExportJob.Status.COMPLETED:
            response = Response(status=202)
            response["X-Progress"] = bulk.progress(job.written, job.total)
            response["Retry-After"] = str(RETRY_AFTER)
            return response
        base = self.base_url()
        files = [(item, f"{base}/$export-file/{job.pk}/{item['name']}") for item in job.files]
        body = bulk.manifest(
            transaction_time=job.started_at
            - timedelta(seconds=settings.FHIR_EXPORT_SINCE_OVERLAP_SECONDS),
            request=job.request,
            output=[
                (i["type"], url, i["count"]) for i, url in files if i["type"] != "OperationOutcome"
            ],
            errors=[(url, i["count"]) for i, url in files if i["type"] == "OperationOutcome"],
            expires=job.expires_at,
        )
        response = Response(body, content_type="application/json")
        response["Expires"] = bulk.http_date(job.expires_at)
        return response

    def delete(self, request, job_id):
        job = own_job(request.user, job_id)
        if not exports.cancel_export(acting_user=request.user, job=job):
            raise not_found("This export was already cancelled or has expired.")
        return Response(
            outcome([issue("informational", "The export was cancelled.", severity="information")]),
            status=202,
        )


class ExportFileView(FhirView):
    def get(self, request, job_id, file_name):
        job = own_job(request.user, job_id)
        if _expired(job):
            raise gone("This export's files have expired and were deleted: export again.")
        item = next((f for f in job.files if f["name"] == file_name), None)
        if job.status != ExportJob.Status.COMPLETED or item is None:
            raise not_found("No such file in this export.")
        chunks = private_storage().read_stream(item["path"])
        try:
            first = next(chunks, b"")
        except (OSError, UndecryptableFile):
            # Removed by a cancel or the cleanup a moment ago, or unreadable: never a 500.
            raise gone("This export's file is no longer available: export again.") from None
        record_event(
            actor=request.user,
            action=Action.VIEW,
            via=exports.VIA,
            object_type="fhir.exportjob",
            object_id=job.pk,
            clinic_id=job.clinic_id,
            detail={"file": item["name"], "type": item["type"], "count": item["count"]},
        )
        return StreamingHttpResponse(chain([first], chunks), content_type="application/fhir+ndjson")
