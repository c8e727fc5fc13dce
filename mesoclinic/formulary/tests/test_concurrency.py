"""Two practitioners drawing the last vial at the same moment, on PostgreSQL with real
transactions in two connections: one succeeds, the other is refused, and the balance still
equals the ledger's sum."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Sum

from mesoclinic.audit.services import Interface
from mesoclinic.formulary import services
from mesoclinic.formulary.models import Lot, StockMovement

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections"),
    pytest.mark.django_db(transaction=True),
]


def draw_at_once(lot, users_and_patients, quantity):
    """Each thread records a use at the same instant; returns the outcomes."""
    barrier = threading.Barrier(len(users_and_patients))
    outcomes = []

    def draw(user, patient):
        try:
            barrier.wait()
            services.record_movement(
                acting_user=user,
                via=Interface.API,
                lot=Lot.objects.get(pk=lot.pk),
                kind="used",
                quantity=Decimal(quantity),
                patient=patient,
            )
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.message_dict["quantity"][0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=draw, args=pair) for pair in users_and_patients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_two_sessions_drawing_the_last_vial_one_succeeds_one_is_refused(
    make_lot, clinic_a, txa, practitioner_user, manager, make_patient
):
    lot = make_lot(clinic_a, txa, "LAST", "1")
    first, second = make_patient(clinic_a), make_patient(clinic_a)

    outcomes = draw_at_once(lot, [(practitioner_user, first), (manager, second)], "1")

    assert outcomes == ["This lot holds only 0.00 mL.", "ok"]
    lot.refresh_from_db()
    ledger = StockMovement.objects.filter(lot=lot).aggregate(s=Sum("quantity"))["s"]
    assert lot.balance == ledger == 0
    assert StockMovement.objects.filter(lot=lot, kind="used").count() == 1


def test_many_concurrent_draws_never_overdraw_and_the_ledger_agrees(
    make_lot, clinic_a, txa, practitioner_user, make_patient
):
    lot = make_lot(clinic_a, txa, "BUSY", "5")
    people = [(practitioner_user, make_patient(clinic_a)) for _ in range(8)]

    outcomes = draw_at_once(lot, people, "1")

    assert outcomes.count("ok") == 5
    lot.refresh_from_db()
    ledger = StockMovement.objects.filter(lot=lot).aggregate(s=Sum("quantity"))["s"]
    assert lot.balance == ledger == 0


def test_two_editors_starting_a_new_version_at_once_get_one_draft(
    formulary_seed, manager, make_practitioner, clinic_a
):
    from mesoclinic.formulary.models import Protocol, ProtocolVersion

    dermatologist = make_practitioner("derm_c", clinic_a)
    protocol = Protocol.objects.get(code="melasma-txa")
    draft = protocol.versions.get()
    services.approve_version(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        version=draft,
        revision=draft.revision,
        confirmed_unverified=True,
    )
    barrier = threading.Barrier(2)
    drafts = []

    def start(user):
        try:
            barrier.wait()
            drafts.append(
                services.start_new_version(acting_user=user, via=Interface.WEB, protocol=protocol)
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start, args=(u,)) for u in (manager, dermatologist.user)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len({d.pk for d in drafts}) == 1
    assert ProtocolVersion.objects.filter(protocol=protocol, status="draft").count() == 1
