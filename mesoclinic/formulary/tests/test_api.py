"""/api/v1/ for the formulary: scoped lots with balances, an append-only ledger, read-only
protocols with versions, and recall recipients for managers and administrators."""

from decimal import Decimal

from rest_framework.test import APIClient

from mesoclinic.accounts.models import ApiToken
from mesoclinic.accounts.roles import Role
from mesoclinic.audit.services import Interface
from mesoclinic.formulary import services
from mesoclinic.formulary.models import StockMovement
from mesoclinic.restapi.testing import FIRST_TOKEN_QUERIES, TOKEN_QUERIES


def api(user, token=False):
    client = APIClient()
    if token:
        _row, key = ApiToken.issue(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    else:
        client.force_authenticate(user)
    return client


def test_lots_list_my_clinics_lots_with_balance_expiry_and_status(
    receptionist, make_lot, clinic_a, clinic_b, txa
):
    make_lot(clinic_a, txa, "MINE", "7")
    make_lot(clinic_b, txa, "THEIRS", "7")
    body = api(receptionist, token=True).get("/api/v1/lots/").json()
    [lot] = body["results"]
    assert (lot["lot_number"], lot["balance"], lot["status"], lot["usable"]) == (
        "MINE",
        "7.00",
        "available",
        True,
    )
    assert lot["clinic"] == clinic_a.slug and "expires_on" in lot


def test_the_lots_list_takes_the_same_queries_for_1_or_30_lots(
    receptionist, make_lot, clinic_a, txa, django_assert_num_queries
):
    client = api(receptionist, token=True)
    make_lot(clinic_a, txa, "Q0")
    # token with its user, groups, one page of lots with product and clinic; the lockout read,
    # the throttle and the token's last use (restapi/testing.py)
    with django_assert_num_queries(3 + FIRST_TOKEN_QUERIES):
        client.get("/api/v1/lots/")
    for n in range(1, 30):
        make_lot(clinic_a, txa, f"Q{n}")
    with django_assert_num_queries(3 + TOKEN_QUERIES):  # last use written above
        assert len(client.get("/api/v1/lots/").json()["results"]) == 30


def test_another_clinics_lot_is_a_404(outsider, lot_a):
    assert api(outsider).get(f"/api/v1/lots/{lot_a.pk}/").status_code == 404


def test_receiving_a_lot_by_api_and_its_field_errors(practitioner_user, clinic_a, clinic_b, txa):
    client = api(practitioner_user)
    payload = {
        "clinic": clinic_a.slug,
        "product": txa.pk,
        "lot_number": "api-1",
        "received_on": "2026-11-20",
        "expires_on": "2026-10-01",
        "received_quantity": "-5",
    }
    errors = client.post("/api/v1/lots/", payload, format="json").json()
    assert set(errors) == {"received_quantity", "expires_on"}
    errors = client.post(
        "/api/v1/lots/", {**payload, "clinic": clinic_b.slug}, format="json"
    ).json()
    assert "clinic" in errors
    good = {**payload, "expires_on": "2027-11-01", "received_quantity": "12.5"}
    created = client.post("/api/v1/lots/", good, format="json")
    assert created.status_code == 201 and created.json()["balance"] == "12.50"
    duplicate = client.post("/api/v1/lots/", good, format="json")
    assert duplicate.status_code == 400
    assert "already has lot API-1" in duplicate.json()["lot_number"][0]


def test_a_receptionist_cannot_receive_or_move_stock_by_api(receptionist, lot_a, clinic_a, txa):
    client = api(receptionist)
    assert (
        client.post(
            "/api/v1/stock-movements/", {"lot": lot_a.pk, "kind": "wasted", "quantity": "1"}
        ).status_code
        == 403
    )
    assert lot_a.movements.count() == 1


def test_movements_are_created_and_never_changed(practitioner_user, lot_a, patient_a):
    client = api(practitioner_user)
    response = client.post(
        "/api/v1/stock-movements/",
        {"lot": lot_a.pk, "kind": "used", "quantity": "2", "patient": patient_a.pk},
        format="json",
    )
    assert response.status_code == 201
    movement = response.json()
    assert (movement["quantity"], movement["signed_quantity"]) == ("2.00", "-2.00")
    url = f"/api/v1/stock-movements/{movement['id']}/"
    assert client.patch(url, {"note": "x"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert api(practitioner_user).get(f"/api/v1/lots/{lot_a.pk}/").json()["balance"] == "8.00"


def test_a_movement_that_would_overdraw_or_is_not_positive_is_a_400_and_changes_nothing(
    practitioner_user, lot_a, patient_a, patient_b
):
    client = api(practitioner_user)
    over = client.post(
        "/api/v1/stock-movements/",
        {"lot": lot_a.pk, "kind": "used", "quantity": "10.5", "patient": patient_a.pk},
        format="json",
    )
    assert over.status_code == 400 and over.json() == {
        "quantity": ["This lot holds only 10.00 mL."]
    }
    zero = client.post(
        "/api/v1/stock-movements/", {"lot": lot_a.pk, "kind": "wasted", "quantity": "0"}
    )
    assert zero.status_code == 400 and "quantity" in zero.json()
    stranger = client.post(
        "/api/v1/stock-movements/",
        {"lot": lot_a.pk, "kind": "used", "quantity": "1", "patient": patient_b.pk},
        format="json",
    )
    assert stranger.status_code == 400 and "patient" in stranger.json()
    assert StockMovement.objects.filter(lot=lot_a).count() == 1


def test_protocols_are_read_with_every_version(receptionist, formulary_seed):
    body = api(receptionist).get("/api/v1/protocols/", {"page_size": 50}).json()
    melasma = next(p for p in body["results"] if p["code"] == "melasma-txa")
    [version] = melasma["versions"]
    assert version["status"] == "draft" and version["unverified"] is True
    assert version["components"][0]["ingredient"] == "tranexamic_acid"
    assert api(receptionist).post("/api/v1/protocols/", {}).status_code == 405


def test_ingredients_and_products_are_listed(receptionist, txa):
    codes = {
        i["code"]
        for i in api(receptionist).get("/api/v1/ingredients/", {"page_size": 50}).json()["results"]
    }
    assert {"tranexamic_acid", "dutasteride", "triamcinolone"} <= codes
    [product] = api(receptionist).get("/api/v1/products/").json()["results"]
    assert product["ingredients"] == [
        {"ingredient": "tranexamic_acid", "concentration": "4.0000", "unit": "mg/mL"}
    ]


def test_recall_recipients_for_managers_and_administrators_paginated(
    make_user,
    manager,
    administrator,
    receptionist,
    make_lot,
    clinic_a,
    clinic_b,
    txa,
    make_patient,
):
    lot_a = make_lot(clinic_a, txa, "RC1", "50")
    lot_b = make_lot(clinic_b, txa, "RC1", "50")
    for _ in range(3):
        for lot, clinic in ((lot_a, clinic_a), (lot_b, clinic_b)):
            services.record_movement(
                acting_user=administrator,
                via=Interface.CLI,
                lot=lot,
                kind="used",
                quantity=Decimal("1"),
                patient=make_patient(clinic),
            )
    url = f"/api/v1/lots/{lot_a.pk}/recipients/"
    assert api(receptionist).get(url).status_code == 403
    page = api(administrator).get(url, {"page_size": 4}).json()
    assert len(page["results"]) == 4 and page["next"]
    rest = api(administrator).get(page["next"]).json()
    clinics = {r["clinic"] for r in page["results"] + rest["results"]}
    assert clinics == {clinic_a.slug, clinic_b.slug}
    first = page["results"][0]
    assert first["quantity"] == "1.00" and first["mobile"].startswith("+92")
    mine = api(manager).get(url).json()["results"]
    assert {r["clinic"] for r in mine} == {clinic_a.slug} and len(mine) == 3
    outsider_manager = make_user("manager_b", Role.CLINIC_MANAGER, [clinic_b])
    assert api(outsider_manager).get(url).status_code == 404


def test_the_schema_documents_the_formulary(admin_client):
    # The schema is behind sign-in (issue 20).
    paths = admin_client.get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    for path in (
        "/api/v1/ingredients/",
        "/api/v1/products/",
        "/api/v1/lots/",
        "/api/v1/lots/{id}/recipients/",
        "/api/v1/stock-movements/",
        "/api/v1/protocols/",
    ):
        assert path in paths, path
    assert (
        set(paths["/api/v1/stock-movements/{id}/"]) == {"get", "parameters"}
        or "put" not in (paths["/api/v1/stock-movements/{id}/"])
    )


def test_a_junk_lot_filter_is_a_400_not_everything(practitioner_user, lot_a):
    client = api(practitioner_user)
    for junk in ("abc", "²"):
        response = client.get("/api/v1/stock-movements/", {"lot": junk})
        assert response.status_code == 400 and "lot" in response.json()
    assert len(client.get("/api/v1/stock-movements/", {"lot": lot_a.pk}).json()["results"]) == 1


def test_reading_ledger_lines_that_name_patients_is_audited(
    practitioner_user, lot_a, patient_a, administrator
):
    from mesoclinic.audit.models import AuditEvent

    services.record_movement(
        acting_user=administrator,
        via=Interface.CLI,
        lot=lot_a,
        kind="used",
        quantity=Decimal("1"),
        patient=patient_a,
    )
    body = api(practitioner_user).get("/api/v1/stock-movements/").json()
    assert [row["patient"] for row in body["results"]] == [patient_a.pk, None]
    event = AuditEvent.objects.get(action="list", object_type="patients.patient")
    assert event.detail == {"results": 1, "ledger": True}


def test_opening_a_vial_by_api(
    practitioner_user, receptionist, make_lot, clinic_a, biotin_multi_dose
):
    lot = make_lot(clinic_a, biotin_multi_dose, "MDAPI")
    assert api(receptionist).post(f"/api/v1/lots/{lot.pk}/open-vial/").status_code == 403
    response = api(practitioner_user).post(f"/api/v1/lots/{lot.pk}/open-vial/")
    assert response.status_code == 200 and response.json()["vial_opened_at"]


def test_the_recipients_api_takes_the_same_queries_for_1_or_20_recipients(
    manager, administrator, make_lot, clinic_a, txa, make_patient, django_assert_num_queries
):
    lot = make_lot(clinic_a, txa, "QC1", "50")
    client = api(manager, token=True)

    def use():
        services.record_movement(
            acting_user=administrator,
            via=Interface.CLI,
            lot=lot,
            kind="used",
            quantity=Decimal("1"),
            patient=make_patient(clinic_a),
        )

    use()
    url = f"/api/v1/lots/{lot.pk}/recipients/"
    # token with its user, groups, the lot, one page of uses (patient, clinic, product), audit;
    # the lockout read, the throttle and the token's last use (restapi/testing.py)
    with django_assert_num_queries(5 + FIRST_TOKEN_QUERIES):
        client.get(url)
    for _ in range(19):
        use()
    with django_assert_num_queries(5 + TOKEN_QUERIES):  # last use written above
        assert len(client.get(url).json()["results"]) == 20
