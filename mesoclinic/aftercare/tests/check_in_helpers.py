"""Shared steps of the check-in form tests: the link as the patient's message carries it, and
the form's answers as a phone posts them."""

import io
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import translation

from mesoclinic.aftercare import links
from mesoclinic.aftercare.models import CheckIn
from mesoclinic.notifications.models import Message


def check_in(session, hours: int) -> CheckIn:
    return CheckIn.objects.get(session=session, hours_after=hours)


def message_link(session, hours: int) -> str:
    """The path of the link in the check-in's outbox message (what the patient taps)."""
    found = check_in(session, hours)
    message = Message.objects.get(idempotency_key=f"checkin-{found.pk}")
    return urlsplit(message.values["link"]).path


def form_url(check_in_id: int, language: str = "en") -> str:
    with translation.override(language):
        return reverse("aftercare_public:check_in", kwargs={"token": links.token_for(check_in_id)})


def report_url(check_in_id: int, language: str = "en") -> str:
    with translation.override(language):
        return reverse("aftercare_public:report", kwargs={"token": links.token_for(check_in_id)})


def answers(**overrides) -> dict:
    """A "some problems: swelling" answer, today, mild, still there."""
    data = {
        "skin": "some_problems",
        "effects": ["swelling"],
        "site": "left cheek",
        "since": "today",
        "how_bad": "1",
        "still": "yes",
        "note": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def jpeg_with_gps(name: str = "cheek.jpg"):
    """A small JPEG whose EXIF names the camera and a GPS position (Islamabad)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model 7"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (33.0, 41.0, 24.0)
    gps[3], gps[4] = "E", (73.0, 2.0, 51.0)
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 110)).save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
