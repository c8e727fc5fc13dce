"""Set-up the photo, progress and summary tests share: a course whose consent says yes to
treatment photos, sessions charted on earlier days, mMASI scores, and photo files (one with a
GPS position in its EXIF)."""

import io
import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from PIL import Image

from mesoclinic.aftercare.models import CoursePhoto, OutcomeScore
from mesoclinic.aftercare.services.scores import record_score
from mesoclinic.audit.services import Interface
from mesoclinic.care import scores as care_scores
from mesoclinic.care.models import TreatmentSession
from mesoclinic.care.tests.conftest import chart_session

#: mMASI grades at the baseline and falling over four sessions (right and left malar
#: darkening fading): 6.0, 4.8, 3.6, 2.4, 1.8.
FALLING = [
    {"forehead": (2, 2), "right_malar": (4, 2), "left_malar": (4, 2), "chin": (0, 0)},
    {"forehead": (2, 2), "right_malar": (3, 2), "left_malar": (3, 2), "chin": (0, 0)},
    {"forehead": (2, 2), "right_malar": (2, 2), "left_malar": (2, 2), "chin": (0, 0)},
    {"forehead": (1, 2), "right_malar": (2, 2), "left_malar": (1, 2), "chin": (0, 0)},
    {"forehead": (1, 2), "right_malar": (1, 2), "left_malar": (1, 2), "chin": (0, 0)},
]


def mmasi_inputs(grades) -> dict:
    return {r: {"area": a, "darkness": d} for r, (a, d) in grades.items()}


def score(user, course, session, grades, *, scale="mmasi") -> OutcomeScore:
    """An mMASI (or MASI, with homogeneity 0) score through the scores service."""
    inputs = mmasi_inputs(grades)
    if scale == "masi":
        inputs = {r: {**g, "homogeneity": 0} for r, g in inputs.items()}
    return record_score(
        acting_user=user,
        via=Interface.WEB,
        course=course,
        session=session,
        scale=scale,
        inputs=inputs,
    )


def jpeg_with_gps(width=900, height=700) -> bytes:
    """A JPEG whose EXIF names a camera and a GPS position (Islamabad)."""
    image = Image.new("RGB", (width, height), (196, 150, 120))
    exif = Image.Exif()
    exif[0x010F] = "LeakyCam"  # Make
    exif[0x0110] = "Model 7"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (33.0, 41.0, 24.0)
    gps[3], gps[4] = "E", (73.0, 2.0, 51.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def png_bytes(color=(180, 140, 110), size=(400, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files() -> list[str]:
    """Every file in the private storage, as paths under it."""
    root = CoursePhoto.file.field.storage.location
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _, names in os.walk(root)
        for name in names
    )


def chart_sessions(user, course, lot, count: int, *, days_apart: int = 15) -> list:
    """Chart `count` sessions of the course, each as if given `days_apart` days after the one
    before (the sessions already charted are moved back before each new one; setting up the
    past, since the gate refuses a second session the same day)."""
    charted = []
    for _ in range(count):
        shift = timedelta(days=days_apart)
        TreatmentSession.objects.filter(course=course).update(
            started_at=F("started_at") - shift, ended_at=F("ended_at") - shift
        )
        charted.append(chart_session(user, course, lot))
    return list(TreatmentSession.objects.filter(course=course).order_by("number"))


@pytest.fixture
def photo_ready(make_ready):
    """photo_ready(patient, photos=True, baseline=None): screened for melasma (with the mMASI
    grades `baseline` as the consultation's baseline when given), patch-tested negative, a
    six-session course, and a consent on it whose separate photo question is answered
    `photos`."""

    def make(patient, *, photos=True, baseline=None):
        extra = {}
        if baseline is not None:
            extra = {
                "baseline_scale": "mmasi",
                "baseline_grades": {
                    r: care_scores.RegionGrades(area=a, darkness=d)
                    for r, (a, d) in baseline.items()
                },
            }
        return make_ready(patient, photos=photos, consent_language="ur", **extra)

    return make


@pytest.fixture
def private_files(tmp_path, monkeypatch):
    """The private storage moved to a folder of the test's own, empty at the start (so
    "nothing stored" can be seen). The photo fields hold the storage object itself, so it is
    that object's location that moves."""
    storage = CoursePhoto.file.field.storage
    monkeypatch.setattr(storage, "_location", str(tmp_path))
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)
    yield tmp_path
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)
