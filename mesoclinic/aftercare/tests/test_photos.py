"""Course photos: kept only with the patient's photo consent on the course, in the views of its
indication, re-encoded so no EXIF or GPS survives, stored privately and served only to the
patient's clinic; the marketing consent stands apart from all of it."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from PIL import Image

from mesoclinic.aftercare.models import CoursePhoto, MarketingConsent
from mesoclinic.aftercare.services import photos
from mesoclinic.aftercare.tests.photo_fixtures import (  # noqa: F401 (fixtures)
    FALLING,
    chart_sessions,
    jpeg_with_gps,
    photo_ready,
    png_bytes,
    private_files,
    score,
    stored_files,
    upload,
)
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


@pytest.fixture
def course(photo_ready, patient_a):  # noqa: F811
    return photo_ready(patient_a)


@pytest.fixture
def new_course(photo_ready, make_patient, clinic_a):  # noqa: F811
    """new_course(photos=True): another patient of clinic A, ready, with a course."""
    return lambda **kwargs: photo_ready(make_patient(clinic_a), **kwargs)


def _upload(user, course, data=None, *, view="face_front", session=None, **kwargs):
    return photos.upload_photo(
        acting_user=user,
        via=Interface.WEB,
        course=course,
        session=session,
        view=view,
        upload=upload(data if data is not None else jpeg_with_gps(), **kwargs),
    )


def test_it_strips_exif_and_gps_from_the_stored_file(dermatologist, course):
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as sent:
        assert sent.getexif().get_ifd(0x8825)  # the GPS position is in what was sent
    photo = _upload(dermatologist.user, course, original)
    with photo.file.open("rb") as handle:
        stored = handle.read()
    with Image.open(io.BytesIO(stored)) as kept:
        assert not kept.getexif()
        assert not kept.getexif().get_ifd(0x8825)
        assert "exif" not in kept.info
    assert b"LeakyCam" not in stored and b"Exif" not in stored
    assert (photo.width, photo.height) == (900, 700)
    assert photo.content_type == "image/jpeg" and photo.size == len(stored)
    assert len(photo.sha256) == 64


def test_it_keeps_a_thumbnail_beside_the_photo_under_random_names(dermatologist, course):
    photo = photos.upload_photo(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        course=course,
        view="face_left",
        upload=upload(jpeg_with_gps(), name="zainab-qureshi-cheek.jpg"),
    )
    with photo.thumbnail.open("rb") as handle, Image.open(handle) as thumb:
        assert max(thumb.size) <= 320
    for name in (photo.file.name, photo.thumbnail.name):
        assert name.startswith("course-photos/") and "zainab" not in name.lower()
    assert len(stored_files()) == 2
    assert AuditEvent.objects.filter(
        object_type="aftercare.coursephoto", object_id=str(photo.pk), action="create"
    ).exists()


def test_it_reencodes_a_png_with_html_appended_so_nothing_after_the_pixels_is_kept(
    dermatologist, course
):
    hostile = png_bytes() + b"<html><script>alert('x')</script></html>"
    photo = _upload(dermatologist.user, course, hostile, name="photo.png", content_type="image/png")
    with photo.file.open("rb") as handle:
        stored = handle.read()
    assert b"<script" not in stored and b"<html" not in stored
    assert Image.open(io.BytesIO(stored)).format in ("JPEG", "PNG")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.7 not a photo at all", "Send a photo"),
        (b"<html><script>alert(1)</script></html>", "Send a photo"),
    ],
)
def test_it_refuses_a_file_that_is_not_a_photo_and_stores_nothing(
    dermatologist, course, data, words
):
    with pytest.raises(ValidationError) as refused:
        _upload(dermatologist.user, course, data, name="photo.jpg")
    assert words in " ".join(refused.value.message_dict["photo"])
    assert not CoursePhoto.objects.exists()
    assert stored_files() == []


def test_it_refuses_a_photo_over_the_size_limit_and_stores_nothing(dermatologist, course, settings):
    settings.PHOTO_MAX_BYTES = 2 * 1024 * 1024
    big = upload(b"\xff\xd8" + b"0" * (3 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        photos.upload_photo(
            acting_user=dermatologist.user,
            via=Interface.WEB,
            course=course,
            view="face_front",
            upload=big,
        )
    assert "larger than 2 MB" in refused.value.message_dict["photo"][0]
    assert not CoursePhoto.objects.exists() and stored_files() == []


def test_it_leaves_no_file_when_the_row_cannot_be_written(dermatologist, course, monkeypatch):
    def broken(**_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(photos, "record_event", broken)
    with pytest.raises(RuntimeError):
        _upload(dermatologist.user, course)
    assert not CoursePhoto.objects.exists() and stored_files() == []


def test_it_refuses_a_view_outside_the_indication_naming_the_allowed_ones(dermatologist, course):
    with pytest.raises(ValidationError) as refused:
        _upload(dermatologist.user, course, view="scalp_vertex")
    message = refused.value.message_dict["view"][0]
    assert "Face, front" in message and "Face, left side" in message
    assert not CoursePhoto.objects.exists() and stored_files() == []


def test_it_refuses_every_photo_without_photo_consent(dermatologist, new_course):
    refused_photos = new_course(photos=False)
    with pytest.raises(ValidationError) as refused:
        _upload(dermatologist.user, refused_photos)
    assert "not agreed to treatment photos" in refused.value.message_dict["photo"][0]
    assert not CoursePhoto.objects.exists() and stored_files() == []


def test_it_refuses_another_clinics_practitioner_and_a_receptionist(
    dermatologist, course, make_practitioner, clinic_b, receptionist
):
    other = make_practitioner("derm_b", clinic_b)
    for user in (other.user, receptionist):
        with pytest.raises(PermissionDenied):
            _upload(user, course)
    assert not CoursePhoto.objects.exists() and stored_files() == []


def test_it_refuses_a_session_of_another_course(dermatologist, course, new_course, lot_a):
    other = new_course()
    (session,) = chart_sessions(dermatologist.user, other, lot_a, 1)
    with pytest.raises(ValidationError) as refused:
        _upload(dermatologist.user, course, session=session)
    assert "session" in refused.value.message_dict


def test_a_photo_at_the_last_session_is_kept_though_completing_the_course_ended_its_consent(
    dermatologist, course, make_lot, clinic_a, txa
):
    from mesoclinic.care.models import Consent, Course

    sessions = chart_sessions(dermatologist.user, course, make_lot(clinic_a, txa, "TXA-6", "20"), 6)
    course.refresh_from_db()
    assert course.status == Course.Status.COMPLETED
    assert not Consent.objects.get(course=course).is_valid
    photo = _upload(dermatologist.user, course, session=sessions[-1])
    assert photo.session == sessions[-1]


def test_marketing_use_never_follows_from_the_treatment_photo_consent(
    dermatologist, course, patient_a, clinic_a
):
    assert photos.photo_consent_on(course)
    assert not photos.marketing_allowed(patient_a, clinic_a)
    given = photos.record_marketing_consent(
        acting_user=dermatologist.user, via=Interface.WEB, patient=patient_a, clinic=clinic_a
    )
    again = photos.record_marketing_consent(
        acting_user=dermatologist.user, via=Interface.WEB, patient=patient_a, clinic=clinic_a
    )
    assert again == given and photos.marketing_allowed(patient_a, clinic_a)
    withdrawn = photos.withdraw_marketing_consent(
        acting_user=dermatologist.user, via=Interface.WEB, patient=patient_a, clinic=clinic_a
    )
    assert withdrawn.withdrawn_at is not None
    assert not photos.marketing_allowed(patient_a, clinic_a)
    assert MarketingConsent.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="aftercare.marketingconsent").count() == 2


# --- pages ---------------------------------------------------------------------------------


def test_the_form_uploads_a_baseline_photo_and_shows_its_thumbnail(client, dermatologist, course):
    client.force_login(dermatologist.user)
    url = reverse("aftercare:photo_upload", args=[course.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert [v for v, _ in page.context["form"].fields["view"].choices] == [
        "face_front",
        "face_left",
        "face_right",
    ]
    response = client.post(
        url,
        {"view": "face_front", "moment": "baseline", "photo": upload(jpeg_with_gps())},
    )
    assert response.status_code == 302
    photo = CoursePhoto.objects.get()
    assert photo.session is None and photo.view == "face_front"
    shown = client.get(url)
    assert reverse("aftercare:photo_thumbnail", args=[photo.pk]) in shown.content.decode()


def test_the_form_shows_a_refused_file_beside_the_field_and_stores_nothing(
    client, dermatologist, course
):
    client.force_login(dermatologist.user)
    response = client.post(
        reverse("aftercare:photo_upload", args=[course.pk]),
        {"view": "face_front", "moment": "baseline", "photo": upload(b"not an image")},
    )
    assert response.status_code == 400
    assert "Send a photo" in str(response.context["form"].errors["photo"])
    assert not CoursePhoto.objects.exists() and stored_files() == []


def test_the_photo_and_thumbnail_are_served_privately_and_audited(client, dermatologist, course):
    photo = _upload(dermatologist.user, course)
    client.force_login(dermatologist.user)
    for name, part in (("aftercare:photo", "file"), ("aftercare:photo_thumbnail", "thumbnail")):
        response = client.get(reverse(name, args=[photo.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
        assert AuditEvent.objects.filter(
            object_type="aftercare.coursephoto",
            object_id=str(photo.pk),
            action="view",
            detail__part=part,
        ).exists()


@pytest.mark.parametrize(
    "route",
    [
        "aftercare:photo",
        "aftercare:photo_thumbnail",
        "aftercare:compare",
        "aftercare:progress",
        "aftercare:summary_pdf",
        "aftercare:photo_upload",
    ],
)
def test_another_clinics_practitioner_gets_404(
    client, dermatologist, course, make_practitioner, clinic_b, route
):
    photo = _upload(dermatologist.user, course)
    client.force_login(make_practitioner("derm_b", clinic_b).user)
    pk = photo.pk if route.startswith("aftercare:photo") and "upload" not in route else course.pk
    response = client.get(reverse(route, args=[pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="denied").exists()


def test_a_receptionist_may_not_open_a_photo(client, dermatologist, course, receptionist):
    photo = _upload(dermatologist.user, course)
    client.force_login(receptionist)
    assert client.get(reverse("aftercare:photo", args=[photo.pk])).status_code == 403


def test_the_comparison_puts_the_baseline_beside_the_latest_with_the_scores(
    client, dermatologist, course, lot_a
):
    user = dermatologist.user
    score(user, course, None, FALLING[0])
    baseline = _upload(user, course)
    sessions = chart_sessions(user, course, lot_a, 4)
    for session, grades in zip(sessions, FALLING[1:], strict=True):
        score(user, course, session, grades)
    middle = _upload(user, course, session=sessions[1])
    latest = _upload(user, course, session=sessions[3])
    client.force_login(user)
    response = client.get(reverse("aftercare:compare", args=[course.pk]))
    assert response.status_code == 200
    front = response.context["pairs"][0]
    assert (front["baseline"], front["latest"]) == (baseline, latest)
    assert middle not in (front["baseline"], front["latest"])
    assert [str(r.value) for _, r in front["baseline_scores"]] == ["6.00"]
    assert [str(r.value) for _, r in front["latest_scores"]] == ["1.80"]
    html = response.content.decode()
    assert reverse("aftercare:photo", args=[baseline.pk]) in html
    assert reverse("aftercare:photo", args=[latest.pk]) in html
    assert html.count("No photos of this view yet.") == 2  # the left and right views


def test_another_clinics_practitioner_cannot_post_a_photo_to_the_course(
    client, course, make_practitioner, clinic_b
):
    client.force_login(make_practitioner("derm_b", clinic_b).user)
    response = client.post(
        reverse("aftercare:photo_upload", args=[course.pk]),
        {"view": "face_front", "moment": "baseline", "photo": upload(jpeg_with_gps())},
    )
    assert response.status_code == 404
    assert not CoursePhoto.objects.exists() and stored_files() == []


def test_the_form_says_before_anything_is_chosen_that_the_patient_refused_photos(
    client, dermatologist, new_course
):
    refused_photos = new_course(photos=False)
    client.force_login(dermatologist.user)
    response = client.get(reverse("aftercare:photo_upload", args=[refused_photos.pk]))
    assert 'id="no-photo-consent"' in response.content.decode()
    response = client.post(
        reverse("aftercare:photo_upload", args=[refused_photos.pk]),
        {"view": "face_front", "moment": "baseline", "photo": upload(jpeg_with_gps())},
    )
    assert response.status_code == 400
    assert "not agreed to treatment photos" in str(response.context["form"].errors)
    assert not CoursePhoto.objects.exists() and stored_files() == []


def test_a_view_of_another_indication_is_not_offered_and_is_refused_if_forged(
    client, dermatologist, course
):
    client.force_login(dermatologist.user)
    response = client.post(
        reverse("aftercare:photo_upload", args=[course.pk]),
        {"view": "scalp_vertex", "moment": "baseline", "photo": upload(jpeg_with_gps())},
    )
    assert response.status_code == 400
    assert "view" in response.context["form"].errors
    assert not CoursePhoto.objects.exists() and stored_files() == []


def test_the_progress_page_records_and_withdraws_marketing_use_apart(client, dermatologist, course):
    from django.urls import reverse

    from mesoclinic.aftercare.models import MarketingConsent

    client.force_login(dermatologist.user)
    url = reverse("aftercare:marketing_consent", args=[course.pk])
    page = client.get(reverse("aftercare:progress", args=[course.pk])).text
    assert "not agreed. Treatment photos never imply it." in page
    assert client.post(url, {"action": "give"}).status_code == 302
    assert MarketingConsent.objects.filter(withdrawn_at__isnull=True).count() == 1
    page = client.get(reverse("aftercare:progress", args=[course.pk])).text
    assert "The patient withdraws marketing use" in page
    client.post(url, {"action": "withdraw"})
    assert not MarketingConsent.objects.filter(withdrawn_at__isnull=True).exists()
    assert MarketingConsent.objects.count() == 1  # kept, with when it was withdrawn
    assert client.post(url, {"action": "sell"}).status_code == 302  # refused, nothing stored
    assert MarketingConsent.objects.count() == 1


def test_another_clinic_cannot_record_marketing_use(client, course, make_practitioner, clinic_b):
    from django.urls import reverse

    from mesoclinic.aftercare.models import MarketingConsent

    client.force_login(make_practitioner("derm_b", clinic_b).user)
    response = client.post(
        reverse("aftercare:marketing_consent", args=[course.pk]), {"action": "give"}
    )
    assert response.status_code == 404 and not MarketingConsent.objects.exists()
