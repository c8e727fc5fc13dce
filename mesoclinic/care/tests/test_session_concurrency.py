"""Two sessions drawing the last millilitres of a lot at the same moment, on PostgreSQL with
real transactions in two connections: one is charted, the other refused with the reason, and
nothing of the refused session is written."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Sum
from django.utils import timezone

from mesoclinic.audit.services import Interface
from mesoclinic.care.models import Course, TreatmentSession
from mesoclinic.care.services import sessions
from mesoclinic.formulary.models import Lot, StockMovement

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections"),
    pytest.mark.django_db(transaction=True),
]


def test_two_sessions_drawing_the_last_millilitres_one_is_charted_one_refused(
    make_ready, make_patient, make_lot, clinic_a, txa, dermatologist
):
    lot = make_lot(clinic_a, txa, "LAST", "3")
    plans = [make_ready(make_patient(clinic_a), lot) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def chart(plan):
        now = timezone.now()
        try:
            barrier.wait()
            sessions.record_session(
                acting_user=dermatologist.user,
                via=Interface.API,
                course=Course.objects.get(pk=plan.pk),
                data=sessions.SessionInput(
                    lines=[
                        sessions.Line(
                            lot=Lot.objects.get(pk=lot.pk), volume=Decimal("2"), zones=["chin"]
                        )
                    ],
                    points=40,
                    technique="papules",
                    depth="Intradermal",
                    needle="30G",
                    started_at=now,
                    ended_at=now,
                    pregnant_today=False,
                    breastfeeding_today=False,
                ),
            )
            outcomes.append("charted")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=chart, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    refused = [outcome for outcome in outcomes if outcome != "charted"]
    assert outcomes.count("charted") == 1 and len(refused) == 1
    # Refused by the gate (it read the new balance) or by the ledger's lock: either names it.
    # (Lot numbers are wrapped in Unicode isolates so they read right inside Urdu.)
    assert "Not enough left in lot: \u2068LAST\u2069" in refused[0] or "holds only" in refused[0]
    assert TreatmentSession.objects.count() == 1
    lot.refresh_from_db()
    ledger = StockMovement.objects.filter(lot=lot).aggregate(s=Sum("quantity"))["s"]
    assert lot.balance == ledger == Decimal("1")
