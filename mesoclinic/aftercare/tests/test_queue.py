"""The clinic's aftercare queue and overdue list, and a check-in recorded by phone and
reviewed, as staff see them."""

# ruff: noqa: F811 (the fixtures of clinic_fixtures, imported here, are the parameters)

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mesoclinic.aftercare import clinic_reads
from mesoclinic.aftercare.models import CheckIn, SideEffect
from mesoclinic.aftercare.tests.clinic_fixtures import (  # noqa: F401 (fixtures)
    answer,
    chart_another,
    derm_b,
    escalated,
)
from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.models import AdverseEvent

pytestmark = pytest.mark.django_db


def _queries(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(captured)


def test_it_lists_open_events_then_answered_check_ins_escalated_first(
    client, charted, chart_another, dermatologist
):
    event = escalated(charted)
    other = chart_another()
    mild, _ = answer(other, code="erythema", self_grade=1, hours=24, skin="some_problems")
    client.force_login(dermatologist.user)
    response = client.get(reverse("aftercare:queue", args=[charted.clinic_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert event.reference in html
    assert "Graded at or above the clinic&#x27;s threshold" in html
    assert html.index(event.reference) < html.index(f'data-check-in="{mild.pk}"')
    escalated_check_in = CheckIn.objects.get(adverse_event=event)
    assert html.index(f'data-check-in="{escalated_check_in.pk}"') < html.index(
        f'data-check-in="{mild.pk}"'
    )
    assert 'hx-trigger="every 30s"' in html
    # Its own refreshes do not keep an unattended session alive (security/sessions.py).
    assert """hx-headers='{"X-Background-Refresh": "1"}'""" in html
    assert AuditEvent.objects.filter(action="list", object_type="aftercare.queue").exists()


def test_it_refreshes_as_a_fragment_and_a_severe_answer_appears_in_it(
    client, charted, dermatologist
):
    client.force_login(dermatologist.user)
    url = reverse("aftercare:queue", args=[charted.clinic_id])
    before = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in before and "No open adverse event." in before
    event = escalated(charted, self_grade=3)
    after = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert event.reference in after and "Grade 3" in after


def test_it_answers_an_outsider_404_and_a_receptionist_403_on_every_list(
    client, charted, derm_b, receptionist
):
    escalated(charted)
    for name in ("aftercare:queue", "aftercare:overdue", "aftercare:register"):
        url = reverse(name, args=[charted.clinic_id])
        client.force_login(derm_b.user)
        assert client.get(url).status_code == 404
        client.force_login(receptionist)
        response = client.get(url)
        assert response.status_code == 403
        assert charted.patient.last_name not in response.content.decode()


def test_its_queries_do_not_grow_with_the_queue(client, charted, chart_another, manager):
    client.force_login(manager)
    url = reverse("aftercare:queue", args=[charted.clinic_id])
    escalated(charted)
    one = _queries(client, url)
    for _ in range(2):
        escalated(chart_another())
    # session, user's roles, clinic, events, check-ins, their effects, alerts, audit (+ savepoints)
    assert _queries(client, url) == one


def test_it_shows_managers_the_cluster_alert(client, charted, chart_another, manager):
    escalated(charted)
    escalated(chart_another())
    escalated(chart_another())
    client.force_login(manager)
    html = client.get(reverse("aftercare:queue", args=[charted.clinic_id])).content.decode()
    assert 'data-list="alerts"' in html
    assert "3 adverse events on lot TXA-A1" in html


def _overdue(check_in, hours):
    """The clock moved on: the check-in fell due `hours` ago."""
    CheckIn.objects.filter(pk=check_in.pk).update(due_at=timezone.now() - timedelta(hours=hours))


def test_it_lists_overdue_check_ins_oldest_first_with_a_way_to_record_them(
    client, charted, chart_another, dermatologist
):
    older = CheckIn.objects.get(session=charted, hours_after=24)
    newer = CheckIn.objects.get(session=chart_another(), hours_after=24)
    not_yet = CheckIn.objects.get(session=charted, hours_after=72)
    _overdue(older, 60)
    _overdue(newer, 30)
    _overdue(not_yet, 10)  # due, but within the clinic's 24 hours
    client.force_login(dermatologist.user)
    html = client.get(reverse("aftercare:overdue", args=[charted.clinic_id])).content.decode()
    assert f'data-check-in="{not_yet.pk}"' not in html
    assert html.index(f'data-check-in="{older.pk}"') < html.index(f'data-check-in="{newer.pk}"')
    record = reverse("aftercare:record_check_in", args=[charted.pk]) + f"?check_in={older.pk}"
    assert record in html


def test_it_pages_overdue_check_ins_by_keyset_in_constant_queries(
    client, charted, chart_another, dermatologist, monkeypatch
):
    monkeypatch.setattr(clinic_reads, "PAGE_SIZE", 2)
    sessions = [charted, chart_another(), chart_another()]
    for n, session in enumerate(sessions):
        _overdue(CheckIn.objects.get(session=session, hours_after=24), 100 - n)
    client.force_login(dermatologist.user)
    url = reverse("aftercare:overdue", args=[charted.clinic_id])
    first = client.get(url)
    assert first.context["next_cursor"]
    rows = [c.session_id for c in first.context["rows"]]
    assert rows == [sessions[0].pk, sessions[1].pk]
    second = client.get(url, {"after": first.context["next_cursor"]})
    assert [c.session_id for c in second.context["rows"]] == [sessions[2].pk]
    assert second.context["next_cursor"] is None
    assert client.get(url, {"after": "forged"}).status_code == 200
    assert _queries(client, url) == _queries(client, url + "?after=" + first.context["next_cursor"])


def _post_check_in(client, session, data, check_in=None):
    url = reverse("aftercare:record_check_in", args=[session.pk])
    if check_in is not None:
        url += f"?check_in={check_in.pk}"
    # Minutes, as the form takes them: the session was charted a moment ago.
    now = timezone.localtime() + timedelta(minutes=1)
    return client.post(
        url,
        {
            "channel": "phone",
            "answered_at": now.strftime("%Y-%m-%dT%H:%M"),
            "skin": "some_problems",
            **data,
        },
    )


def test_it_records_a_due_check_in_by_phone_and_escalates_a_grade_two(
    client, charted, dermatologist
):
    due = CheckIn.objects.get(session=charted, hours_after=24)
    client.force_login(dermatologist.user)
    page = client.get(reverse("aftercare:record_check_in", args=[charted.pk]), {"check_in": due.pk})
    assert "Pain or burning" in page.content.decode()
    response = _post_check_in(
        client,
        charted,
        {
            "effect_swelling": "on",
            "site_swelling": "left cheek",
            "rating_swelling": "2",
            "present_swelling": "on",
        },
        check_in=due,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("aftercare:review", args=[due.pk])
    due.refresh_from_db()
    assert due.status == "answered" and due.channel == "phone"
    assert due.recorded_by == dermatologist.user
    assert due.adverse_event.is_open
    effect = SideEffect.objects.get(check_in=due)
    assert (effect.code, effect.site, effect.self_grade) == ("swelling", "left cheek", 2)


def test_it_records_a_new_report_at_a_visit(client, charted, dermatologist):
    client.force_login(dermatologist.user)
    response = _post_check_in(
        client, charted, {"channel": "visit", "effect_bruising": "on", "rating_bruising": "1"}
    )
    assert response.status_code == 302
    made = CheckIn.objects.get(kind=CheckIn.Kind.STAFF)
    assert made.channel == "visit" and not made.escalated
    assert not AdverseEvent.objects.exists()


def test_it_refuses_an_effect_begun_before_the_session_and_stores_nothing(
    client, charted, dermatologist
):
    client.force_login(dermatologist.user)
    before = (timezone.localdate() - timedelta(days=5)).isoformat()
    response = _post_check_in(client, charted, {"effect_nodule": "on", "onset_nodule": before})
    assert response.status_code == 400
    assert "It cannot have begun before the session" in response.content.decode()
    assert not CheckIn.objects.filter(status="answered").exists()
    assert not CheckIn.objects.filter(kind=CheckIn.Kind.STAFF).exists()


def test_it_refuses_a_follow_up_dated_before_its_session(client, charted, dermatologist):
    client.force_login(dermatologist.user)
    url = reverse("aftercare:record_check_in", args=[charted.pk])
    earlier = timezone.localtime(charted.ended_at - timedelta(days=1))
    response = client.post(
        url,
        {"channel": "phone", "skin": "fine", "answered_at": earlier.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 400
    assert "A follow-up cannot be dated before its session." in response.content.decode()
    assert not CheckIn.objects.filter(kind=CheckIn.Kind.STAFF).exists()


def test_it_answers_404_for_another_clinics_session_or_check_in(
    client, charted, derm_b, dermatologist
):
    due = CheckIn.objects.get(session=charted, hours_after=24)
    client.force_login(derm_b.user)
    assert client.get(reverse("aftercare:record_check_in", args=[charted.pk])).status_code == 404
    assert client.get(reverse("aftercare:review", args=[due.pk])).status_code == 404
    client.force_login(dermatologist.user)
    assert (
        client.get(
            reverse("aftercare:record_check_in", args=[charted.pk]), {"check_in": 99999}
        ).status_code
        == 404
    )


def test_it_reviews_a_check_in_and_a_clinicians_grade_three_escalates(
    client, charted, dermatologist
):
    check_in, decision = answer(charted, code="erythema", self_grade=1, hours=24)
    assert not decision.escalate
    effect = SideEffect.objects.get(check_in=check_in)
    client.force_login(dermatologist.user)
    page = client.get(reverse("aftercare:review", args=[check_in.pk])).content.decode()
    assert "Grade 2 · Moderate" in page and "Redness" in page
    response = client.post(
        reverse("aftercare:review", args=[check_in.pk]), {f"grade_{effect.pk}": "3"}
    )
    event = AdverseEvent.objects.get()
    assert response["Location"] == reverse("aftercare:event", args=[event.pk])
    effect.refresh_from_db()
    assert effect.grade == 3 and effect.graded_by == dermatologist.user
    check_in.refresh_from_db()
    assert check_in.reviewed_at is not None


def test_it_refuses_a_resolution_in_the_future_beside_the_effect(client, charted, dermatologist):
    check_in, _ = answer(charted, code="erythema", self_grade=1, hours=24)
    effect = SideEffect.objects.get(check_in=check_in)
    client.force_login(dermatologist.user)
    later = timezone.localtime() + timedelta(days=2)
    response = client.post(
        reverse("aftercare:review", args=[check_in.pk]),
        {f"resolved_{effect.pk}": later.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 400
    assert "It resolved after the session and not in the future." in response.content.decode()
    effect.refresh_from_db()
    assert effect.resolved_at is None
    assert CheckIn.objects.get(pk=check_in.pk).reviewed_at is None


def test_it_serves_a_check_in_photo_only_through_the_audited_view(
    client, charted, dermatologist, derm_b, tmp_path, settings
):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from mesoclinic.aftercare.services import checkins
    from mesoclinic.audit.services import Interface

    buffer = BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "JPEG")
    check_in = CheckIn.objects.get(session=charted, hours_after=24)
    checkins.answer_check_in(
        acting_user=None,
        via=Interface.PUBLIC,
        check_in=check_in,
        answers=checkins.Answers(
            skin="worried",
            photo=SimpleUploadedFile("cheek.jpg", buffer.getvalue(), content_type="image/jpeg"),
        ),
        channel=CheckIn.Channel.LINK,
    )
    url = reverse("aftercare:check_in_photo", args=[check_in.pk])
    client.force_login(dermatologist.user)
    assert url in client.get(reverse("aftercare:review", args=[check_in.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(
        action="view", object_type="aftercare.checkin", object_id=str(check_in.pk)
    ).exists()
    client.force_login(derm_b.user)
    assert client.get(url).status_code == 404


def test_it_does_not_review_a_check_in_nobody_answered(client, charted, dermatologist):
    due = CheckIn.objects.get(session=charted, hours_after=24)
    client.force_login(dermatologist.user)
    assert (
        "Confirm the grades"
        not in client.get(reverse("aftercare:review", args=[due.pk])).content.decode()
    )
    response = client.post(reverse("aftercare:review", args=[due.pk]), follow=True)
    assert "This check-in has not been answered yet." in response.content.decode()
    assert CheckIn.objects.get(pk=due.pk).reviewed_at is None
