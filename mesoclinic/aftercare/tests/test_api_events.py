"""/api/v1/adverse-events/ and /api/v1/check-ins/: read-only, scoped, audited, cursor pages,
the register's filters, constant queries, and documented in the OpenAPI schema."""

# ruff: noqa: F811 (the fixtures of clinic_fixtures, imported here, are the parameters)

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from mesoclinic.aftercare.models import CheckIn
from mesoclinic.aftercare.tests.clinic_fixtures import (  # noqa: F401 (fixtures)
    answer,
    chart_another,
    derm_b,
    escalated,
)
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.care.services.adverse_events import close_adverse_event

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/adverse-events/"
CHECK_INS = "/api/v1/check-ins/"


@pytest.fixture
def api():
    return APIClient()


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_it_lists_the_register_with_lots_and_audits_the_read(api, charted, dermatologist, lot_a):
    event = escalated(charted)
    api.force_authenticate(dermatologist.user)
    response = api.get(EVENTS)
    assert _ids(response) == [event.pk]
    row = response.json()["results"][0]
    assert row["reference"] == event.reference and row["grade"] == 2
    assert row["triggers"] == ["grade"] and row["status"] == "open"
    assert row["lots"][0]["lot_number"] == "TXA-A1" and row["lots"][0]["lot"] == lot_a.pk
    assert AuditEvent.objects.filter(
        action="list", object_type="care.adverseevent", interface=Interface.API
    ).exists()
    detail = api.get(f"{EVENTS}{event.pk}/")
    assert detail.status_code == 200 and detail.json()["id"] == event.pk
    assert AuditEvent.objects.filter(
        action="view", object_type="care.adverseevent", object_id=str(event.pk)
    ).exists()


def test_it_filters_like_the_register_page(
    api, charted, chart_another, dermatologist, make_lot, clinic_a, txa, lot_a
):
    first = escalated(charted)
    other_lot = make_lot(clinic_a, txa, "TXA-A9", "10")
    second = escalated(chart_another(lot=other_lot), self_grade=3)
    close_adverse_event(
        acting_user=dermatologist.user, via=Interface.WEB, event=first, outcome="resolved"
    )
    api.force_authenticate(dermatologist.user)
    assert _ids(api.get(EVENTS, {"grade": 3})) == [second.pk]
    assert _ids(api.get(EVENTS, {"status": "closed"})) == [first.pk]
    assert _ids(api.get(EVENTS, {"lot": lot_a.pk})) == [first.pk]
    assert _ids(api.get(EVENTS, {"product": txa.pk})) == [second.pk, first.pk]
    assert _ids(api.get(EVENTS, {"clinic": clinic_a.pk})) == [second.pk, first.pk]
    for bad in ({"grade": 9}, {"status": "lost"}, {"lot": "x"}, {"clinic": 10**30}):
        response = api.get(EVENTS, bad)
        assert response.status_code == 400
        assert next(iter(bad)) in response.json()


def test_it_pages_by_cursor_in_constant_queries(api, charted, chart_another, dermatologist):
    escalated(charted)
    api.force_authenticate(dermatologist.user)

    def count(url, **params):
        with CaptureQueriesContext(connection) as captured:
            response = api.get(url, params)
        assert response.status_code == 200
        return len(captured), response.json()

    one, _ = count(EVENTS)
    escalated(chart_another())
    escalated(chart_another())
    # roles, the page, its lots, the audit row (+ savepoints)
    three, body = count(EVENTS)
    assert three == one
    _, body = count(EVENTS, page_size=2)
    assert len(body["results"]) == 2 and body["next"]
    follow = api.get(body["next"])
    assert len(follow.json()["results"]) == 1
    assert api.get(EVENTS, {"cursor": "forged"}).status_code == 404


def test_it_answers_an_outsider_404_and_a_receptionist_403(api, charted, derm_b, receptionist):
    event = escalated(charted)
    check_in = CheckIn.objects.get(adverse_event=event)
    api.force_authenticate(derm_b.user)
    assert _ids(api.get(EVENTS)) == []
    assert api.get(f"{EVENTS}{event.pk}/").status_code == 404
    assert _ids(api.get(CHECK_INS, {"patient": event.patient_id})) == []
    assert api.get(f"{CHECK_INS}{check_in.pk}/").status_code == 404
    api.force_authenticate(receptionist)
    assert api.get(EVENTS).status_code == 403
    assert api.get(CHECK_INS).status_code == 403
    assert api.get(f"{EVENTS}{event.pk}/").status_code == 403


def test_it_lists_a_patients_check_ins_with_their_effects(
    api, charted, chart_another, dermatologist
):
    check_in, _ = answer(charted, code="bruising", self_grade=1, hours=24, site="chin")
    other = chart_another()
    api.force_authenticate(dermatologist.user)
    response = api.get(CHECK_INS, {"patient": charted.patient_id})
    rows = response.json()["results"]
    assert {row["patient"] for row in rows} == {charted.patient_id}
    assert len(rows) == 3  # 24 h, 72 h and 3 weeks
    answered = next(row for row in rows if row["id"] == check_in.pk)
    assert answered["status"] == "answered" and answered["has_photo"] is False
    assert answered["effects"][0]["code"] == "bruising"
    assert answered["effects"][0]["site"] == "chin"
    assert other.patient_id not in {row["patient"] for row in rows}
    assert api.get(CHECK_INS, {"patient": "abc"}).status_code == 400
    detail = api.get(f"{CHECK_INS}{check_in.pk}/")
    assert detail.status_code == 200
    assert AuditEvent.objects.filter(
        action="view", object_type="aftercare.checkin", object_id=str(check_in.pk)
    ).exists()


def test_its_check_in_list_queries_do_not_grow(api, charted, chart_another, dermatologist):
    answer(charted, code="bruising", self_grade=1, hours=24)
    api.force_authenticate(dermatologist.user)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert api.get(CHECK_INS).status_code == 200
        return len(captured)

    one = count()
    answer(chart_another(), code="itching", self_grade=1, hours=24)
    assert count() == one


def test_the_schema_documents_both_endpoints_and_their_filters(api, administrator):
    api.force_authenticate(administrator)
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    events = schema["paths"]["/api/v1/adverse-events/"]["get"]
    assert {p["name"] for p in events["parameters"]} >= {"grade", "lot", "product", "status"}
    check_ins = schema["paths"]["/api/v1/check-ins/"]["get"]
    assert "patient" in {p["name"] for p in check_ins["parameters"]}
    assert "/api/v1/adverse-events/{id}/" in schema["paths"]
