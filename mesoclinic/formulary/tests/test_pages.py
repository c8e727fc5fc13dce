"""The stock pages: what each role sees and may do, errors named with nothing saved, and query
counts that do not grow with the shelf."""

from decimal import Decimal

from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.formulary.models import Lot, StockMovement


def test_the_stock_page_lists_expiring_lots_and_low_products_of_my_clinics_only(
    client, receptionist, make_lot, clinic_a, clinic_b, txa, biotin_multi_dose
):
    make_lot(clinic_a, txa, "SOON", "50", expires_in=10)
    make_lot(clinic_a, biotin_multi_dose, "LOW1", "3")  # the low-stock level is 10 ...
    make_lot(clinic_a, biotin_multi_dose, "LOW2", "4")  # ... and together they hold 7
    make_lot(clinic_b, txa, "OTHER", "50", expires_in=5)
    make_lot(clinic_b, biotin_multi_dose, "OTHER2", "1")
    client.force_login(receptionist)
    response = client.get(reverse("formulary:stock"))
    expiring = [lot.lot_number for lot in response.context["expiring"]]
    low = [(row.product, row.clinic, row.usable) for row in response.context["low"]]
    assert expiring == ["SOON"]
    assert low == [("Biotin MD", "Clinic A Islamabad", Decimal("7.00"))]
    assert "OTHER" not in response.content.decode()
    assert "Receive a lot" not in response.content.decode()  # receptionists do not handle stock


def test_the_stock_page_takes_the_same_queries_for_1_or_40_lots(
    client, manager, make_lot, clinic_a, txa, django_assert_num_queries
):
    make_lot(clinic_a, txa, "N0", "5", expires_in=5)
    client.force_login(manager)
    client.get(reverse("formulary:stock"))  # warm the session
    # session, user, roles, lots page, expiring, low stock, clinics for the filter
    with django_assert_num_queries(8):  # +1: the session's second factor
        client.get(reverse("formulary:stock"))
    for n in range(1, 40):
        make_lot(clinic_a, txa, f"N{n}", "5", expires_in=5)
    with django_assert_num_queries(8):  # +1: the session's second factor
        response = client.get(reverse("formulary:stock"))
    assert len(response.context["page"].lots) == 25


def test_the_lot_page_takes_the_same_queries_however_long_its_ledger(
    client, manager, lot_a, administrator, django_assert_num_queries
):
    from mesoclinic.audit.services import Interface
    from mesoclinic.formulary import services

    client.force_login(manager)
    url = reverse("formulary:lot", args=[lot_a.pk])
    client.get(url)
    # session, user, second factor, roles, lot (product, clinic), ledger page
    with django_assert_num_queries(6):
        client.get(url)
    for _ in range(30):
        services.record_movement(
            acting_user=administrator,
            via=Interface.CLI,
            lot=lot_a,
            kind="wasted",
            quantity=Decimal("0.1"),
        )
    with django_assert_num_queries(6):  # +1: the session's second factor
        response = client.get(url)
    assert len(response.context["movements"]) == 25


def test_a_ledger_that_names_patients_is_an_audited_read(client, manager, lot_a, patient_a):
    from mesoclinic.audit.services import Interface
    from mesoclinic.formulary import services

    services.record_movement(
        acting_user=manager,
        via=Interface.CLI,
        lot=lot_a,
        kind="used",
        quantity=Decimal("1"),
        patient=patient_a,
    )
    client.force_login(manager)
    client.get(reverse("formulary:lot", args=[lot_a.pk]))
    event = AuditEvent.objects.get(action="list", object_type="patients.patient")
    assert event.detail == {"results": 1, "ledger_of_lot": lot_a.pk}


def test_another_clinics_lot_is_a_404_and_the_attempt_is_audited(client, outsider, lot_a):
    client.force_login(outsider)
    assert client.get(reverse("formulary:lot", args=[lot_a.pk])).status_code == 404
    assert AuditEvent.objects.filter(
        action="denied", object_type="formulary.lot", object_id=str(lot_a.pk)
    ).exists()


def test_a_receptionist_may_look_but_not_move_stock(client, receptionist, lot_a, patient_a):
    client.force_login(receptionist)
    page = client.get(reverse("formulary:lot", args=[lot_a.pk]))
    assert page.status_code == 200 and page.context["movement_form"] is None
    response = client.post(
        reverse("formulary:movement", args=[lot_a.pk]),
        {"kind": "used", "quantity": "1", "patient_mrn": patient_a.mrn},
    )
    assert response.status_code == 403
    assert client.get(reverse("formulary:receive")).status_code == 403
    assert lot_a.movements.count() == 1


def test_a_practitioner_records_a_use_by_mrn(client, practitioner_user, lot_a, patient_a):
    client.force_login(practitioner_user)
    response = client.post(
        reverse("formulary:movement", args=[lot_a.pk]),
        {"kind": "used", "quantity": "1.5", "patient_mrn": patient_a.mrn.lower()},
    )
    assert response.status_code == 302
    lot_a.refresh_from_db()
    assert lot_a.balance == Decimal("8.50")
    assert lot_a.movements.get(kind="used").patient == patient_a


def test_a_use_for_another_clinics_patient_or_too_much_is_named_and_nothing_saved(
    client, practitioner_user, lot_a, patient_a, patient_b
):
    client.force_login(practitioner_user)
    url = reverse("formulary:movement", args=[lot_a.pk])
    response = client.post(url, {"kind": "used", "quantity": "1", "patient_mrn": patient_b.mrn})
    assert response.status_code == 400
    assert "No patient of yours has this MRN." in response.content.decode()
    response = client.post(url, {"kind": "used", "quantity": "11", "patient_mrn": patient_a.mrn})
    assert "This lot holds only 10.00 mL." in response.content.decode()
    response = client.post(url, {"kind": "wasted", "quantity": "-1"})
    assert response.status_code == 400
    assert StockMovement.objects.filter(lot=lot_a).count() == 1


def test_receiving_a_lot_on_the_page_and_its_errors(client, manager, clinic_a, clinic_b, txa):
    client.force_login(manager)
    url = reverse("formulary:receive")
    form = {
        "clinic": clinic_a.pk,
        "product": txa.pk,
        "lot_number": "ab-77",
        "received_on": "2026-11-20",
        "expires_on": "2026-11-01",
        "quantity": "0",
    }
    response = client.post(url, form)
    body = response.content.decode()
    assert response.status_code == 400
    assert "The expiry date is before the date received." in body
    assert "Ensure this value is greater than or equal to 0.01." in body
    # Another clinic is not a choice for this manager.
    response = client.post(url, {**form, "clinic": clinic_b.pk})
    assert "Select a valid choice" in response.content.decode()
    response = client.post(url, {**form, "expires_on": "2027-11-01", "quantity": "25"})
    lot = Lot.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/lots/{lot.pk}/")
    assert (lot.lot_number, lot.balance, lot.clinic) == ("AB-77", Decimal("25"), clinic_a)


def test_a_manager_quarantines_and_recalls_and_a_recall_is_final(client, manager, lot_a):
    client.force_login(manager)
    url = reverse("formulary:lot_status", args=[lot_a.pk])
    assert client.post(url, {"status": "quarantined", "reason": ""}).status_code == 400
    assert client.post(url, {"status": "quarantined", "reason": "Fridge failed"}).status_code == 302
    assert client.post(url, {"status": "recalled", "reason": "DRAP notice"}).status_code == 302
    page = client.get(reverse("formulary:lot", args=[lot_a.pk]))
    assert page.context["status_form"] is None
    assert "This lot has been recalled; it cannot be used." in page.content.decode()
    kinds = [value for value, _label in page.context["movement_form"].fields["kind"].choices]
    assert "used" not in kinds


def test_the_products_page_shows_each_ingredients_screening_rules(client, receptionist, txa):
    client.force_login(receptionist)
    body = client.get(reverse("formulary:products")).content.decode()
    assert "TXA 4" in body and "4 mg/mL" in body
    # tranexamic acid carries the seeded thrombosis rule
    assert "clot" in body.lower()


def test_the_products_page_takes_the_same_queries_for_1_or_10_products(
    client, receptionist, txa, django_assert_num_queries
):
    from mesoclinic.formulary.models import Ingredient, Product, ProductIngredient

    client.force_login(receptionist)
    client.get(reverse("formulary:products"))
    # session, user, roles, products, their ingredients, ingredients, rules
    with django_assert_num_queries(8):  # +1: the session's second factor
        client.get(reverse("formulary:products"))
    for n in range(9):
        product = Product.objects.create(
            brand=f"P{n}", manufacturer="M", form="solution", pack_size=1, storage="room"
        )
        ProductIngredient.objects.create(
            product=product,
            ingredient=Ingredient.objects.get(code="biotin"),
            concentration=1,
            unit="mg/mL",
        )
    with django_assert_num_queries(8):  # +1: the session's second factor
        assert "P8" in client.get(reverse("formulary:products")).content.decode()
