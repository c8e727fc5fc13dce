"""/api/v1/messages/: the delivery log as JSON, per patient with `?patient=`; scoped to the
clinics that sent the messages, audited, addresses masked, never the values a message was
written from; constant queries per page."""

import pytest
from rest_framework.test import APIClient

from mesoclinic.audit.models import AuditEvent
from mesoclinic.patients.tests.message_fixtures import queue
from mesoclinic.restapi.testing import SESSION_QUERIES

pytestmark = pytest.mark.django_db

LIST = "/api/v1/messages/"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_it_answers_401_without_credentials():
    assert APIClient().get(LIST).status_code == 401


def test_it_lists_a_patients_messages_sent_by_the_users_clinics(
    receptionist, outbox, patient_a, patient_b
):
    response = api(receptionist).get(LIST, {"patient": patient_a.pk})
    assert response.status_code == 200
    assert ids(response) == {outbox[n].pk for n in ("sent", "failed", "queued")}
    assert ids(api(receptionist).get(LIST, {"patient": patient_b.pk})) == set()


def test_each_row_says_what_became_of_the_message_and_never_its_values(
    receptionist, outbox, patient_a, clinic_a
):
    rows = {row["id"]: row for row in api(receptionist).get(LIST).json()["results"]}
    failed = rows[outbox["failed"].pk]
    assert failed["status"] == "failed" and failed["reason"] == "http_503: service unavailable"
    assert (failed["patient"], failed["clinic"], failed["channel"]) == (
        patient_a.pk,
        clinic_a.pk,
        "sms",
    )
    assert (failed["template"], failed["language"], failed["attempts"]) == ("aftercare", "en", 1)
    assert failed["to"] == "*" * (len(patient_a.mobile) - 4) + patient_a.mobile[-4:]
    sent = rows[outbox["sent"].pk]
    # The text holds the signed aftercare and opt-out links: not for a receptionist.
    assert sent["sent_at"] and sent["body"] == ""
    for row in rows.values():
        assert "values" not in row and "address" not in row and "idempotency_key" not in row
        assert patient_a.mobile not in str(row)


def test_it_filters_by_status_and_refuses_an_unknown_one(receptionist, outbox):
    assert ids(api(receptionist).get(LIST, {"status": "failed"})) == {outbox["failed"].pk}
    response = api(receptionist).get(LIST, {"status": "lost"})
    assert response.status_code == 400 and "status" in response.json()


@pytest.mark.parametrize("patient", ["x", "0", str(2**63)])
def test_it_answers_400_for_a_patient_that_is_no_id(receptionist, patient):
    response = api(receptionist).get(LIST, {"patient": patient})
    assert response.status_code == 400 and "patient" in response.json()


def test_an_outsider_sees_none_of_another_clinics_messages_and_gets_404_for_one(
    outsider, outbox, patient_a
):
    client = api(outsider)
    assert ids(client.get(LIST, {"patient": patient_a.pk})) == set()
    assert ids(client.get(LIST)) == {outbox["other_clinic"].pk}
    assert client.get(f"{LIST}{outbox['failed'].pk}/").status_code == 404


def test_the_administrator_reads_every_clinics_log(administrator, outbox):
    assert ids(api(administrator).get(LIST)) == {m.pk for m in outbox.values()}


def test_it_is_read_only(manager, outbox):
    client = api(manager)
    assert client.post(LIST, {}, format="json").status_code == 405
    assert client.delete(f"{LIST}{outbox['failed'].pk}/").status_code == 405


def test_it_audits_each_list_and_read(receptionist, outbox, patient_a):
    client = api(receptionist)
    client.get(LIST, {"patient": patient_a.pk})
    client.get(f"{LIST}{outbox['sent'].pk}/")
    listed = AuditEvent.objects.get(object_type="notifications.message", action="list")
    assert listed.actor == receptionist and listed.interface == "api"
    assert listed.detail == {"results": 3, "patient": patient_a.pk}
    read = AuditEvent.objects.get(object_type="notifications.message", action="view")
    assert read.object_id == str(outbox["sent"].pk)


def test_those_who_read_clinical_records_see_what_the_message_said(
    practitioner_user, outbox, patient_a
):
    rows = {row["id"]: row for row in api(practitioner_user).get(LIST).json()["results"]}
    assert rows[outbox["sent"].pk]["body"].startswith(
        "Clinic A Islamabad: thank you for your visit."
    )


@pytest.mark.parametrize("count", [1, 30])
def test_a_page_costs_the_same_queries_whatever_the_log_holds(
    receptionist, clinic_a, patient_a, settings, django_assert_num_queries, count
):
    for _ in range(count):
        queue(clinic_a, patient_a)
    client = api(receptionist)
    # the user's groups, one page of messages, the audit insert; the
    # throttle (restapi/testing.py)
    with django_assert_num_queries(3 + SESSION_QUERIES):
        response = client.get(LIST, {"patient": patient_a.pk})
    assert len(response.json()["results"]) == count


def test_the_schema_describes_the_log(administrator):
    schema = api(administrator).get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/messages/" in schema["paths"]
    listed = schema["paths"]["/api/v1/messages/"]["get"]
    assert {p["name"] for p in listed["parameters"]} >= {"patient", "status", "cursor"}
    fields = schema["components"]["schemas"]["Message"]["properties"]
    assert "values" not in fields and "to" in fields
