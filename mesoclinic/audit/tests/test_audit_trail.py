"""The audit trail is append-only, in Django and in PostgreSQL; admin edits are audited. (The
audit log page, administrators only and filterable, is tested in desk/tests/test_audit_log.py.)"""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from mesoclinic.audit.models import AppendOnlyError, AuditEvent
from mesoclinic.audit.services import record_event

pytestmark = pytest.mark.django_db


def _event(actor=None, **kwargs):
    return record_event(
        actor=actor, action="view", via="web", object_type="patients.patient", **kwargs
    )


def test_django_refuses_to_change_or_delete_an_event(administrator):
    event = _event(administrator, object_id=1)
    event.action = "update"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="list")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_auditevent SET action = 'list'", "DELETE FROM audit_auditevent"],
)
def test_postgresql_refuses_update_and_delete_from_any_client(administrator, sql):
    _event(administrator, object_id=1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.filter(action="view").count() == 1


def test_the_database_refuses_an_unknown_action():
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.create(action="erase", interface="web", object_type="x")


def test_admin_edits_go_through_the_service_and_are_audited(client, administrator, patient_a):
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    url = reverse("admin:patients_patient_change", args=[patient_a.pk])
    assert client.get(url).status_code == 200
    data = {
        "first_name": patient_a.first_name,
        "last_name": patient_a.last_name,
        "name_ur": "",
        "date_of_birth": patient_a.date_of_birth.isoformat(),
        "sex": patient_a.sex,
        "cnic": "35202 9999999 1",
        "mobile": patient_a.mobile,
        "email": "",
        "preferred_language": "ur",
        "fitzpatrick_type": "",
        "emergency_contact_name": "",
        "emergency_contact_relation": "",
        "emergency_contact_phone": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content
    patient_a.refresh_from_db()
    assert patient_a.cnic == "3520299999991"
    actions = list(
        AuditEvent.objects.filter(interface="admin", object_id=str(patient_a.pk))
        .order_by("id")
        .values_list("action", "changed_fields")
    )
    assert actions == [("view", []), ("update", ["cnic"])]
