"""Recall: one notice blocks a manufacturer's lot in every clinic, and the people who received
it are listed (across clinics for administrators, own clinics for managers) in a constant number
of queries, from an index."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from mesoclinic.accounts.roles import roles_of
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.formulary import selectors, services
from mesoclinic.formulary.models import Lot, StockMovement

VIA = Interface.CLI


@pytest.fixture
def shared_lot(make_lot, clinic_a, clinic_b, txa):
    """Manufacturer lot RX1 delivered to both clinics."""
    return make_lot(clinic_a, txa, "RX1", "50"), make_lot(clinic_b, txa, "RX1", "50")


def use(administrator, lot, patient, quantity="1"):
    services.record_movement(
        acting_user=administrator,
        via=VIA,
        lot=lot,
        kind="used",
        quantity=Decimal(quantity),
        patient=patient,
    )


def test_recalling_a_lot_blocks_it_in_every_clinic_at_once(shared_lot, manager, administrator):
    lot_a, _ = shared_lot
    count = services.recall_lot(acting_user=manager, via=VIA, lot=lot_a, reason="DRAP notice 7")
    assert count == 2
    assert set(Lot.objects.values_list("status", flat=True)) == {"recalled"}
    assert AuditEvent.objects.filter(object_type="formulary.lot", action="update").count() == 2


def test_a_recall_needs_a_reason_and_stays_recalled(shared_lot, administrator):
    lot_a, _ = shared_lot
    with pytest.raises(ValidationError):
        services.recall_lot(acting_user=administrator, via=VIA, lot=lot_a, reason=" ")
    services.recall_lot(acting_user=administrator, via=VIA, lot=lot_a, reason="Notice")
    with pytest.raises(ValidationError, match="stays recalled"):
        services.set_lot_status(
            acting_user=administrator, via=VIA, lot=lot_a, status="available", reason="oops"
        )


def test_recalling_a_product_blocks_every_lot_of_it(make_lot, clinic_a, txa, administrator):
    make_lot(clinic_a, txa, "P1")
    make_lot(clinic_a, txa, "P2")
    assert (
        services.recall_product(acting_user=administrator, via=VIA, product=txa, reason="Withdrawn")
        == 2
    )


def test_recipients_across_two_clinics_for_an_administrator_own_clinic_for_a_manager(
    shared_lot, administrator, manager, patient_a, patient_b
):
    lot_a, lot_b = shared_lot
    use(administrator, lot_a, patient_a)
    use(administrator, lot_b, patient_b)
    everyone = selectors.recall_recipients(administrator, lot=lot_a)
    assert {m.patient for m in everyone} == {patient_a, patient_b}
    assert [m.patient for m in selectors.recall_recipients(manager, lot=lot_b)] == [patient_a]


def test_the_recall_list_takes_the_same_queries_for_1_or_30_recipients(
    shared_lot, administrator, make_patient, clinic_a, clinic_b, django_assert_num_queries
):
    lot_a, lot_b = shared_lot
    use(administrator, lot_a, make_patient(clinic_a))
    roles_of(administrator)  # read once per request, before any list
    # 1: the page of uses, with their session; 2: their lots, clinics and product; 3: their
    # patients. Never one join of eight tables, whose planning cost more than its run.
    with django_assert_num_queries(3):
        page = selectors.recipient_page(administrator, lot=lot_a)
        [(m.patient.mrn, m.clinic, m.stock_unit) for m in page.movements]
    for n in range(30):
        use(administrator, lot_a if n % 2 else lot_b, make_patient(clinic_a if n % 2 else clinic_b))
    with django_assert_num_queries(3):
        page = selectors.recipient_page(administrator, lot=lot_a)
        rows = [(m.patient.mrn, m.clinic, m.stock_unit) for m in page.movements]
    assert len(rows) == 25 and page.next_cursor is not None
    # The older page holds the rest of both clinics' rows of the lot, none twice.
    older = selectors.recipient_page(administrator, lot=lot_a, before=page.next_cursor)
    assert len(older.movements) == 6 and older.next_cursor is None
    assert {m.pk for m in page.movements}.isdisjoint(m.pk for m in older.movements)


def test_the_recall_page_lists_patients_and_exports_csv_with_urdu_names(
    client, shared_lot, administrator, manager, make_patient, clinic_a
):
    lot_a, _ = shared_lot
    patient = make_patient(clinic_a, first_name="Sana", name_ur="ثنا ملک")
    prankster = make_patient(clinic_a, first_name='=HYPERLINK("http://x","y")', last_name="")
    use(administrator, lot_a, patient, "2")
    use(administrator, lot_a, prankster, "1")
    client.force_login(manager)
    page = client.get(reverse("formulary:recipients", args=[lot_a.pk]))
    html = page.content.decode()
    assert patient.mrn in html and patient.mobile_display in html
    # Each row's clinic, lot and quantity in the product's unit, read apart from the uses.
    assert clinic_a.name in html and ">RX1<" in html
    assert f"2 {lot_a.product.stock_unit}" in html
    csv = client.get(reverse("formulary:recipients", args=[lot_a.pk]), {"format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv")
    header, prank_row, row = text.splitlines()[:3]
    assert header.startswith("used_at,clinic,product,lot_number,quantity,mrn")
    assert f",RX1,2.00,{patient.mrn},Sana {patient.last_name}," in row
    assert patient.mobile_display in row
    # A name that is a spreadsheet formula is written as text.
    assert "'=HYPERLINK(" in prank_row and ",=HYPERLINK(" not in prank_row
    reads = AuditEvent.objects.filter(object_type="patients.patient", action="list")
    assert [e.detail["results"] for e in reads] == [2, 2]


def test_only_managers_and_administrators_read_recall_lists(
    client, shared_lot, receptionist, practitioner_user, outsider, manager
):
    lot_a, _ = shared_lot
    url = reverse("formulary:recipients", args=[lot_a.pk])
    for user in (receptionist, practitioner_user):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_a_manager_of_another_clinic_gets_404_for_the_lot(client, shared_lot, make_user, clinic_b):
    lot_a, _ = shared_lot
    client.force_login(make_user("manager_b", "clinic_manager", [clinic_b]))
    assert client.get(reverse("formulary:recipients", args=[lot_a.pk])).status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plan")
def test_the_recall_query_for_one_lot_answers_from_indexes(
    shared_lot, administrator, patient_a, make_lot, clinic_a, txa
):
    """At a size where a sequential scan would be tempting (20,000 ledger lines over 400 lots),
    the plan reaches the lot rows and their uses through indexes."""
    lot_a, _ = shared_lot
    use(administrator, lot_a, patient_a)
    lots = Lot.objects.bulk_create(
        Lot(
            clinic=clinic_a,
            product=txa,
            lot_number=f"BULK{n}",
            expires_on=lot_a.expires_on,
            received_quantity=100,
            balance=100,
        )
        for n in range(400)
    )
    StockMovement.objects.bulk_create(
        StockMovement(lot=lots[n % 400], kind="used", quantity=-1, patient=patient_a)
        for n in range(20000)
    )
    with connection.cursor() as cursor:
        # Every table, as it is now: an earlier test that analysed a larger database leaves
        # its row estimates behind (ANALYZE writes them outside the rolled-back transaction).
        cursor.execute("ANALYZE")
    queryset = selectors.recall_recipients(administrator, lot=lot_a)[:26]
    plan = queryset.explain()
    assert "lot_product_number_idx" in plan, plan
    assert "stockmovement_lot_id_idx" in plan, plan
    assert "Seq Scan on formulary_stockmovement" not in plan, plan
    # The page's own query, narrower, takes the same path.
    plan = selectors.recipient_rows(administrator, lot=lot_a)[:26].explain()
    assert "lot_product_number_idx" in plan, plan
    assert "stockmovement_lot_id_idx" in plan, plan
    assert "Seq Scan on formulary_stockmovement" not in plan, plan
