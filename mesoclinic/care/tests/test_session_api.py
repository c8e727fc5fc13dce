"""/api/v1/courses/ and /api/v1/sessions/: the same gate and service as the page; 409 with every
failing condition, 400 for impossible values, nothing written on either."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.models import Consent, TreatmentSession
from mesoclinic.formulary.models import StockMovement

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(make_ready, patient_a):
    return make_ready(patient_a)


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(plan, lot, **changes):
    now = timezone.now()
    body = {
        "course": plan.pk,
        "lines": [{"lot": lot.pk, "volume": "2.00", "zones": ["cheek_left"]}],
        "points": 40,
        "technique": "papules",
        "depth": "Intradermal",
        "needle": "30G",
        "started_at": now.isoformat(),
        "ended_at": now.isoformat(),
        "pregnant_today": False,
        "breastfeeding_today": False,
    }
    body.update(changes)
    return body


def test_a_session_created_through_the_api_passes_the_same_gate(dermatologist, ready, lot_a):
    response = _api(dermatologist.user).post(
        "/api/v1/sessions/", _body(ready, lot_a), format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["number"] == 1 and data["products"][0]["lot_number"] == "TXA-A1"
    assert data["products"][0]["zones"] == ["cheek_left"]


def test_a_gate_refusal_is_409_with_every_failing_condition(dermatologist, ready, lot_a):
    Consent.objects.update(invalidated_at=timezone.now(), invalidated_reason="withdrawn")
    response = _api(dermatologist.user).post(
        "/api/v1/sessions/", _body(ready, lot_a, pregnant_today=True), format="json"
    )
    assert response.status_code == 409
    conditions = {f["condition"] for f in response.json()["failures"]}
    assert conditions == {"contraindicated", "consent_missing", "pregnant_or_breastfeeding"}
    assert all(f["message"] for f in response.json()["failures"])
    assert not TreatmentSession.objects.exists()
    assert not StockMovement.objects.filter(kind="used").exists()


def test_not_asking_about_pregnancy_today_is_a_gate_refusal(dermatologist, ready, lot_a):
    response = _api(dermatologist.user).post(
        "/api/v1/sessions/", _body(ready, lot_a, pregnant_today=None), format="json"
    )
    assert response.status_code == 409
    assert [f["condition"] for f in response.json()["failures"]] == ["pregnancy_not_confirmed"]


def test_impossible_values_are_400_naming_the_field(
    dermatologist, ready, lot_a, make_lot, clinic_b, txa
):
    other = make_lot(clinic_b, txa, "TXA-B1")
    client = _api(dermatologist.user)
    bad_zone = client.post(
        "/api/v1/sessions/",
        _body(ready, lot_a, lines=[{"lot": lot_a.pk, "volume": "1", "zones": ["elbow"]}]),
        format="json",
    )
    assert bad_zone.status_code == 400 and "lines" in bad_zone.json()
    zero = client.post(
        "/api/v1/sessions/",
        _body(ready, lot_a, lines=[{"lot": lot_a.pk, "volume": "0", "zones": ["chin"]}]),
        format="json",
    )
    assert zero.status_code == 400 and "lines" in zero.json()
    foreign = client.post(
        "/api/v1/sessions/",
        _body(ready, lot_a, lines=[{"lot": other.pk, "volume": "1", "zones": ["chin"]}]),
        format="json",
    )
    assert foreign.status_code == 400  # another clinic's lot is not one of yours
    assert not TreatmentSession.objects.exists()


def test_receptionists_neither_read_nor_chart_sessions(receptionist, ready, lot_a):
    client = _api(receptionist)
    assert client.get("/api/v1/sessions/").status_code == 403
    assert client.post("/api/v1/sessions/", _body(ready, lot_a), format="json").status_code == 403


def test_plans_and_sessions_are_read_and_audited(dermatologist, ready, lot_a):
    client = _api(dermatologist.user)
    client.post("/api/v1/sessions/", _body(ready, lot_a), format="json")
    courses = client.get("/api/v1/courses/").json()["results"]
    assert [c["id"] for c in courses] == [ready.pk]
    assert len(courses[0]["session_dates"]) == 6
    session = TreatmentSession.objects.get()
    assert client.get(f"/api/v1/sessions/{session.pk}/").status_code == 200
    assert AuditEvent.objects.filter(
        action="view", object_type="care.treatmentsession", object_id=str(session.pk)
    ).exists()
    assert AuditEvent.objects.filter(action="list", object_type="care.course").exists()


def test_a_refusal_is_audited_and_absurd_points_are_a_400(dermatologist, ready, lot_a):
    client = _api(dermatologist.user)
    client.post("/api/v1/sessions/", _body(ready, lot_a, pregnant_today=True), format="json")
    assert AuditEvent.objects.filter(
        action="view",
        object_type="care.course",
        detail__gate_refused=["pregnant_or_breastfeeding", "contraindicated"],
    ).exists()
    too_many = client.post("/api/v1/sessions/", _body(ready, lot_a, points=100000), format="json")
    assert too_many.status_code == 400 and "points" in too_many.json()
