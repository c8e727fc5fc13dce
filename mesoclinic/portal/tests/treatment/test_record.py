"""My treatment: what Sana reads of her records at clinics A and B, and what she never reads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mesoclinic.aftercare.models import CheckIn, CoursePhoto
from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.models import Consent
from mesoclinic.care.services import consents as consent_services

pytestmark = pytest.mark.django_db


def page_of(client, record, language="en"):
    return client.get(f"/{language}/portal/records/{record.pk}/")


def portal_rows(user, **filters):
    return AuditEvent.objects.filter(actor=user, interface="portal", **filters)


# --- what Sana sees ----------------------------------------------------------------------------


def test_it_shows_sana_her_plan_at_clinic_a(patient_client, portal_world, treated):
    world = treated(sessions=2)
    page = page_of(patient_client, portal_world.at_a)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Clinic A Islamabad" in text and "Clinic B Lahore" not in text
    course = world.course_a
    course.refresh_from_db()
    assert text.count('class="done"') == 2 and text.count('class="to-come"') == 4
    assert f'id="next-session-{course.pk}"' in text
    assert course.maintenance_due.strftime("%-d %b %Y") in text


def test_it_links_each_clinic_card_to_its_record(patient_client, portal_world):
    text = patient_client.get("/en/portal/").content.decode()
    assert f"/en/portal/records/{portal_world.at_a.pk}/" in text
    assert f"/en/portal/records/{portal_world.at_b.pk}/" in text


def test_it_lists_the_consents_signed_at_the_clinic_with_their_pdf(
    patient_client, portal_world, treated
):
    world = treated()
    text = page_of(patient_client, portal_world.at_a).content.decode()
    assert f"/en/portal/consents/{world.consent_a.pk}/pdf/" in text
    for consent in world.consents_b:  # clinic B's consents are on B's page only
        assert f"/portal/consents/{consent.pk}/pdf/" not in text
    text_b = page_of(patient_client, portal_world.at_b).content.decode()
    assert all(f"/en/portal/consents/{c.pk}/pdf/" in text_b for c in world.consents_b)
    assert "in force" in text_b and "ended" in text_b


def test_it_shows_the_last_sessions_aftercare_and_its_check_ins(
    patient_client, portal_world, treated
):
    world = treated(sessions=2)
    last = world.sessions_a[-1]
    text = page_of(patient_client, portal_world.at_a).content.decode()
    assert last.aftercare.title_en in text
    assert text.count('class="check-in due"') == CheckIn.objects.filter(session=last).count() > 0
    assert "Answer now" not in text  # none is due yet


def test_it_offers_a_check_in_once_it_is_due(patient_client, portal_world, treated):
    world = treated(sessions=1)
    last = world.sessions_a[-1]
    # The clock moves on: the 24-hour check-in falls due.
    CheckIn.objects.filter(session=last, hours_after=24).update(
        due_at=timezone.now() - timedelta(hours=1)
    )
    text = page_of(patient_client, portal_world.at_a).content.decode()
    assert text.count("Answer now") == 1 and "/en/check-in/" in text


def test_it_draws_the_score_chart_without_javascript(patient_client, portal_world, treated):
    treated(sessions=2)
    text = page_of(patient_client, portal_world.at_a).content.decode()
    assert "<svg" in text and "<script" not in text
    assert "mMASI" in text and "6" in text


def test_it_shows_photos_side_by_side_when_the_consent_allows(
    patient_client, portal_world, treated
):
    world = treated(sessions=2, views=2)
    text = page_of(patient_client, portal_world.at_a).content.decode()
    assert text.count('class="pair"') == 2
    for photo in world.photos_a:
        assert f"/en/portal/photos/{photo.pk}/thumbnail/" in text


def test_it_shows_no_photo_and_says_why_without_the_clinics_photo_consent(
    patient_client, portal_world, treated
):
    world = treated()
    text = page_of(patient_client, portal_world.at_b).content.decode()
    assert f"/portal/photos/{world.photo_b.pk}/" not in text
    assert 'class="no-photos"' in text and "did not agree to treatment photos" in text


def test_it_audits_every_read_of_the_page(patient_client, portal_world, treated):
    treated()
    page_of(patient_client, portal_world.at_a)
    user = portal_world.user
    assert portal_rows(user, action="view", object_type="patients.patient").get().object_id == (
        str(portal_world.at_a.pk)
    )
    listed = set(portal_rows(user, action="list").values_list("object_type", flat=True))
    assert {
        "care.course",
        "care.treatmentsession",
        "care.consent",
        "aftercare.outcomescore",
        "aftercare.coursephoto",
        "aftercare.checkin",
    } <= listed
    assert not portal_rows(user).exclude(clinic_id=portal_world.at_a.registered_clinic_id).exists()


# --- what Sana does not see -------------------------------------------------------------------


@pytest.mark.parametrize("whose", ["stranger", "sister"])
def test_it_answers_404_for_someone_elses_record_and_audits_it(patient_client, portal_world, whose):
    record = getattr(portal_world, whose)
    assert page_of(patient_client, record).status_code == 404
    assert str(record.pk) not in "".join(
        portal_rows(portal_world.user, action="view").values_list("object_id", flat=True)
    )


def test_it_answers_404_for_a_missing_record(patient_client):
    assert patient_client.get("/en/portal/records/999999/").status_code == 404


def test_it_sends_staff_and_strangers_away_from_the_page(client, receptionist, portal_world):
    url = f"/en/portal/records/{portal_world.at_a.pk}/"
    assert client.get(url)["Location"].startswith("/en/portal/sign-in/")
    client.force_login(receptionist)
    assert client.get(url)["Location"] == "/"


# --- the consent's PDF ------------------------------------------------------------------------


def test_it_downloads_her_signed_consent_as_an_attachment(
    patient_client, portal_world, treated, fake_pdf
):
    printed = fake_pdf
    world = treated()
    consent_services.store_pdf(world.consent_a)
    stored = world.consent_a.pdf.storage.path(Consent.objects.get(pk=world.consent_a.pk).pdf.name)
    with open(stored, "rb") as raw:
        assert not raw.read().startswith(b"%PDF")  # encrypted at rest
    response = patient_client.get(f"/ur/portal/consents/{world.consent_a.pk}/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == printed
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert portal_rows(
        portal_world.user, action="view", object_type="care.consent", detail__part="pdf"
    ).exists()


def test_it_prints_a_consent_whose_pdf_is_not_stored_yet(
    patient_client, portal_world, treated, fake_pdf
):
    printed = fake_pdf
    world = treated()
    response = patient_client.get(f"/en/portal/consents/{world.consent_a.pk}/pdf/")
    assert b"".join(response.streaming_content) == printed
    assert Consent.objects.get(pk=world.consent_a.pk).pdf


def test_it_answers_404_for_another_patients_consent_and_audits_it_as_denied(
    patient_client, portal_world, make_ready, fake_pdf
):
    make_ready(portal_world.sister)
    theirs = Consent.objects.get(patient=portal_world.sister)
    response = patient_client.get(f"/en/portal/consents/{theirs.pk}/pdf/")
    assert response.status_code == 404
    assert portal_rows(
        portal_world.user, action="denied", object_type="care.consent", object_id=str(theirs.pk)
    ).exists()


# --- photos -----------------------------------------------------------------------------------


def test_it_serves_her_own_photo_and_its_thumbnail(patient_client, portal_world, treated):
    world = treated()
    photo = world.photos_a[0]
    for suffix, field in (("", "file"), ("thumbnail/", "thumbnail")):
        response = patient_client.get(f"/en/portal/photos/{photo.pk}/{suffix}")
        assert response.status_code == 200
        with getattr(photo, field).open("rb") as handle:
            assert b"".join(response.streaming_content) == handle.read()
        assert response["Content-Type"] == photo.content_type
        assert "no-store" in response["Cache-Control"]
    assert portal_rows(portal_world.user, action="view", object_type="aftercare.coursephoto")


def test_it_never_serves_a_photo_that_clinics_consent_closed(patient_client, portal_world, treated):
    world = treated()
    response = patient_client.get(f"/en/portal/photos/{world.photo_b.pk}/")
    assert response.status_code == 404
    assert portal_rows(portal_world.user, action="denied", object_id=str(world.photo_b.pk)).exists()


def test_it_never_serves_another_patients_photo(
    patient_client, portal_world, make_ready, dermatologist, lot_a
):
    from mesoclinic.aftercare.services import photos as photo_services
    from mesoclinic.aftercare.tests.photo_fixtures import png_bytes, upload
    from mesoclinic.audit.services import Interface

    course = make_ready(portal_world.stranger, photos=True)
    photo = photo_services.upload_photo(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        course=course,
        view="face_front",
        upload=upload(png_bytes(), "x.png", "image/png"),
    )
    assert CoursePhoto.objects.filter(pk=photo.pk).exists()
    assert patient_client.get(f"/en/portal/photos/{photo.pk}/").status_code == 404
    assert patient_client.get(f"/en/portal/photos/{photo.pk}/thumbnail/").status_code == 404


# --- language, weight, queries ----------------------------------------------------------------


def test_it_reads_in_urdu_right_to_left(patient_client, portal_world, treated):
    treated()
    page = page_of(patient_client, portal_world.at_a, "ur")
    text = page.content.decode()
    assert '<html lang="ur" dir="rtl">' in text
    assert "میرا" in text  # the page's own headings are in Urdu


def test_it_weighs_under_100_kb(patient_client, portal_world, treated):
    treated(sessions=6, views=3)
    for language in ("en", "ur"):
        assert len(page_of(patient_client, portal_world.at_a, language).content) < 100_000


@pytest.mark.parametrize("sessions,views", [(1, 1), (6, 3)])
def test_it_reads_the_page_in_a_fixed_number_of_queries(
    django_assert_num_queries, patient_client, portal_world, treated, sessions, views
):
    """1 session, 2 scores, 2 photos or 6 sessions, 7 scores, 6 photos: the same 19 queries.
    The session and the user; the user's roles; the record; the courses; their sessions; the
    consents; the booked visits; the scores; the photos; the last session's check-ins; 8 audit
    rows (the record viewed, seven kinds listed)."""
    treated(sessions=sessions, views=views)
    with django_assert_num_queries(19):
        assert page_of(patient_client, portal_world.at_a).status_code == 200


def test_it_shows_the_booked_sessions_and_visits_of_her_course(
    patient_client, portal_world, make_ready, big_lot_a, dermatologist, receptionist
):
    from mesoclinic.appointments.tests.fixtures import at, day_ahead, open_every_day
    from mesoclinic.audit.services import Interface
    from mesoclinic.care.services import booking

    open_every_day(portal_world.at_a.registered_clinic, [dermatologist])
    course = make_ready(portal_world.at_a, big_lot_a)
    series = booking.book_course(
        acting_user=receptionist, course=course, first_start=at(day_ahead(7), 11), via=Interface.WEB
    )
    booked = list(series.appointments.order_by("starts_at"))
    text = page_of(patient_client, portal_world.at_a).content.decode()
    # Six sessions and the maintenance visit, each with its booked time.
    assert text.count("Booked: ") == len(booked) == 7
    assert 'class="maintenance-booked"' in text
