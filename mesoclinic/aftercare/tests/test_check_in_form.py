"""The check-in form a patient opens from the link in their message: answered on a phone with no
login, stored as side effects, judged at once; the page after it says what to do now."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from mesoclinic.aftercare.models import CheckIn, SideEffect
from mesoclinic.aftercare.tests.check_in_helpers import (
    answers,
    check_in,
    form_url,
    message_link,
)
from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.models import AdverseEvent, Course

pytestmark = pytest.mark.django_db

PHONE = "(051) 2650100"


def test_it_opens_from_the_link_in_the_patients_message(client, charted, clinic_a):
    link = message_link(charted, 24)

    page = client.get(link)

    assert page.status_code == 200
    assert link.startswith("/ur/")  # patient_a reads Urdu: the message links the Urdu form
    assert "Clinic A Islamabad" in page.text
    assert f'href="tel:{clinic_a.phone}"' in page.text and PHONE in page.text
    assert 'enctype="multipart/form-data"' in page.text and "csrfmiddlewaretoken" in page.text


def test_it_shows_nothing_about_the_patient_or_the_treatment(client, charted, patient_a):
    page = client.get(form_url(check_in(charted, 72).pk)).text
    for private in (
        patient_a.first_name,
        patient_a.last_name,
        patient_a.mrn,
        patient_a.mobile[-7:],
        "TXA",
        "ranexamic",
        "elasma",
    ):
        assert private not in page


def test_it_asks_each_question_with_a_label_or_a_legend(client, charted):
    page = client.get(form_url(check_in(charted, 24).pk)).text
    for legend in (
        "How is your skin since your visit?",
        "Do you have any of these? Tick all that you have.",
        "Since when?",
        "How bad is it? If you ticked more than one, the worst of them.",
        "Is it still there?",
    ):
        assert f"<legend>{legend}</legend>" in page
    assert '<label for="id_site">Where on your body?</label>' in page
    assert 'aria-describedby="site-help"' in page
    assert '<label for="id_photo">' in page and 'type="file"' in page
    assert "Trouble breathing, or the face or lips swelling" in page
    assert "Mild: I notice it, it does not get in the way" in page


def test_it_is_private_to_whoever_holds_the_link(client, charted):
    found = check_in(charted, 24)
    form = client.get(form_url(found.pk))
    result = client.post(form_url(found.pk), answers())
    for response in (form, result):
        assert "no-store" in response["Cache-Control"]
        assert "noindex" in response["X-Robots-Tag"]
    # The form's page sends only the origin (its post needs one for the CSRF check); the
    # page after it sends nothing at all.
    assert form["Referrer-Policy"] == "same-origin"
    assert result["Referrer-Policy"] == "no-referrer"


def test_it_audits_each_read_of_the_form_as_a_public_one(client, charted):
    found = check_in(charted, 24)
    client.get(form_url(found.pk))
    client.get(form_url(found.pk, "ur"))
    reads = AuditEvent.objects.filter(
        object_type="aftercare.checkin", object_id=str(found.pk), action="view"
    )
    assert reads.count() == 2
    assert {(e.actor_id, e.interface, e.clinic_id) for e in reads} == {
        (None, "public", found.clinic_id)
    }


def test_its_page_costs_the_same_few_queries_however_much_was_reported_before(
    client, charted, django_assert_num_queries
):
    url = form_url(check_in(charted, 504).pk)
    # 1 the check-in with its session and clinic; 2 the audit row of the read.
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
    for hours in (24, 72):
        client.post(form_url(check_in(charted, hours).pk), answers(how_bad="2"))
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200


def test_its_answers_are_stored_as_side_effects_each_with_where_since_and_how_bad(client, charted):
    found = check_in(charted, 24)
    today = timezone.localdate()

    response = client.post(
        form_url(found.pk),
        answers(effects=["erythema", "itching"], since_date=today.isoformat(), note="Warm."),
    )

    assert response.status_code == 200
    found.refresh_from_db()
    assert (found.status, found.channel, found.skin, found.note) == (
        "answered",
        "link",
        "some_problems",
        "Warm.",
    )
    assert found.recorded_by is None
    rows = list(SideEffect.objects.filter(check_in=found).order_by("code"))
    assert [r.code for r in rows] == ["erythema", "itching"]
    for row in rows:
        assert (row.site, row.onset_on, row.present, row.self_grade) == (
            "left cheek",
            today,
            True,
            1,
        )
    assert AuditEvent.objects.filter(
        object_type="aftercare.checkin", action="update", interface="public", actor=None
    ).exists()
    assert AuditEvent.objects.filter(object_type="aftercare.sideeffect", interface="public")


def test_a_grade_two_swelling_at_72_hours_tells_the_patient_to_call_the_clinic_now(
    client, charted, clinic_a
):
    found = check_in(charted, 72)

    response = client.post(form_url(found.pk), answers(how_bad="2"))

    assert response.status_code == 200
    assert "What to do now" in response.text
    assert "Call the clinic now:" in response.text
    assert f'href="tel:{clinic_a.phone}"' in response.text and PHONE in response.text
    assert "The clinic has been told about what you reported" in response.text
    assert "Get emergency care now" not in response.text
    event = AdverseEvent.objects.get()
    assert event.grade == 2 and event.triggers == ["grade"]
    assert Course.objects.get(pk=charted.course_id).status == Course.Status.PAUSED


def test_an_expected_redness_at_24_hours_is_logged_without_alarm(client, charted):
    found = check_in(charted, 24)

    response = client.post(form_url(found.pk), answers(effects=["erythema"]))

    assert response.status_code == 200
    assert "What to do now" not in response.text
    assert "usually settle within 24 to 72 hours" in response.text
    assert "Call the clinic if:" in response.text and PHONE in response.text
    assert SideEffect.objects.get().code == "erythema"
    assert not AdverseEvent.objects.exists()
    assert not CheckIn.objects.get(pk=found.pk).escalated


def test_a_patient_whose_skin_is_fine_ticks_nothing_and_is_thanked(client, charted):
    response = client.post(form_url(check_in(charted, 24).pk), {"skin": "fine"})
    assert response.status_code == 200 and "Thank you" in response.text
    assert not SideEffect.objects.exists()


def test_a_swelling_face_sends_the_patient_to_emergency_care_and_tells_the_clinic(client, charted):
    response = client.post(
        form_url(check_in(charted, 24).pk),
        answers(skin="worried", effects=["breathing_face_swelling"], how_bad="1"),
    )

    assert response.status_code == 200
    assert "Get emergency care now: call 1122 (Rescue)" in response.text
    assert 'href="tel:1122"' in response.text
    assert "tell the clinic where you are being treated" in response.text
    assert PHONE in response.text
    assert AdverseEvent.objects.get().triggers == ["allergic"]


def test_hives_escalate_but_send_the_patient_to_the_clinic_not_the_emergency_department(
    client, charted
):
    response = client.post(form_url(check_in(charted, 24).pk), answers(effects=["rash_hives"]))
    assert "Call the clinic now:" in response.text
    assert "Get emergency care now" not in response.text
    assert AdverseEvent.objects.get().triggers == ["allergic"]


def test_an_onset_before_the_session_is_refused_keeping_the_answers_and_storing_nothing(
    client, charted
):
    found = check_in(charted, 24)
    before = timezone.localdate() - timedelta(days=3)

    response = client.post(form_url(found.pk), answers(since="", since_date=before.isoformat()))

    assert response.status_code == 400
    assert "It cannot have begun before the session" in response.text
    assert 'href="#id_since_date"' in response.text  # the summary links to the field
    assert 'aria-describedby="since_date-error"' in response.text
    assert 'value="left cheek"' in response.text  # the answers are kept
    assert 'value="swelling" id="id_effects_2" checked' in response.text
    assert not SideEffect.objects.exists() and not AdverseEvent.objects.exists()
    assert CheckIn.objects.get(pk=found.pk).status == "due"


def test_a_tapped_yesterday_on_the_day_of_the_session_means_since_the_session(client, charted):
    client.post(form_url(check_in(charted, 24).pk), answers(since="yesterday"))
    assert SideEffect.objects.get().onset_on == timezone.localdate(charted.started_at)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"skin": None}, "skin", "Say how your skin is."),
        ({"how_bad": None}, "how_bad", "Say how bad it is."),
        ({"still": None}, "still", "Say whether it is still there."),
        ({"since": None}, "since", "Say when it began."),
        ({"effects": ["other"]}, "other", "Say what the other effect is."),
        ({"how_bad": "7"}, "how_bad", "Select a valid choice."),
        ({"effects": ["sunburn"]}, "effects", "Select a valid choice."),
        ({"since_date": "31/02/2026", "since": None}, "since_date", "Give the date as day"),
    ],
)
def test_a_missing_or_wrong_answer_is_named_and_linked_with_nothing_stored(
    client, charted, changes, field, message
):
    response = client.post(form_url(check_in(charted, 24).pk), answers(**changes))

    assert response.status_code == 400
    assert message in response.text
    assert 'role="alert"' in response.text
    anchor = f"id_{field}" if field in ("other", "since_date") else f"id_{field}_0"
    assert f'href="#{anchor}"' in response.text
    assert not SideEffect.objects.exists()


def test_a_post_without_the_csrf_token_is_refused_without_an_error(charted):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(form_url(check_in(charted, 24).pk), answers())
    assert response.status_code == 403
    assert not SideEffect.objects.exists()


def test_the_urdu_form_reads_right_to_left_with_urdu_questions(client, charted):
    page = client.get(message_link(charted, 72)).text
    assert '<html lang="ur" dir="rtl">' in page
    assert "How is your skin since your visit?" not in page
    assert "Mild: I notice it" not in page
    assert "سرخی" in page  # "Redness", the foundation's label
    assert "آپ کی جلد" in page  # "How is your skin…"


def test_the_urdu_page_after_a_grade_two_swelling_says_what_to_do_in_urdu(client, charted):
    link = message_link(charted, 72)
    response = client.post(link, answers(how_bad="2"))
    assert response.status_code == 200
    assert '<html lang="ur" dir="rtl">' in response.text
    assert "What to do now" not in response.text
    assert "ابھی کیا کریں" in response.text
    assert PHONE in response.text
