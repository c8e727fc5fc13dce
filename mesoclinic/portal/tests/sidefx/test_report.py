"""Report a side effect from the portal: Sana, signed in, reports a problem after her session at
clinic A; it reaches the clinic's aftercare queue and, when the clinic's rules say so, opens an
adverse event at once; she is told what to do now and given the clinic's number. Nobody reports
against another patient's session."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mesoclinic.aftercare.models import AftercareSettings, CheckIn, SideEffect
from mesoclinic.aftercare.selectors import REPORTS_PER_DAY
from mesoclinic.aftercare.tests.check_in_helpers import jpeg_with_gps
from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.models import AdverseEvent, Course
from mesoclinic.care.tests.conftest import chart_session
from mesoclinic.notifications import services as notifications
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.tests.helpers import RecordingChannel
from mesoclinic.portal.tests.sidefx.conftest import earlier_session, grade_two, report_url

pytestmark = pytest.mark.django_db


def _report(patient_client, data, language="en"):
    return patient_client.post(report_url(language), data)


def _sent(response) -> CheckIn:
    assert response.status_code == 302, response.content.decode()[:2000]
    match = reverse("portal:report_sent", args=[0]).rsplit("/0/", 1)[0]
    assert response["Location"].startswith(match)
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[1])
    return CheckIn.objects.get(pk=pk)


def test_it_puts_a_grade_two_report_in_clinic_as_queue_and_opens_an_adverse_event(
    patient_client, client, portal_world, sana_session, dermatologist, clinic_a
):
    check_in = _sent(_report(patient_client, grade_two()))

    assert (check_in.kind, check_in.channel) == (CheckIn.Kind.PATIENT, CheckIn.Channel.PORTAL)
    assert check_in.recorded_by == portal_world.user
    assert check_in.session_id == sana_session.pk and check_in.clinic_id == clinic_a.pk
    effect = SideEffect.objects.get(check_in=check_in)
    assert (effect.code, effect.self_grade, effect.site) == ("swelling", 2, "left cheek")
    event = AdverseEvent.objects.get(session=sana_session)
    assert check_in.escalated and check_in.adverse_event_id == event.pk
    assert (event.source, event.grade, event.opened_by) == ("patient", 2, portal_world.user)
    assert Course.objects.get(pk=sana_session.course_id).status == Course.Status.PAUSED

    # What to do now: call the clinic, its number a tap away (after a redirect: a reload sends
    # nothing twice).
    page = patient_client.get(reverse("portal:report_sent", args=[check_in.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "What to do now" in html and "Call the clinic now:" in html
    assert f'href="tel:{clinic_a.phone}"' in html and clinic_a.phone_display in html

    # Clinic A's practitioner sees it in the aftercare queue: the event and the check-in.
    client.force_login(dermatologist.user)
    queue = client.get(reverse("aftercare:queue", args=[clinic_a.pk]))
    assert queue.status_code == 200
    queued = queue.content.decode()
    assert f'data-event="{event.pk}"' in queued and "Grade 2" in queued
    assert f'data-check-in="{check_in.pk}"' in queued and "The patient portal" in queued
    assert portal_world.at_a.mrn in queued


def test_it_opens_no_adverse_event_when_the_clinics_rules_say_not(
    patient_client, client, sana_session, dermatologist, clinic_a
):
    # Clinic A escalates from grade 3 only; a moderate swelling on the day is expected.
    AftercareSettings.objects.create(clinic=clinic_a, escalate_grade=3)

    check_in = _sent(_report(patient_client, grade_two()))

    assert not check_in.escalated and not AdverseEvent.objects.exists()
    assert Course.objects.get(pk=sana_session.course_id).status == Course.Status.ACTIVE
    html = patient_client.get(reverse("portal:report_sent", args=[check_in.pk])).content.decode()
    assert "Thank you" in html and "What to do now" not in html
    assert f'href="tel:{clinic_a.phone}"' in html
    client.force_login(dermatologist.user)
    queued = client.get(reverse("aftercare:queue", args=[clinic_a.pk])).content.decode()
    assert f'data-check-in="{check_in.pk}"' in queued and "No open adverse event." in queued


def test_it_sends_a_patient_with_breathing_trouble_to_emergency_care(patient_client, sana_session):
    check_in = _sent(
        _report(
            patient_client, grade_two(effects=["breathing_face_swelling"], how_bad="3", site="")
        )
    )
    html = patient_client.get(reverse("portal:report_sent", args=[check_in.pk])).content.decode()
    assert 'href="tel:1122"' in html and "Get emergency care now" in html


def test_it_audits_the_report_via_the_portal_and_tells_no_clinical_detail_in_any_message(
    patient_client, portal_world, sana_session, settings
):
    before = Message.objects.count()
    check_in = _sent(_report(patient_client, grade_two(note="It hurts near the swelling")))
    event = check_in.adverse_event

    rows = AuditEvent.objects.filter(actor=portal_world.user, interface="portal")
    done = set(rows.values_list("action", "object_type"))
    assert {
        ("create", "aftercare.checkin"),
        ("update", "aftercare.checkin"),
        ("create", "aftercare.sideeffect"),
        ("create", "care.adverseevent"),
    } <= done
    # The audit trail names rows, never what was reported.
    for row in rows:
        assert "swelling" not in str(row.detail) and "hurts" not in str(row.detail)

    # The dermatologist's urgent e-mail: the clinic and a link, as sent, nothing else.
    made = Message.objects.order_by("id")[before:]
    assert [m.template for m in made] == ["adverse-event-opened"]
    provider = RecordingChannel()
    notifications.drain(now=timezone.now() + timedelta(minutes=1), channel_for=lambda n: provider)
    bodies = [call["body"] for call in provider.calls]
    assert bodies and f"/aftercare/events/{event.pk}/" in bodies[0]
    private = ("swelling", "cheek", "hurts", "Sana", "Malik", portal_world.at_a.mrn, "grade")
    for body in bodies:
        for word in private:
            assert word.lower() not in body.lower()


def test_it_answers_404_for_another_patients_session_and_audits_the_attempt(
    patient_client, portal_world, sana_session, stranger_session
):
    asked = patient_client.get(report_url(), {"session": stranger_session.pk})
    sent = _report(patient_client, grade_two(session=str(stranger_session.pk)))
    guessed = _report(patient_client, grade_two(session="not-a-number"))

    assert (asked.status_code, sent.status_code, guessed.status_code) == (404, 404, 404)
    assert not CheckIn.objects.filter(kind=CheckIn.Kind.PATIENT).exists()
    denied = AuditEvent.objects.filter(actor=portal_world.user, action="denied", interface="portal")
    assert (
        denied.filter(
            object_type="care.treatmentsession", object_id=str(stranger_session.pk)
        ).count()
        == 2
    )


def test_it_answers_404_for_another_patients_report(
    patient_client, client, portal_world, sana_session, stranger_session
):
    # The stranger's own report, from the link in her message (no account).
    from mesoclinic.aftercare.services import checkins
    from mesoclinic.audit.services import Interface

    theirs, _ = checkins.report(
        acting_user=None,
        via=Interface.PUBLIC,
        session=stranger_session,
        answers=checkins.Answers(skin="fine"),
        channel=CheckIn.Channel.LINK,
    )
    response = patient_client.get(reverse("portal:report_sent", args=[theirs.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=portal_world.user, action="denied", object_id=str(theirs.pk)
    ).exists()


def test_it_keeps_the_answers_and_says_what_is_missing_next_to_it(patient_client, sana_session):
    response = _report(patient_client, grade_two(how_bad=None, site="left cheek"))

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="how_bad-error"' in html and "Say how bad it is." in html
    assert 'aria-describedby="how_bad-error"' in html
    assert 'value="left cheek"' in html
    assert 'value="swelling" id="id_effects_' in html and "checked" in html
    assert 'href="#id_how_bad_0"' in html  # the summary links to the question
    assert not CheckIn.objects.filter(kind=CheckIn.Kind.PATIENT).exists()


def test_it_refuses_a_date_before_the_session_with_the_sessions_day(patient_client, sana_session):
    before = (timezone.localdate(sana_session.started_at) - timedelta(days=3)).isoformat()
    response = _report(patient_client, grade_two(since="", since_date=before))

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="since_date-error"' in html and "before the session" in html
    assert f'value="{before}"' in html
    assert not CheckIn.objects.filter(kind=CheckIn.Kind.PATIENT).exists()


def test_it_stores_a_photo_without_its_location(patient_client, sana_session):
    check_in = _sent(_report(patient_client, {**grade_two(), "photo": jpeg_with_gps()}))

    from PIL import Image

    with check_in.photo.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()


def test_it_defaults_to_the_most_recent_session_and_takes_an_older_one_asked_for(
    patient_client, sana_session, dermatologist, lot_a
):
    first = earlier_session(sana_session)
    course = Course.objects.get(pk=first.course_id)
    latest = chart_session(dermatologist.user, course, lot_a)

    page = patient_client.get(report_url()).content.decode()
    assert f'name="session" value="{latest.pk}" id="id_session_0" checked' in page
    assert f'value="{first.pk}"' in page

    check_in = _sent(_report(patient_client, grade_two(session=str(first.pk))))
    assert check_in.session_id == first.pk


def test_it_sends_the_patient_to_the_telephone_past_the_days_reports(
    patient_client, sana_session, clinic_a
):
    for _ in range(REPORTS_PER_DAY):
        _sent(_report(patient_client, grade_two(effects=[], how_bad=None, skin="fine")))

    response = _report(patient_client, grade_two())
    assert response.status_code == 429
    assert f'href="tel:{clinic_a.phone}"' in response.content.decode()
    assert CheckIn.objects.filter(kind=CheckIn.Kind.PATIENT).count() == REPORTS_PER_DAY


def test_it_tells_a_patient_without_a_session_there_is_nothing_to_report_against(
    patient_client, clinic_a, clinic_b
):
    response = patient_client.get(report_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no treatment session on your record to report against." in html
    assert f'href="tel:{clinic_a.phone}"' in html and f'href="tel:{clinic_b.phone}"' in html
    assert 'name="skin"' not in html


def test_it_shows_the_form_in_urdu(patient_client, sana_session):
    response = patient_client.get(report_url("ur"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ur" dir="rtl">' in html
    assert "guide/fonts" in html
    assert "Report a side effect" not in html and "Send to the clinic" not in html
    assert len(response.content) < 100_000


def test_it_sends_a_signed_out_visitor_to_the_portals_sign_in(client, sana_session):
    response = client.get(report_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:sign_in"))
    assert client.post(report_url(), grade_two()).status_code == 302
    assert not CheckIn.objects.filter(kind=CheckIn.Kind.PATIENT).exists()


def test_it_sends_staff_to_their_own_pages(client, dermatologist, sana_session):
    client.force_login(dermatologist.user)
    assert client.get(report_url())["Location"] == reverse("dashboard")
    assert client.post(report_url(), grade_two())["Location"] == reverse("dashboard")
    assert not CheckIn.objects.filter(kind=CheckIn.Kind.PATIENT).exists()


def test_it_reads_the_form_in_a_fixed_number_of_queries(
    patient_client, sana_session, dermatologist, lot_a, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERIES_FORM):
        assert patient_client.get(report_url()).status_code == 200
    # More sessions, the same queries.
    first = earlier_session(sana_session)
    chart_session(dermatologist.user, Course.objects.get(pk=first.course_id), lot_a)
    with django_assert_max_num_queries(QUERIES_FORM):
        assert patient_client.get(report_url()).status_code == 200


def test_it_shows_the_answer_in_a_fixed_number_of_queries(
    patient_client, sana_session, django_assert_max_num_queries
):
    check_in = _sent(
        _report(patient_client, grade_two(effects=["swelling", "bruising", "erythema"]))
    )
    with django_assert_max_num_queries(QUERIES_ANSWER):
        response = patient_client.get(reverse("portal:report_sent", args=[check_in.pk]))
    assert response.status_code == 200


#: The form: the browser's session, its user, the user's groups (the gate), the patient's latest
#: sessions with their clinics (one query, whatever their number), the audit row (insert).
QUERIES_FORM = 5
#: The answer: the browser's session, its user, the user's groups, the report with its session
#: and clinic, its effects (one query, however many), the audit row, the clinic's aftercare
#: settings (the escalation rules it is judged by).
QUERIES_ANSWER = 7
