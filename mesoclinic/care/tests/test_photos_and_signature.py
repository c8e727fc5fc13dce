"""Baseline photos live outside the database and are served only through an access-checked,
audited view; signatures are strokes checked by a pure parser."""

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from mesoclinic.accounts.roles import Role
from mesoclinic.audit.models import AuditEvent
from mesoclinic.care import signature
from mesoclinic.care.models import BaselinePhoto


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (190, 150, 120)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


def _upload(client, consultation, content=PNG, name="front.png"):
    return client.post(
        reverse("care:photo_upload", args=[consultation.pk]),
        {"photo": SimpleUploadedFile(name, content), "label": "front"},
    )


@pytest.mark.django_db
def test_a_photo_is_stored_privately_and_served_only_through_the_view(
    client, practitioner_user, patient_a, consult
):
    consultation = consult(practitioner_user, patient_a)
    client.force_login(practitioner_user)
    assert _upload(client, consultation).status_code == 302
    photo = BaselinePhoto.objects.get()
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / photo.file.name
    assert b"JFIF" not in stored.read_bytes()  # encrypted at rest (core/encrypted_storage.py)
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    # Re-encoded as a JPEG (no transparency to keep), under a name that says nothing of her.
    assert re.fullmatch(r"photos/[0-9a-f]{32}\.jpg", photo.file.name)
    response = client.get(reverse("care:photo", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    served = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(served) == photo.size
    with Image.open(io.BytesIO(served)) as image:
        assert (image.format, image.size) == ("JPEG", (40, 30))
    assert AuditEvent.objects.filter(
        action="view", object_type="care.baselinephoto", object_id=str(photo.pk)
    ).exists()


@pytest.mark.django_db
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_kept(
    client, practitioner_user, patient_a, consult
):
    consultation = consult(practitioner_user, patient_a)
    client.force_login(practitioner_user)
    response = _upload(client, consultation, content=b"<html>not a photo</html>", name="x.png")
    assert response.status_code == 400
    assert "Send a photo (JPEG, PNG or WebP)." in response.text
    assert not BaselinePhoto.objects.exists()


@pytest.mark.django_db
def test_photos_are_not_found_from_another_clinic_and_forbidden_to_receptionists(
    client, practitioner_user, receptionist, make_user, clinic_b, patient_a, consult
):
    consultation = consult(practitioner_user, patient_a)
    client.force_login(practitioner_user)
    _upload(client, consultation)
    photo = BaselinePhoto.objects.get()
    url = reverse("care:photo", args=[photo.pk])
    client.force_login(make_user("prac_b", Role.PRACTITIONER, [clinic_b]))
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_id=str(photo.pk)).exists()
    client.force_login(receptionist)
    assert client.get(url).status_code == 403


# --- signatures (pure) ---------------------------------------------------------------------

points = st.tuples(
    st.floats(0, signature.WIDTH, allow_nan=False), st.floats(0, signature.HEIGHT, allow_nan=False)
)
strokes = st.lists(st.lists(points.map(list), min_size=1, max_size=40), min_size=1, max_size=8)


@given(strokes)
def test_a_signature_is_accepted_exactly_when_it_has_enough_ink_and_extent(raw):
    rounded = [[[round(x, 1), round(y, 1)] for x, y in stroke] for stroke in raw]
    parsed_shape = tuple(tuple((x, y) for x, y in stroke) for stroke in rounded)
    enough = (
        sum(len(stroke) for stroke in parsed_shape) >= signature.MIN_POINTS
        and signature.ink(parsed_shape) >= signature.MIN_INK
        and signature.extent(parsed_shape) >= signature.MIN_EXTENT
    )
    try:
        parsed = signature.parse(json.dumps(raw))
    except signature.InvalidSignature as refused:
        assert not enough and refused.code == "too_small"
    else:
        assert enough
        # Every point is drawn: one M per stroke, one L per further point.
        path = signature.svg_path(parsed)
        assert path.count("M") == len(parsed)
        assert path.count("L") == sum(len(stroke) - 1 for stroke in parsed)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("[]", "empty"),
        ("[[]]", "empty"),
        ("{}", "unreadable"),
        ('[[["a", 1]]]', "unreadable"),
        ("[[[true, 1]]]", "unreadable"),
        ("[[[1, 2, 3]]]", "unreadable"),
        ("[[[-1, 5]]]", "unreadable"),
        ("[[[NaN, 5]]]", "unreadable"),
        (json.dumps([[[1, 1]] * (signature.MAX_POINTS + 1)]), "too_long"),
    ],
)
def test_what_is_not_a_signature_is_refused_with_its_reason(raw, code):
    with pytest.raises(signature.InvalidSignature) as refused:
        signature.parse(raw)
    assert refused.value.code == code


@pytest.mark.django_db
def test_a_photo_whose_file_is_gone_is_not_found(client, practitioner_user, patient_a, consult):
    consultation = consult(practitioner_user, patient_a)
    client.force_login(practitioner_user)
    _upload(client, consultation)
    photo = BaselinePhoto.objects.get()
    photo.file.storage.delete(photo.file.name)
    assert client.get(reverse("care:photo", args=[photo.pk])).status_code == 404
