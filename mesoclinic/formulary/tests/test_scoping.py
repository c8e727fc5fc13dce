"""Stock movements that name a patient are clinical records (`clinics.scoping`): the lot page
and /api/v1/stock-movements/ give each role the same rows, and a receptionist, who may look at
the shelf, never gets a lot's uses, which read together are its recall list."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mesoclinic.accounts.roles import Role
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.formulary import selectors, services
from mesoclinic.formulary.models import StockMovement

#: What each role gets of clinic A's lot: its page (status), and whether it sees the uses.
ROLES = [
    ("receptionist", 200, False),
    ("practitioner_user", 200, True),
    ("manager", 200, True),
    ("administrator", 200, True),
    ("outsider", 404, False),
]


@pytest.fixture
def used(lot_a, patient_a, administrator):
    """Clinic A's lot, received (10 mL) and then 1 mL of it used for patient A."""
    return services.record_movement(
        acting_user=administrator,
        via=Interface.CLI,
        lot=lot_a,
        kind="used",
        quantity=Decimal("1"),
        patient=patient_a,
    )


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(("who", "status", "sees_uses"), ROLES)
def test_the_lot_page_names_the_patients_only_to_who_reads_clinical_records(
    client, request, who, status, sees_uses, lot_a, used, patient_a
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("formulary:lot", args=[lot_a.pk]))
    assert response.status_code == status
    if status != 200:
        return
    kinds = [movement.kind for movement in response.context["movements"]]
    assert kinds == (["used", "received"] if sees_uses else ["received"])
    assert (patient_a.mrn in response.content.decode()) is sees_uses


def test_a_receptionist_reads_no_mrn_on_the_lot_page_and_no_listing_is_audited(
    client, receptionist, lot_a, used, patient_a
):
    client.force_login(receptionist)
    page = client.get(reverse("formulary:lot", args=[lot_a.pk])).content.decode()
    assert patient_a.mrn not in page
    assert not AuditEvent.objects.filter(action="list", object_type="patients.patient").exists()


@pytest.mark.parametrize(("who", "status", "sees_uses"), ROLES)
def test_the_stock_movements_api_gives_the_uses_only_to_who_reads_clinical_records(
    request, who, status, sees_uses, lot_a, used, patient_a
):
    client = _api(request.getfixturevalue(who))
    rows = client.get("/api/v1/stock-movements/").json()["results"]
    if status == 404:  # another clinic's lot: no row of it at all
        assert rows == []
        assert client.get(f"/api/v1/stock-movements/{used.pk}/").status_code == 404
        return
    expected = [("used", patient_a.pk), ("received", None)] if sees_uses else [("received", None)]
    assert [(row["kind"], row["patient"]) for row in rows] == expected
    of_lot = client.get("/api/v1/stock-movements/", {"lot": lot_a.pk}).json()["results"]
    assert [row["kind"] for row in of_lot] == [kind for kind, _ in expected]
    one = client.get(f"/api/v1/stock-movements/{used.pk}/")
    assert one.status_code == (200 if sees_uses else 404)


def test_a_receptionist_gets_no_patient_linked_movement_from_the_api(receptionist, used):
    client = _api(receptionist)
    rows = client.get("/api/v1/stock-movements/").json()["results"]
    assert rows and all(row["patient"] is None for row in rows)
    assert all(row["kind"] != "used" for row in rows)
    assert client.get(f"/api/v1/stock-movements/{used.pk}/").status_code == 404


def test_a_manager_at_another_clinic_gets_none_of_the_lots_movements(
    make_user, clinic_b, lot_a, used
):
    manager_b = make_user("manager_b", Role.CLINIC_MANAGER, [clinic_b])
    assert StockMovement.objects.for_user(manager_b).count() == 0
    assert _api(manager_b).get(f"/api/v1/stock-movements/{used.pk}/").status_code == 404


def test_the_rule_keeps_the_uses_out_of_a_receptionists_recall_list_too(
    receptionist, manager, lot_a, used
):
    """The recall pages answer a receptionist 403 first; the list itself is empty for them."""
    assert list(selectors.recall_recipients(receptionist, lot=lot_a)) == []
    assert [m.pk for m in selectors.recall_recipients(manager, lot=lot_a)] == [used.pk]


def test_the_lot_page_takes_the_same_queries_for_a_receptionist(
    client, receptionist, lot_a, used, django_assert_num_queries
):
    client.force_login(receptionist)
    url = reverse("formulary:lot", args=[lot_a.pk])
    client.get(url)
    # session, user, second factor, roles, lot (product, clinic), ledger page
    with django_assert_num_queries(6):
        client.get(url)
