"""Lots in words: a lot that cannot be used is refused naming why (recalled with the recall's
reason, expired on its date, quarantined, empty or short with its balance, an open vial past its
discard time, another clinic's), on the charting page's line and in the API, writing nothing;
the page's lot list shows each lot's expiry and balance, usable and first-expiring first."""

import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone
from rest_framework.test import APIClient

from mesoclinic.audit.services import Interface
from mesoclinic.care.models import TreatmentSession
from mesoclinic.formulary import services as formulary_services
from mesoclinic.formulary.models import Ingredient, Lot, Product, ProductIngredient, StockMovement

pytestmark = pytest.mark.django_db
VIA = Interface.CLI


@pytest.fixture
def ready(make_ready, patient_a):
    return make_ready(patient_a)


@pytest.fixture
def txa_multi_dose(formulary_seed):
    """A multi-dose vial of tranexamic acid: an opened vial is discarded after 24 hours."""
    product = Product.objects.create(
        brand="TXA MD",
        manufacturer="Test Pharma",
        form="solution",
        pack_size=Decimal("10"),
        storage="room",
        low_stock_level=Decimal("10"),
        multi_dose=True,
        discard_after_hours=24,
    )
    ProductIngredient.objects.create(
        product=product,
        ingredient=Ingredient.objects.get(code="tranexamic_acid"),
        concentration=Decimal("4"),
        unit="mg/mL",
    )
    return product


def _day(value):
    return formats.date_format(value, "j M Y")


@pytest.fixture
def bad_lot(make_lot, clinic_a, clinic_b, txa, txa_multi_dose, administrator, manager):
    """bad_lot(reason) -> (lot, the words that must name why it is refused)."""

    def make(reason):
        if reason == "recalled":
            lot = make_lot(clinic_a, txa, "TXA-R1")
            formulary_services.recall_lot(
                acting_user=administrator, via=VIA, lot=lot, reason="DRAP notice 45/2026"
            )
            return lot, ["recalled: “", "DRAP notice 45/2026"]
        if reason == "expired":
            lot = make_lot(clinic_a, txa, "TXA-X1", expires_in=-3, received_ago=60)
            return lot, [f"expired on {_day(lot.expires_on)}"]
        if reason == "quarantined":
            lot = make_lot(clinic_a, txa, "TXA-Q1")
            formulary_services.set_lot_status(
                acting_user=manager, via=VIA, lot=lot, status="quarantined", reason="Cold chain"
            )
            return lot, ["quarantined: “", "Cold chain"]
        if reason == "empty":
            lot = make_lot(clinic_a, txa, "TXA-E1", "3")
            formulary_services.record_movement(
                acting_user=administrator, via=VIA, lot=lot, kind="wasted", quantity=Decimal("3")
            )
            return lot, ["empty (balance 0 mL)"]
        if reason == "short":
            lot = make_lot(clinic_a, txa, "TXA-S1", "1.5")
            return lot, ["only 1.5 mL left, 2 mL needed"]
        if reason == "discard":
            lot = make_lot(clinic_a, txa_multi_dose, "TXA-V1")
            formulary_services.open_vial(acting_user=administrator, via=VIA, lot=lot)
            opened = timezone.now() - timedelta(hours=25)
            Lot.objects.filter(pk=lot.pk).update(vial_opened_at=opened)  # a day goes by
            lot.refresh_from_db()
            at = formats.date_format(timezone.localtime(opened + timedelta(hours=24)), "j M Y H:i")
            return lot, [f"the open vial was to be discarded at {at}"]
        if reason == "another_clinic":
            return make_lot(clinic_b, txa, "TXA-B9"), ["This is not a lot of this clinic."]
        raise AssertionError(reason)

    return make


REASONS = ["recalled", "expired", "quarantined", "empty", "short", "discard", "another_clinic"]


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _start(client, course):
    response = client.post(
        reverse("care:session_start", args=[course.pk]),
        {"pregnant_today": "no", "breastfeeding_today": "no"},
    )
    assert response.status_code == 302
    return parse_qs(urlparse(response.url).query)["start"][0]


def _post(client, course, lot, volume="2", **changes):
    now = timezone.now()
    data = {
        "start": _start(client, course),
        "points": "40",
        "technique": "papules",
        "depth": "Intradermal",
        "needle": "30G × 4 mm",
        "started_at": _local(now),
        "ended_at": _local(now),
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "8",
        "lines-0-lot": str(lot.pk),
        "lines-0-volume": volume,
        "lines-0-zones": ["cheek_left", "cheek_right"],
        **changes,
    }
    return client.post(reverse("care:session_new", args=[course.pk]), data)


def _nothing_written(movements):
    assert not TreatmentSession.objects.exists()
    assert StockMovement.objects.count() == movements


@pytest.mark.parametrize("reason", REASONS)
def test_it_refuses_an_unusable_lot_on_its_line_naming_why(
    client, dermatologist, ready, bad_lot, reason
):
    lot, words = bad_lot(reason)
    movements = StockMovement.objects.count()
    client.force_login(dermatologist.user)
    response = _post(client, ready, lot)
    assert response.status_code == 400
    (error,) = response.context["formset"].forms[0].errors["lot"]
    for word in words:
        assert word in error and word in response.text
    assert "Select a valid choice" not in response.text
    if reason == "another_clinic":
        assert "TXA-B9" not in response.text  # nothing about that clinic's lot
    else:
        assert f"Lot \u2068{lot.lot_number}\u2069 cannot be used: " in error
    _nothing_written(movements)


def test_it_refuses_a_lot_in_urdu_in_the_pages_language(client, dermatologist, ready, bad_lot):
    lot, _words = bad_lot("expired")
    client.force_login(dermatologist.user)
    client.cookies["django_language"] = "ur"
    response = _post(client, ready, lot)
    assert response.status_code == 400
    (error,) = response.context["formset"].forms[0].errors["lot"]
    assert "cannot be used" not in error and "\u2068TXA-X1\u2069" in error
    assert "استعمال نہیں" in error and "ختم" in error
    assert not TreatmentSession.objects.exists()


def test_it_charts_from_a_lot_holding_exactly_what_is_needed(
    client, dermatologist, ready, make_lot, clinic_a, txa
):
    lot = make_lot(clinic_a, txa, "TXA-2ML", "2")
    client.force_login(dermatologist.user)
    response = _post(client, ready, lot)
    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.balance == 0


def test_it_refuses_two_lines_that_together_need_more_than_the_lot_holds(
    client, dermatologist, ready, make_lot, clinic_a, txa
):
    lot = make_lot(clinic_a, txa, "TXA-3ML", "3")
    movements = StockMovement.objects.count()
    client.force_login(dermatologist.user)
    response = _post(
        client,
        ready,
        lot,
        **{"lines-1-lot": str(lot.pk), "lines-1-volume": "1.5", "lines-1-zones": ["chin"]},
    )
    assert response.status_code == 400
    (error,) = response.context["formset"].forms[1].errors["lot"]
    assert "only 3 mL left, 3.5 mL needed" in error
    _nothing_written(movements)


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(course, lot, volume="2"):
    now = timezone.now().isoformat()
    return {
        "course": course.pk,
        "lines": [{"lot": lot.pk, "volume": volume, "zones": ["cheek_left"]}],
        "points": 40,
        "technique": "papules",
        "depth": "Intradermal",
        "needle": "30G",
        "started_at": now,
        "ended_at": now,
        "pregnant_today": False,
        "breastfeeding_today": False,
    }


API_CONDITIONS = {
    "recalled": "lot_unusable",
    "expired": "lot_unusable",
    "quarantined": "lot_unusable",
    "discard": "lot_unusable",
    "empty": "lot_insufficient",
    "short": "lot_insufficient",
}


@pytest.mark.parametrize("reason", sorted(API_CONDITIONS))
def test_the_api_answers_409_naming_why_the_lot_cannot_be_used(
    dermatologist, ready, bad_lot, reason
):
    lot, words = bad_lot(reason)
    movements = StockMovement.objects.count()
    response = _api(dermatologist.user).post("/api/v1/sessions/", _body(ready, lot), format="json")
    assert response.status_code == 409, response.json()
    (failure,) = response.json()["failures"]
    assert failure["condition"] == API_CONDITIONS[reason]
    assert failure["detail"][0].startswith(lot.lot_number)
    assert f"\u2068{lot.lot_number}\u2069" in failure["message"]
    for word in words:
        assert word in failure["message"]
    _nothing_written(movements)


def test_the_api_answers_400_for_another_clinics_lot_saying_nothing_about_it(
    dermatologist, ready, bad_lot, lot_a
):
    foreign, _words = bad_lot("another_clinic")
    movements = StockMovement.objects.count()
    client = _api(dermatologist.user)
    for lot_id in (foreign.pk, 999_999):  # another clinic's lot and no lot answer alike
        body = _body(ready, lot_a)
        body["lines"].append({"lot": lot_id, "volume": "1", "zones": ["chin"]})
        response = client.post("/api/v1/sessions/", body, format="json")
        assert response.status_code == 400
        assert response.json()["lines"] == [{}, {"lot": ["This is not a lot of this clinic."]}]
        assert "TXA-B9" not in response.text
    huge = _body(ready, lot_a)
    huge["lines"][0]["lot"] = 10**30
    assert client.post("/api/v1/sessions/", huge, format="json").status_code == 400
    _nothing_written(movements)


def _options(html):
    """The lot select's options on the first line: (value, disabled, label)."""
    select = re.search(r'<select name="lines-0-lot".*?</select>', html, re.S).group(0)
    return [
        (value, bool(disabled), label.strip())
        for value, disabled, label in re.findall(
            r'<option value="(\d+)"[^>]*?( disabled)?[^>]*>(.*?)</option>', select, re.S
        )
    ]


def test_the_lot_list_shows_expiry_and_balance_usable_and_first_expiring_first(
    client, dermatologist, ready, lot_a, make_lot, clinic_a, txa, bad_lot
):
    late = make_lot(clinic_a, txa, "TXA-LATE", "4", expires_in=400)
    soon = make_lot(clinic_a, txa, "TXA-SOON", "2.5", expires_in=20)
    recalled, _ = bad_lot("recalled")
    expired, _ = bad_lot("expired")
    empty, _ = bad_lot("empty")
    foreign, _ = bad_lot("another_clinic")
    client.force_login(dermatologist.user)
    start = {"start": _start(client, ready)}
    page = client.get(reverse("care:session_new", args=[ready.pk]), start)
    options = _options(page.text)
    assert [value for value, _d, _l in options] == [
        str(lot.pk) for lot in (soon, lot_a, late, expired, recalled)
    ]
    assert [disabled for _v, disabled, _l in options] == [False, False, False, True, True]
    labels = {value: label for value, _d, label in options}
    assert f"expires {_day(soon.expires_on)}" in labels[str(soon.pk)]
    assert "2.5 mL left" in labels[str(soon.pk)] and "10 mL left" in labels[str(lot_a.pk)]
    assert f"cannot be used: expired on {_day(expired.expires_on)}" in labels[str(expired.pk)]
    assert "cannot be used: recalled: “" in labels[str(recalled.pk)]
    # An emptied lot and another clinic's are not listed (and refused in words if posted).
    assert str(empty.pk) not in labels and str(foreign.pk) not in labels


def test_the_charting_page_costs_the_same_queries_for_one_lot_and_twelve(
    client, dermatologist, ready, make_lot, clinic_a, txa
):
    client.force_login(dermatologist.user)
    url = reverse("care:session_new", args=[ready.pk])
    start = {"start": _start(client, ready)}
    client.get(url, start)
    with CaptureQueriesContext(connection) as one:
        client.get(url, start)
    for number in range(11):
        make_lot(clinic_a, txa, f"TXA-M{number}", expires_in=30 + number)
    with CaptureQueriesContext(connection) as twelve:
        page = client.get(url, start)
    assert len(_options(page.text)) == 12
    # The lots are read once, in one query, for every line of the form.
    assert len(twelve) == len(one)
    assert sum('"formulary_lot"' in q["sql"] for q in twelve.captured_queries) == 1


def _lot_state(**changes):
    from mesoclinic.care import gate

    state = {
        "lot_number": "TXA-1",
        "needed": Decimal("2"),
        "balance": Decimal("5"),
        "expires_on": timezone.localdate() - timedelta(days=2),
        "status_reason": "DRAP notice 45/2026",
        **changes,
    }
    return gate.LotState(**state)


def test_the_gates_lot_refusals_name_the_reason_the_date_and_the_balance():
    from django.utils import translation

    from mesoclinic.care import gate
    from mesoclinic.care.services.gate_messages import gate_message

    lot = _lot_state(blockers=("recalled", "expired"))
    unusable = gate.Failure(gate.Condition.LOT_UNUSABLE, ("TXA-1:recalled+expired",))
    short = gate.Failure(gate.Condition.LOT_INSUFFICIENT, ("TXA-1",))
    expired_on = _day(lot.expires_on)
    assert gate_message(unusable, (lot,)) == (
        "Lot cannot be used: \u2068TXA-1\u2069 (recalled: “\u2068DRAP notice 45/2026\u2069”, "
        f"expired on {expired_on})."
    )
    low = _lot_state(balance=Decimal("1.50"))
    assert gate_message(short, (low,)) == (
        "Not enough left in lot: \u2068TXA-1\u2069 (only 1.5 mL left, 2 mL needed)."
    )
    assert "(empty (balance 0 mL))" in gate_message(short, (_lot_state(balance=Decimal(0)),))
    # Without the lots at hand, the blockers alone, as before.
    assert gate_message(unusable) == "Lot cannot be used: \u2068TXA-1\u2069 (recalled, expired)."
    with translation.override("ur"):
        urdu = gate_message(unusable, (lot,))
    assert urdu.startswith("یہ لاٹ استعمال نہیں ہو سکتا: \u2068TXA-1\u2069 (واپس منگوایا گیا: ")
    assert "، میعاد " in urdu and urdu.endswith("۔")


def test_the_gate_passes_a_lot_holding_exactly_what_is_needed():
    from mesoclinic.care import gate
    from mesoclinic.care.tests.test_course_and_gate import passing_facts  # every other fact holds

    exact = _lot_state(balance=Decimal("2"), expires_on=None)
    short = _lot_state(balance=Decimal("1.99"), expires_on=None)
    assert gate.check(passing_facts(lots=(exact,))) == ()
    (failure,) = gate.check(passing_facts(lots=(short,)))
    assert failure == gate.Failure(gate.Condition.LOT_INSUFFICIENT, ("TXA-1",))
