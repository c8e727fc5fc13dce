"""The audit log page (a desk page): administrators only, filtered by action and person, paged
with a keyset cursor in a fixed number of queries."""

import pytest
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import record_event

pytestmark = pytest.mark.django_db


def _event(actor=None, **kwargs):
    return record_event(
        actor=actor, action="view", via="web", object_type="patients.patient", **kwargs
    )


@pytest.mark.parametrize("person", ["receptionist", "manager", "practitioner_user"])
def test_only_administrators_open_the_audit_log(client, request, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("audit:list")).status_code == 403


def test_the_administrator_filters_by_action_and_person(
    client, administrator, receptionist, outsider, patient_a
):
    client.force_login(receptionist)
    client.get(reverse("patients:detail", args=[patient_a.pk]))
    client.force_login(outsider)
    client.get(reverse("patients:detail", args=[patient_a.pk]))
    client.force_login(administrator)
    response = client.get(reverse("audit:list"), {"action": "denied"})
    events = response.context["events"]
    assert [(e.actor, e.object_id) for e in events] == [(outsider, str(patient_a.pk))]
    by_person = client.get(reverse("audit:list"), {"actor": "reception_a"}).context["events"]
    # Signing in is audited too (issue 20): force_login signs in as the page would.
    assert {e.action for e in by_person} == {"sign_in", "view"}


def test_the_audit_log_pages_with_a_keyset_cursor(client, administrator, django_assert_num_queries):
    for n in range(60):
        _event(administrator, object_id=n)
    client.force_login(administrator)
    # session, user, groups, clinics for the filter form, one page of events with actor and clinic
    with django_assert_num_queries(6):  # +1: the session's second factor
        first = client.get(reverse("audit:list"))
    cursor = first.context["next_cursor"]
    second = client.get(reverse("audit:list"), {"before": cursor})
    ids = [e.pk for e in first.context["events"]] + [e.pk for e in second.context["events"]]
    assert len(ids) == len(set(ids)) == AuditEvent.objects.count()
