"""The issue's findings on care's baseline photos, reproduced and refused: a PNG signature
followed by HTML is not a photo, a camera's EXIF and GPS position do not survive, and a 40 MB
upload is refused while it is read, with nothing stored."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from django.urls import reverse
from PIL import Image

from mesoclinic.care.models import BaselinePhoto

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "LeakyCam"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (24.0, 51.0, 36.0)  # Karachi
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (190, 150, 120)).save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def consultation(client, practitioner_user, patient_a, consult):
    client.force_login(practitioner_user)
    return consult(practitioner_user, patient_a)


def post(client, consultation, data, name="front.jpg"):
    return client.post(
        reverse("care:photo_upload", args=[consultation.pk]),
        {"photo": SimpleUploadedFile(name, data, "image/jpeg"), "label": "front"},
    )


def test_it_refuses_a_png_signature_followed_by_html(client, consultation):
    hostile = b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>"
    response = post(client, consultation, hostile, "front.png")
    assert response.status_code == 400
    assert "Send a photo (JPEG, PNG or WebP)." in response.text
    assert not BaselinePhoto.objects.exists()


def test_it_stores_the_photo_without_its_exif_or_gps_position(client, consultation):
    assert post(client, consultation, jpeg_with_gps()).status_code == 302
    photo = BaselinePhoto.objects.get()
    with photo.file.open("rb") as handle:
        stored = handle.read()
    assert b"LeakyCam" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (80, 60) and not image.getexif()
    assert photo.size == len(stored)
    on_disk = (Path(settings.PRIVATE_MEDIA_ROOT) / photo.file.name).read_bytes()
    assert on_disk.startswith(b"gAAAAA") and b"\xff\xd8" not in on_disk[:4]


def test_it_answers_413_to_a_40_mb_upload_before_reading_it(client, consultation):
    response = post(client, consultation, b"\xff\xd8" + b"\x00" * (40 * MB))
    assert response.status_code == 413
    assert not response.wsgi_request.environ["wsgi.input"].read_started
    assert not BaselinePhoto.objects.exists()


@override_settings(UPLOAD_REQUEST_MAX_BYTES=64 * MB)
def test_past_the_photo_cap_the_form_says_so_and_nothing_is_kept(client, consultation):
    response = post(client, consultation, b"\xff\xd8" + b"\x00" * (40 * MB))
    assert response.status_code == 400
    assert "The photo is larger than 10 MB: send a smaller one." in response.text
    handler = response.wsgi_request.upload_handlers[0]
    assert handler.received <= 10 * MB + 64 * 1024  # stopped keeping at the cap
    assert not BaselinePhoto.objects.exists()


def test_a_photo_stored_before_encryption_is_still_served_whole(client, consultation):
    assert post(client, consultation, jpeg_with_gps()).status_code == 302
    photo = BaselinePhoto.objects.get()
    with photo.file.open("rb") as handle:
        plain = handle.read()
    # As it lay on disk before this release: the JPEG itself.
    (Path(settings.PRIVATE_MEDIA_ROOT) / photo.file.name).write_bytes(plain)

    response = client.get(reverse("care:photo", args=[photo.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert int(response["Content-Length"]) == len(plain)
    assert b"".join(response.streaming_content) == plain
