"""The adverse event's page (grade, work-up, lots before it, closing) and the cluster alert's
(its events, the lot's recall, acknowledging), as the clinic works them."""

# ruff: noqa: F811 (the fixtures of clinic_fixtures, imported here, are the parameters)

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mesoclinic.aftercare.models import ClusterAlert
from mesoclinic.aftercare.tests.clinic_fixtures import (  # noqa: F401 (fixtures)
    chart_another,
    derm_b,
    escalated,
)
from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.models import AdverseEvent, Course
from mesoclinic.care.tests.conftest import chart_session

pytestmark = pytest.mark.django_db


def _event_url(event):
    return reverse("aftercare:event", args=[event.pk])


def test_it_shows_the_event_with_its_lots_course_checklist_and_follow_up(
    client, charted, dermatologist, lot_a
):
    event = escalated(charted)
    client.force_login(dermatologist.user)
    response = client.get(_event_url(event))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Graded at or above the clinic&#x27;s threshold" in html
    assert "Swelling" in html
    assert "Grade 2 · Moderate" in html
    assert reverse("formulary:lot", args=[lot_a.pk]) in html and "TXA-A1" in html
    assert "Test Pharma" in html and lot_a.expires_on.strftime("%Y") in html
    assert "Paused" in html
    assert "See the patient in person" in html
    book = reverse("appointments:book", args=[charted.clinic.slug]) + f"?patient={event.patient_id}"
    assert book in html
    assert AuditEvent.objects.filter(
        action="view", object_type="care.adverseevent", object_id=str(event.pk)
    ).exists()


def test_it_lists_the_lots_of_every_session_of_the_course_up_to_the_events(
    client, charted, dermatologist, make_lot, clinic_a, txa
):
    from mesoclinic.care.models import TreatmentSession

    second_lot = make_lot(clinic_a, txa, "TXA-A2", "10")
    course = Course.objects.get(pk=charted.course_id)
    # The clock moved on: the first session was 15 days ago, so the second is due today.
    TreatmentSession.objects.filter(pk=charted.pk).update(
        started_at=charted.started_at - timedelta(days=15),
        ended_at=charted.ended_at - timedelta(days=15),
    )
    second = chart_session(dermatologist.user, course, second_lot)
    event = escalated(second)
    client.force_login(dermatologist.user)
    html = client.get(_event_url(event)).content.decode()
    assert "TXA-A1" in html and "TXA-A2" in html


def test_it_ticks_a_step_and_sets_the_grade(client, charted, dermatologist):
    event = escalated(charted)
    client.force_login(dermatologist.user)
    url = _event_url(event)
    assert (
        client.post(url, {"action": "step", "code": "photograph", "done": "on"}).status_code == 302
    )
    assert client.post(url, {"action": "grade", "grade": "3"}).status_code == 302
    event.refresh_from_db()
    assert event.grade == 3
    step = next(s for s in event.checklist if s["code"] == "photograph")
    assert step["done_by"] == dermatologist.user.pk and step["done_at"]
    html = client.get(url).content.decode()
    assert "Grade 3 · Severe" in html


def test_it_refuses_to_close_without_an_outcome_and_stores_nothing(client, charted, dermatologist):
    event = escalated(charted)
    client.force_login(dermatologist.user)
    response = client.post(_event_url(event), {"action": "close", "outcome": "", "note": "x"})
    assert response.status_code == 400
    assert "Choose the outcome." in response.content.decode()
    event.refresh_from_db()
    assert event.is_open and event.outcome_note == ""


def test_it_refuses_a_practitioner_who_is_not_a_dermatologist_and_stores_nothing(
    client, charted, practitioner_user
):
    event = escalated(charted)
    client.force_login(practitioner_user)
    response = client.post(_event_url(event), {"action": "close", "outcome": "resolved"})
    assert response.status_code == 400
    assert "Only a credentialed dermatologist may close an adverse event." in (
        response.content.decode()
    )
    event.refresh_from_db()
    assert event.is_open and event.dermatologist is None


def test_a_dermatologist_closes_it_with_an_outcome_and_resumes_the_course(
    client, charted, dermatologist
):
    event = escalated(charted)
    client.force_login(dermatologist.user)
    response = client.post(
        _event_url(event),
        {"action": "close", "outcome": "resolved", "note": "Settled", "resume_course": "on"},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (
        not event.is_open and event.outcome == "resolved" and event.dermatologist == dermatologist
    )
    assert Course.objects.get(pk=charted.course_id).status == Course.Status.ACTIVE
    html = client.get(_event_url(event)).content.decode()
    assert "Resolved" in html and 'id="close-form"' not in html


def test_it_answers_an_outsider_404_a_receptionist_403_and_a_manager_403_on_writes(
    client, charted, derm_b, receptionist, manager
):
    event = escalated(charted)
    client.force_login(derm_b.user)
    assert client.get(_event_url(event)).status_code == 404
    assert client.post(_event_url(event), {"action": "grade", "grade": "4"}).status_code == 404
    client.force_login(receptionist)
    assert client.get(_event_url(event)).status_code == 403
    client.force_login(manager)
    assert client.get(_event_url(event)).status_code == 200
    assert client.post(_event_url(event), {"action": "grade", "grade": "4"}).status_code == 403
    event.refresh_from_db()
    assert event.grade == 2


def test_its_queries_do_not_grow_with_its_check_ins(client, charted, dermatologist):
    from mesoclinic.aftercare.tests.clinic_fixtures import answer

    event = escalated(charted)
    client.force_login(dermatologist.user)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_event_url(event)).status_code == 200
        return len(captured)

    one = count()
    answer(charted, code="bruising", self_grade=2, hours=24)
    answer(charted, code="itching", self_grade=2, hours=504)
    assert event.pk == AdverseEvent.objects.get().pk
    assert count() == one


def test_the_cluster_alert_is_raised_at_three_events_on_one_lot_and_not_at_two(
    charted, chart_another, lot_a
):
    escalated(charted)
    escalated(chart_another())
    assert not ClusterAlert.objects.filter(kind="lot").exists()
    escalated(chart_another())
    alert = ClusterAlert.objects.get(kind="lot")
    assert alert.lot == lot_a and len(alert.events) == 3


def test_the_alert_page_offers_the_recall_and_a_manager_acknowledges_it(
    client, charted, chart_another, manager, lot_a
):
    for session in (charted, chart_another(), chart_another()):
        escalated(session)
    alert = ClusterAlert.objects.get(kind="lot")
    client.force_login(manager)
    html = client.get(reverse("aftercare:alert", args=[alert.pk])).content.decode()
    assert reverse("formulary:lot_status", args=[lot_a.pk]) in html
    assert 'name="status" value="recalled"' in html
    assert reverse("formulary:recipients", args=[lot_a.pk]) in html
    for pk in alert.events:
        assert f"AE-{pk}" in html
    assert client.post(reverse("aftercare:alert", args=[alert.pk])).status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == manager


def test_the_recall_offered_on_the_alert_recalls_the_lot(
    client, charted, chart_another, manager, lot_a
):
    for session in (charted, chart_another(), chart_another()):
        escalated(session)
    client.force_login(manager)
    response = client.post(
        reverse("formulary:lot_status", args=[lot_a.pk]),
        {"status": "recalled", "reason": "Cluster of 3 adverse events"},
    )
    assert response.status_code == 302
    lot_a.refresh_from_db()
    assert lot_a.status == "recalled"


def test_the_alert_is_404_outside_its_clinic_and_a_practitioner_cannot_acknowledge(
    client, charted, chart_another, derm_b, dermatologist
):
    for session in (charted, chart_another(), chart_another()):
        escalated(session)
    alert = ClusterAlert.objects.get(kind="lot")
    url = reverse("aftercare:alert", args=[alert.pk])
    client.force_login(derm_b.user)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(dermatologist.user)
    html = client.get(url).content.decode()
    assert 'id="recall-lot"' not in html  # recalls are the managers'
    response = client.post(url, follow=True)
    assert "Only a manager of this clinic may acknowledge the alert." in response.content.decode()
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_the_event_page_reads_right_to_left_in_urdu(client, charted, dermatologist, settings):
    event = escalated(charted)
    client.force_login(dermatologist.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    html = client.get(_event_url(event)).content.decode()
    assert 'dir="rtl"' in html
    assert "فالو اپ معائنہ بُک کریں" in html  # "Book a follow-up visit"
    assert "تشخیصی اقدامات" in html  # "Work-up"
