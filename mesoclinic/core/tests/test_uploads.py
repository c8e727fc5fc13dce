"""The size caps hold while the body streams in: a body whose length passes the request cap is
answered 413 without a byte of it read, and a file past the per-file cap stops being kept at
the cap (nothing in memory or on disk past it), so a 40 MB upload never fills either."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mesoclinic.core.uploads import CappedUploadHandler

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
CHUNK = 64 * 1024  # Django's upload chunk size


def forty_mb():
    return SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"\x00" * (40 * MB), "image/jpeg")


def test_it_answers_413_to_a_40_mb_body_without_reading_it(client):
    response = client.post(reverse("login"), {"username": "x", "photo": forty_mb()})

    assert response.status_code == 413
    assert "The upload is too large: send a file of at most 10 MB." in response.text
    request = response.wsgi_request
    assert not request.environ["wsgi.input"].read_started  # not one byte of the body read
    assert "_files" not in request.__dict__  # the form was never parsed


def test_it_answers_413_in_json_on_the_api(client):
    response = client.post("/api/v1/patients/", {"photo": forty_mb()})
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_past_the_file_cap_the_handler_keeps_nothing_more(client, settings, tmp_path):
    """With the request cap out of the way, the per-file cap still holds while reading: the
    handlers that keep data (memory, then a temporary file) are handed at most 10 MB, and
    their temporary file is deleted; the form then sees an empty, refused file."""
    # Through the `settings` fixture alone: mixed with override_settings, its undoing
    # in the wrong order would leave the request cap raised for the tests after this one.
    settings.UPLOAD_REQUEST_MAX_BYTES = 64 * MB
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)

    response = client.post(reverse("login"), {"username": "x", "photo": forty_mb()})

    assert response.status_code == 200  # the login form, shown again
    handler = response.wsgi_request.upload_handlers[0]
    assert isinstance(handler, CappedUploadHandler)
    assert handler.refused
    assert handler.chunks_passed <= 10 * MB // CHUNK  # 160 of the body's 640 chunks
    assert handler.received <= 10 * MB + CHUNK
    refused = response.wsgi_request.FILES["photo"]
    assert getattr(refused, "refused", False) and refused.size > 10 * MB
    assert list(tmp_path.iterdir()) == []  # the temporary copy is gone


def test_a_file_within_the_cap_passes_through_untouched(client):
    data = b"\xff\xd8" + b"\x01" * (3 * MB)
    response = client.post(
        reverse("login"), {"username": "x", "photo": SimpleUploadedFile("a.jpg", data)}
    )
    handler = response.wsgi_request.upload_handlers[0]
    assert not handler.refused
    assert handler.chunks_passed == -(-len(data) // CHUNK)  # every chunk handed on
    assert response.wsgi_request.FILES["photo"].size == len(data)
