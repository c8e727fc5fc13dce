"""Bulk Data export (`$export`, IG v2): kick-off, polling, the manifest and the files, with the
real worker; who may export and what each export holds; cancelling, expiry and bad requests."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.utils import timezone

from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.storage import private_storage
from mesoclinic.fhir import bulk, exports
from mesoclinic.fhir.mapping.common import instant
from mesoclinic.fhir.models import ExportJob
from mesoclinic.fhir.tests.conftest import BASE, FHIR_JSON, FhirClient
from mesoclinic.fhir.tests.validator import assert_valid
from mesoclinic.patients.models import Patient

ASYNC = {"HTTP_PREFER": "respond-async"}
# The worker closes its connection between tasks, which would end a test's surrounding
# transaction: the tests that run it commit for real.
worker_test = pytest.mark.django_db(transaction=True)
pytestmark = pytest.mark.django_db


def kick_off(client: FhirClient, path: str = "$export", data=None, **extra):
    headers = {"HTTP_ACCEPT": FHIR_JSON, **ASYNC, **extra}
    return client.get(f"{BASE}/{path}", data, **headers)


def status_path(response) -> str:
    assert response.status_code == 202, response.content
    return response["Content-Location"].split(BASE + "/", 1)[1]


def finished_manifest(client: FhirClient, response, run_task_worker) -> dict:
    status = status_path(response)
    polled = client.fhir_get(status)
    assert polled.status_code == 202
    assert polled["Retry-After"] == "5" and polled["X-Progress"]
    run_task_worker()
    done = client.fhir_get(status)
    assert done.status_code == 200, done.content
    return done.json()


def download(client: FhirClient, url: str) -> list[dict]:
    response = client.get(url.split("testserver", 1)[1], HTTP_ACCEPT="application/fhir+ndjson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+ndjson"
    text = b"".join(response.streaming_content).decode()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def everything(client, manifest) -> dict[str, list[dict]]:
    """Every exported resource by type, checking each line against its file's type and count."""
    found: dict[str, list[dict]] = {}
    for item in manifest["output"]:
        lines = download(client, item["url"])
        assert len(lines) == item["count"]
        assert {line["resourceType"] for line in lines} == {item["type"]}
        for line in lines:
            assert_valid(line)
        found.setdefault(item["type"], []).extend(lines)
    return found


@pytest.fixture
def three_patients(make_patient, clinic_a, clinic_b):
    return [make_patient(clinic_a), make_patient(clinic_a), make_patient(clinic_b)]


@worker_test
def test_it_exports_what_the_manager_may_read_through_the_worker(
    fhir_as, manager, three_patients, clinic_a, run_task_worker
):
    client = fhir_as(manager)
    response = kick_off(client)
    assert response.json()["resourceType"] == "OperationOutcome"
    manifest = finished_manifest(client, response, run_task_worker)

    assert manifest["requiresAccessToken"] is True
    assert manifest["request"].endswith("/fhir/R4/$export")
    assert manifest["error"] == []
    job = ExportJob.objects.get()
    # The start less the overlap (settings): a write committed late is in the next export.
    overlap = timedelta(seconds=settings.FHIR_EXPORT_SINCE_OVERLAP_SECONDS)
    assert manifest["transactionTime"] == instant(job.started_at - overlap)
    assert manifest["extension"] == {bulk.EXPIRES_EXTENSION: instant(job.expires_at)}
    found = everything(client, manifest)
    a_patients = sorted(str(p.pk) for p in three_patients[:2])
    assert sorted(r["id"] for r in found["Patient"]) == a_patients
    assert [r["id"] for r in found["Organization"]] == [str(clinic_a.pk)]
    assert [r["id"] for r in found["Group"]] == [str(clinic_a.pk)]
    # Every registered type is exported; the clinic's directory and its two patients are all
    # the data there is (the other types count 0).
    found_counts = {name: count for name, count in job.counts.items() if count}
    assert found_counts == {"Group": 1, "Location": 1, "Organization": 1, "Patient": 2}
    # One audit row for the job, with types and counts and no names; one per file read.
    row = AuditEvent.objects.get(object_type="fhir.exportjob", action="list")
    assert row.detail["counts"] == job.counts and row.detail["status"] == "completed"
    assert "Ayesha" not in json.dumps(row.detail)
    views = AuditEvent.objects.filter(object_type="fhir.exportjob", action="view")
    assert views.count() == len(manifest["output"])


@worker_test
def test_it_gives_the_same_counts_to_a_second_identical_export(
    fhir_as, administrator, three_patients, run_task_worker
):
    client = fhir_as(administrator)
    first = finished_manifest(client, kick_off(client), run_task_worker)
    second = finished_manifest(client, kick_off(client), run_task_worker)
    counts = [{item["type"]: item["count"] for item in m["output"]} for m in (first, second)]
    assert counts[0] == counts[1] and counts[0]["Patient"] == 3
    assert first["output"][0]["url"] != second["output"][0]["url"]


@worker_test
def test_it_honours_type_and_since(fhir_as, administrator, three_patients, run_task_worker):
    new = three_patients[1]
    long_ago = timezone.now() - timedelta(days=30)
    Patient.objects.exclude(pk=new.pk).update(updated_at=long_ago)
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    client = fhir_as(administrator)
    response = kick_off(client, data={"_type": "Patient", "_since": since})
    found = everything(client, finished_manifest(client, response, run_task_worker))
    assert list(found) == ["Patient"]
    assert [r["id"] for r in found["Patient"]] == [str(new.pk)]


@worker_test
def test_it_limits_a_patient_export_to_patient_types(
    fhir_as, administrator, three_patients, run_task_worker
):
    client = fhir_as(administrator)
    found = everything(
        client, finished_manifest(client, kick_off(client, "Patient/$export"), run_task_worker)
    )
    assert "Organization" not in found and "Group" not in found
    assert len(found["Patient"]) == 3
    refused = kick_off(client, "Patient/$export", {"_type": "Organization"})
    assert refused.status_code == 400
    assert "Patient export has no Organization" in refused.json()["issue"][0]["diagnostics"]


@worker_test
def test_it_limits_a_group_export_to_its_clinic(
    fhir_as, administrator, manager, three_patients, clinic_a, clinic_b, run_task_worker
):
    client = fhir_as(administrator)
    manifest = finished_manifest(
        client, kick_off(client, f"Group/{clinic_b.pk}/$export"), run_task_worker
    )
    found = everything(client, manifest)
    assert [r["id"] for r in found["Patient"]] == [str(three_patients[2].pk)]
    assert [r["id"] for r in found["Organization"]] == [str(clinic_b.pk)]
    assert ExportJob.objects.get().clinic == clinic_b
    # A manager of clinic A does not see clinic B: its group is not found.
    assert kick_off(fhir_as(manager), f"Group/{clinic_b.pk}/$export").status_code == 404


@worker_test
def test_it_splits_files_and_keeps_them_encrypted_at_rest(
    fhir_as, administrator, three_patients, settings, run_task_worker
):
    settings.FHIR_EXPORT_FILE_RESOURCES = 2
    client = fhir_as(administrator)
    manifest = finished_manifest(
        client, kick_off(client, data={"_type": "Patient"}), run_task_worker
    )
    assert [(i["url"].rsplit("/", 1)[1], i["count"]) for i in manifest["output"]] == [
        ("Patient-1.ndjson", 2),
        ("Patient-2.ndjson", 1),
    ]
    for item in ExportJob.objects.get().files:
        raw = Path(private_storage().path(item["path"])).read_bytes()
        assert raw.startswith(b"gAAAAA") and b"Ayesha" not in raw and b"Patient" not in raw


@worker_test
def test_it_answers_another_users_status_and_files_with_404(
    fhir_as, administrator, manager, three_patients, run_task_worker
):
    client = fhir_as(manager)
    response = kick_off(client)
    status = status_path(response)
    manifest = finished_manifest(client, response, run_task_worker)
    other = fhir_as(administrator)
    assert other.fhir_get(status).status_code == 404
    url = manifest["output"][0]["url"].split("testserver", 1)[1]
    assert other.get(url).status_code == 404
    assert other.delete(f"{BASE}/{status}").status_code == 404
    assert client.get(url).status_code == 200


def test_it_refuses_staff_without_the_right_with_403(
    fhir_as, receptionist, practitioner_user, patient_a
):
    for user in (receptionist, practitioner_user):
        response = kick_off(fhir_as(user))
        assert response.status_code == 403
        assert response.json()["issue"][0]["code"] == "forbidden"
    assert not ExportJob.objects.exists()


def test_it_lets_an_account_granted_the_permission_export_while_it_holds_it(
    fhir_as, receptionist, patient_a
):
    permission = Permission.objects.get(codename="export_bulk_data")
    receptionist.user_permissions.add(permission)
    client = fhir_as(receptionist)
    status = status_path(kick_off(client, data={"_type": "Patient"}))
    job = ExportJob.objects.get()
    assert job.owner == receptionist
    receptionist.user_permissions.remove(permission)
    assert exports.run_export.call(str(job.pk)) == "failed"
    refused = FhirClient(receptionist).fhir_get(status)  # a fresh user object: no cached perms
    assert refused.status_code == 403
    assert ExportJob.objects.get().error == "You may no longer export."


@worker_test
def test_it_cancels_a_queued_export_and_removes_a_finished_ones_files(
    fhir_as, administrator, three_patients, run_task_worker
):
    client = fhir_as(administrator)
    status = status_path(kick_off(client))
    cancelled = client.delete(f"{BASE}/{status}")
    assert cancelled.status_code == 202
    assert client.fhir_get(status).status_code == 404
    assert client.delete(f"{BASE}/{status}").status_code == 404
    run_task_worker()  # the worker finds nothing to do
    assert ExportJob.objects.get().status == "cancelled"
    row = AuditEvent.objects.get(object_type="fhir.exportjob")
    assert row.detail["status"] == "cancelled"

    response = kick_off(client)
    manifest = finished_manifest(client, response, run_task_worker)
    job = ExportJob.objects.get(status="completed")
    folder = Path(private_storage().path(job.folder))
    assert folder.is_dir()
    assert client.delete(f"{BASE}/{status_path(response)}").status_code == 202
    assert not folder.exists()
    assert client.get(manifest["output"][0]["url"].split("testserver", 1)[1]).status_code == 404


def test_it_stops_a_running_export_that_was_cancelled(fhir_as, administrator, three_patients):
    client = fhir_as(administrator)
    kick_off(client)
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now())
    with pytest.raises(exports.Cancelled):
        ExportJob.objects.filter(pk=job.pk).update(status="cancelled", finished_at=timezone.now())
        exports._still_running(job, written=1)


@worker_test
def test_it_expires_files_and_the_cleanup_deletes_them(
    fhir_as, administrator, three_patients, run_task_worker
):
    client = fhir_as(administrator)
    response = kick_off(client)
    manifest = finished_manifest(client, response, run_task_worker)
    job = ExportJob.objects.get()
    url = manifest["output"][0]["url"].split("testserver", 1)[1]
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(url).status_code == 410
    assert client.fhir_get(status_path(response)).status_code == 410

    assert exports.delete_expired_exports(now=timezone.now()) == 1
    assert ExportJob.objects.get().status == "expired"
    assert not Path(private_storage().path(job.folder)).exists()
    assert client.get(url).status_code == 410
    assert exports.delete_expired_exports(now=timezone.now()) == 0


@worker_test
def test_it_reports_a_failed_export_with_500_and_why(
    fhir_as, administrator, three_patients, run_task_worker
):
    client = fhir_as(administrator)
    status = status_path(kick_off(client))
    # The job's folder cannot be made: a file stands where it should be.
    job = ExportJob.objects.get()
    blocker = Path(private_storage().path(job.folder))
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_bytes(b"in the way")
    run_task_worker()
    failed = client.fhir_get(status)
    assert failed.status_code == 500
    body = failed.json()
    assert body["resourceType"] == "OperationOutcome"
    assert "stopped on the server" in body["issue"][0]["diagnostics"]
    assert AuditEvent.objects.get(object_type="fhir.exportjob").detail["status"] == "failed"
    blocker.unlink()


@pytest.mark.parametrize(
    ("params", "headers", "says"),
    [
        ({}, {"HTTP_PREFER": ""}, "Prefer: respond-async"),
        ({"_outputFormat": "text/csv"}, {}, "_outputFormat"),
        ({"_type": "Nothing"}, {}, "no Nothing resources"),
        ({"_type": "Patient,"}, {}, "empty entry"),
        ({"_since": "yesterday"}, {}, "_since must be an instant"),
        ({"_since": "2999-01-01T00:00:00Z"}, {}, "future"),
        ({"_elements": "id"}, {}, "does not support the parameter _elements"),
        ({"_count": "5"}, {}, "not a parameter of $export"),
        ({}, {"HTTP_ACCEPT": "text/html"}, "Accept"),
    ],
)
def test_it_refuses_malformed_kick_offs_with_400(fhir_as, manager, params, headers, says):
    response = kick_off(fhir_as(manager), data=params, **headers)
    assert response.status_code == 400
    assert_valid(response.json())
    assert says in response.json()["issue"][0]["diagnostics"]
    assert not ExportJob.objects.exists()


def test_it_accepts_the_ndjson_format_names_and_ignores_unknown_params_when_lenient(
    fhir_as, administrator
):
    client = fhir_as(administrator)
    for name in ("ndjson", "application/ndjson", "application/fhir+ndjson"):
        assert kick_off(client, data={"_outputFormat": name}).status_code == 202
        ExportJob.objects.all().delete()
    lenient = kick_off(
        client, data={"_elements": "id"}, HTTP_PREFER="respond-async, handling=lenient"
    )
    assert lenient.status_code == 202
    assert "_elements" in lenient.json()["issue"][1]["diagnostics"]


def test_it_limits_how_many_exports_a_user_runs_at_once(fhir_as, administrator, settings):
    settings.FHIR_EXPORT_MAX_ACTIVE = 1
    client = fhir_as(administrator)
    assert kick_off(client).status_code == 202
    refused = kick_off(client)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert_valid(refused.json())


def test_it_lists_the_export_operations_in_the_capability_statement(client):
    rest = client.get(f"{BASE}/metadata").json()["rest"][0]
    assert {op["definition"].rsplit("/", 1)[1] for op in rest["operation"]} >= {"export"}
    by_type = {item["type"]: item for item in rest["resource"]}
    for type_name, definition in (("Patient", "patient-export"), ("Group", "group-export")):
        operations = by_type[type_name]["operation"]
        assert [op["definition"].rsplit("/", 1)[1] for op in operations] == [definition]
    assert FHIR_JSON


def test_it_reads_a_clinic_as_a_group(fhir_as, manager, clinic_a, clinic_b):
    client = fhir_as(manager)
    group = client.fhir_get(f"Group/{clinic_a.pk}").json()
    assert_valid(group)
    assert group["type"] == "person" and group["actual"] is True
    assert group["managingEntity"] == {"reference": f"Organization/{clinic_a.pk}"}
    assert client.fhir_get(f"Group/{clinic_b.pk}").status_code == 404


def test_it_fails_an_export_whose_worker_went_silent(fhir_as, administrator, settings):
    settings.FHIR_EXPORT_STALL_MINUTES = 10
    client = fhir_as(administrator)
    status = status_path(kick_off(client))
    long_ago = timezone.now() - timedelta(minutes=11)
    ExportJob.objects.update(status="running", started_at=long_ago, heartbeat_at=long_ago)
    failed = client.fhir_get(status)
    assert failed.status_code == 500
    assert_valid(failed.json())
    assert "stopped answering for 10 minutes" in failed.json()["issue"][0]["diagnostics"]
    assert AuditEvent.objects.get(object_type="fhir.exportjob").detail["status"] == "failed"
    # A job no worker took for a day is failed by the scheduler's cleanup.
    assert kick_off(client).status_code == 202
    ExportJob.objects.filter(status="queued").update(created_at=long_ago - timedelta(days=1))
    exports.delete_expired_exports(now=timezone.now())
    assert set(ExportJob.objects.values_list("status", flat=True)) == {"failed"}


def test_it_answers_a_poll_in_constant_queries(
    fhir_as, administrator, make_patient, clinic_a, django_assert_num_queries
):
    client = fhir_as(administrator)
    status = status_path(kick_off(client))
    for _ in range(2):
        make_patient(clinic_a)
        # The bad-token lockout check, the token with its user, the user's roles (staff
        # check), the throttle's counter (read, count, savepoint, select, update, release);
        # the job.
        with django_assert_num_queries(10):
            assert client.fhir_get(status).status_code == 202


def test_it_pages_by_key_where_server_side_cursors_are_disabled(
    fhir_as, administrator, make_patient, clinic_a, settings, monkeypatch
):
    monkeypatch.setitem(settings.DATABASES["default"], "DISABLE_SERVER_SIDE_CURSORS", True)
    monkeypatch.setattr(exports, "CHUNK", 2)  # pages of two rows, from five patients
    patients = [make_patient(clinic_a) for _ in range(5)]
    client = fhir_as(administrator)
    status_path(kick_off(client, data={"_type": "Patient"}))
    assert exports.run_export.call(str(ExportJob.objects.get().pk)) == "completed"
    job = ExportJob.objects.get()
    assert job.counts == {"Patient": 5} and job.written == 5
    text = b"".join(private_storage().read_stream(job.files[0]["path"])).decode()
    assert [json.loads(line)["id"] for line in text.splitlines()] == [str(p.pk) for p in patients]


def test_it_lists_rows_it_could_not_map_in_an_error_file_and_exports_the_rest(
    fhir_as, administrator, clinic_a, clinic_b, monkeypatch
):
    from mesoclinic.fhir import registry
    from mesoclinic.fhir.mapping.directory import organization_resource
    from mesoclinic.fhir.resources.directory import visible_clinics

    def fragile(clinic):
        if clinic.pk == clinic_b.pk:
            raise ValueError("Clinic B Lahore")  # a message that must not reach the file
        return organization_resource(clinic)

    broken = registry.ResourceType(
        name="Organization", sources=(registry.Source(visible_clinics, fragile, clinic="id"),)
    )
    monkeypatch.setitem(registry._TYPES, "Organization", broken)
    client = fhir_as(administrator)
    status = status_path(kick_off(client, data={"_type": "Organization"}))
    assert exports.run_export.call(str(ExportJob.objects.get().pk)) == "completed"
    manifest = client.fhir_get(status).json()
    assert [item["count"] for item in manifest["output"]] == [1]
    [error] = manifest["error"]
    assert error["type"] == "OperationOutcome" and error["count"] == 1
    [outcome] = download(client, error["url"])
    assert_valid(outcome)
    text = outcome["issue"][0]["diagnostics"]
    assert text == f"Organization/{clinic_b.pk} could not be exported (ValueError)."


@worker_test
def test_it_closes_an_export_to_a_manager_moved_off_its_clinic(
    fhir_as, manager, three_patients, clinic_a, run_task_worker
):
    client = fhir_as(manager)
    response = kick_off(client, f"Group/{clinic_a.pk}/$export")
    manifest = finished_manifest(client, response, run_task_worker)
    file_url = manifest["output"][0]["url"].split("testserver", 1)[1]
    assert client.get(file_url).status_code == 200
    manager.memberships.filter(clinic=clinic_a).delete()
    # Still a manager, so still allowed to export; but clinic A's records are no longer theirs.
    assert client.get(file_url).status_code == 404
    assert client.fhir_get(status_path(response)).status_code == 404


def test_it_groups_a_patients_records_by_the_clinic_the_patient_is_registered_at():
    """A Group (a clinic) is its registered patients: every record of a patient is placed in a
    Group by the patient's clinic, so a Group export never holds another clinic's patients'
    records, nor references a Patient it leaves out (the Bulk Data IG's group export)."""
    from mesoclinic.fhir import registry

    for resource_type in registry.all_types():
        for source in resource_type.sources:
            if source.patient is None or source.patient == "id":
                continue
            through = source.patient.removesuffix("_id")
            assert source.clinic == f"{through}__registered_clinic_id", resource_type.name
