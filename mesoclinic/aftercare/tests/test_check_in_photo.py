"""The check-in's optional photo: stored re-encoded, with nothing of the camera's EXIF (its GPS
position least of all); a file that is not an image or is too large refuses the whole answer,
with nothing stored and the form shown again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from PIL import Image

from mesoclinic.aftercare.models import CheckIn, SideEffect
from mesoclinic.aftercare.tests.check_in_helpers import answers, check_in, form_url, jpeg_with_gps

pytestmark = pytest.mark.django_db


def test_the_photo_is_stored_without_its_exif_or_gps_position(client, charted):
    found = check_in(charted, 24)
    upload = jpeg_with_gps()
    with Image.open(upload) as original:  # the test's own photo does carry a position
        assert original.getexif().get_ifd(0x8825)[1] == "N"
    upload.seek(0)

    response = client.post(form_url(found.pk), {**answers(), "photo": upload})

    assert response.status_code == 200
    stored = CheckIn.objects.get(pk=found.pk).photo
    assert stored.name.startswith("checkins/") and "cheek" not in stored.name
    with stored.open("rb") as handle, Image.open(handle) as image:
        assert image.size == (64, 48)
        assert not image.getexif()
        assert not image.getexif().get_ifd(0x8825)
        assert "exif" not in image.info
    with stored.open("rb") as handle:
        raw = handle.read()
    assert b"PhoneMaker" not in raw and b"Exif" not in raw


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("cheek.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg"),
        SimpleUploadedFile("cheek.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
    ],
    ids=["pdf-named-jpg", "gif"],
)
def test_a_file_that_is_not_a_photo_is_refused_with_nothing_stored(client, charted, upload):
    found = check_in(charted, 24)

    response = client.post(form_url(found.pk), {**answers(), "photo": upload})

    assert response.status_code == 400
    assert "Send a photo (JPEG, PNG or WebP)." in response.text
    assert 'href="#id_photo"' in response.text
    assert not SideEffect.objects.exists()
    found.refresh_from_db()
    assert (found.status, found.photo.name) == ("due", "")


@override_settings(PHOTO_MAX_BYTES=1024 * 1024)
def test_a_photo_over_the_size_limit_is_refused_with_nothing_stored(client, charted):
    found = check_in(charted, 24)
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (1024 * 1024 + 1), "image/jpeg")

    response = client.post(form_url(found.pk), {**answers(), "photo": big})

    assert response.status_code == 400
    assert "The photo is larger than 1 MB" in response.text
    assert "choose it again" not in response.text  # the photo's own error says what to do
    assert not SideEffect.objects.exists()
    assert CheckIn.objects.get(pk=found.pk).status == "due"


def test_a_refused_answer_asks_for_the_photo_again(client, charted):
    response = client.post(
        form_url(check_in(charted, 24).pk), {**answers(how_bad=None), "photo": jpeg_with_gps()}
    )
    assert response.status_code == 400
    assert "If you chose a photo, choose it again before you send." in response.text
    assert not CheckIn.objects.filter(photo__gt="").exists()


def test_a_phone_jpeg_with_a_second_picture_is_kept_as_one_clean_jpeg():
    """Pillow reads a JPEG with a multi-picture segment (HDR gain maps) as MPO: still a photo."""
    import io as _io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from mesoclinic.core import images

    first, second = Image.new("RGB", (64, 48), (200, 150, 120)), Image.new("L", (32, 24), 90)
    exif = Image.Exif()
    exif[0x010F] = "PhoneCam"
    data = _io.BytesIO()
    first.save(data, "MPO", save_all=True, append_images=[second.convert("RGB")], exif=exif)
    assert Image.open(_io.BytesIO(data.getvalue())).format == "MPO"
    cleaned = images.clean(SimpleUploadedFile("phone.jpg", data.getvalue()))
    stored = Image.open(_io.BytesIO(cleaned.data))
    assert (stored.format, stored.size) == ("JPEG", (64, 48))
    assert not stored.getexif() and getattr(stored, "n_frames", 1) == 1
