"""A melasma course followed in a real Chromium: the dermatologist uploads the baseline photo
through the form, four sessions are charted with mMASI falling from 6 to 1.8, the session-4
photo is uploaded through the form; the comparison shows both photos side by side with the
scores; the progress chart shows the fall (in English and in Urdu, right to left); the Urdu
course summary PDF is downloaded and read back with the lot number and Urdu words in it.
axe-core finds nothing serious on the form, the comparison and the progress page.

A transactional test flushes data-migration rows, so the rules, ingredients, consent and
aftercare texts are loaded again with the migrations' own loaders.
"""

import io
import re
import shutil
import subprocess
from collections import Counter

import pytest
from django.utils import translation
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from mesoclinic.aftercare.models import CoursePhoto
from mesoclinic.aftercare.tests.photo_fixtures import (  # noqa: F401 (fixtures)
    FALLING,
    chart_sessions,
    photo_ready,
    private_files,
    score,
)
from mesoclinic.care.tests.browser import log_in
from mesoclinic.conftest import ARTIFACTS
from mesoclinic.patients.tests.test_accessibility import blocking_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shipped_care_data", "private_files"),
]


def _face(darkness: int) -> bytes:
    """A drawn face with two cheek patches, darker when `darkness` is higher: a picture a
    person can tell apart in the screenshots."""
    image = Image.new("RGB", (600, 800), (236, 232, 226))
    draw = ImageDraw.Draw(image)
    draw.ellipse((120, 120, 480, 640), fill=(214, 170, 135))
    patch = (214 - 18 * darkness, 170 - 20 * darkness, 135 - 20 * darkness)
    draw.ellipse((160, 360, 260, 450), fill=patch)
    draw.ellipse((340, 360, 440, 450), fill=patch)
    draw.ellipse((220, 280, 260, 300), fill=(60, 40, 30))
    draw.ellipse((340, 280, 380, 300), fill=(60, 40, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _upload_through_the_form(page, base, course, moment_label, darkness):
    page.goto(f"{base}/aftercare/courses/{course.pk}/photos/")
    page.get_by_label("View").select_option(label="Face, front")
    page.get_by_label("Taken at").select_option(label=moment_label)
    page.get_by_label("Photo").set_input_files(
        {"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": _face(darkness)}
    )
    page.get_by_role("button", name="Add photo").click()
    expect(page.get_by_text("Photo added.")).to_be_visible()
    # Checked without the flash message: base.html's <ul role="status"> orphans its <li>
    # (axe "listitem"), a site-wide matter reported apart.
    page.reload()
    assert blocking_violations(page) == []


@pytest.fixture
def course(photo_ready, patient_a):  # noqa: F811
    """Patient A's melasma course: mMASI 6 at the consultation, treatment photos agreed."""
    return photo_ready(patient_a, baseline=FALLING[0])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_a_melasma_course_shows_its_photos_side_by_side_its_falling_score_and_its_summary(
    page, live_server, screenshot, js_errors, dermatologist, course, lot_a
):
    doctor = dermatologist.user
    base = live_server.url
    log_in(page, base, doctor)

    _upload_through_the_form(page, base, course, "Baseline, before the first session", 4)
    screenshot("baseline-uploaded")

    sessions = chart_sessions(doctor, course, lot_a, 4)
    for session, grades in zip(sessions, FALLING[1:], strict=True):
        score(doctor, course, session, grades)
    _upload_through_the_form(page, base, course, "Session 4", 1)
    expect(page.locator("#course-photos figure")).to_have_count(2)
    screenshot("session-4-uploaded")
    assert list(CoursePhoto.objects.values_list("session__number", flat=True)) == [None, 4]

    page.goto(f"{base}/aftercare/courses/{course.pk}/compare/")
    front = page.locator("#view-face_front")
    baseline, latest = front.locator("figure.baseline"), front.locator("figure.latest")
    for figure in (baseline, latest):
        image = figure.locator("img")
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth") == 600
    expect(baseline.locator("[data-score]")).to_have_text("6.00")
    expect(latest.locator("[data-score]")).to_have_text("1.80")
    expect(latest.locator("figcaption")).to_contain_text("Session 4")
    side_by_side = baseline.bounding_box()["y"] == latest.bounding_box()["y"]
    assert side_by_side and baseline.bounding_box()["x"] < latest.bounding_box()["x"]
    screenshot("compare")
    assert blocking_violations(page) == []

    page.goto(f"{base}/aftercare/courses/{course.pk}/")
    chart = page.locator("#scores svg")
    expect(chart).to_be_visible()
    expect(chart.locator("desc")).to_have_text(
        "Baseline: 6; Session 1: 4.8; Session 2: 3.6; Session 3: 2.4; Session 4: 1.8"
    )
    heights = [float(c.get_attribute("cy")) for c in chart.locator("circle").all()]
    assert heights == sorted(heights)  # each point lower on the page than the one before
    expect(page.locator("#scores figcaption")).to_contain_text("change since baseline -4.2")
    screenshot("progress")
    assert blocking_violations(page) == []

    page.context.add_cookies([{"name": "django_language", "value": "ur", "url": base}])
    page.goto(f"{base}/aftercare/courses/{course.pk}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    xs = [float(c.get_attribute("cx")) for c in page.locator("#scores circle").all()]
    assert xs == sorted(xs, reverse=True)  # time runs right to left for an Urdu reader
    screenshot("progress-urdu")
    assert blocking_violations(page) == []
    page.goto(f"{base}/aftercare/courses/{course.pk}/compare/")
    screenshot("compare-urdu")

    summary = page.request.get(f"{base}/aftercare/courses/{course.pk}/summary.pdf?language=ur")
    assert summary.status == 200 and summary.headers["content-type"] == "application/pdf"
    folder = ARTIFACTS / "pdf" / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "course-summary-ur.pdf"
    path.write_bytes(summary.body())
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "TXA-A1" in text
    with translation.override("ur"):
        title = translation.pgettext("course progress", "Your course summary")
        watch = translation.pgettext("course progress", "Pus or discharge from the skin")
    flat = re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    assert re.sub(r"\s", "", title) in flat
    wanted = Counter(c for c in watch if "\u0600" <= c <= "\u06ff")
    assert not wanted - Counter(c for c in text if "\u0600" <= c <= "\u06ff")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(path), str(folder / "course-summary-ur")],
        check=True,
    )
    assert js_errors == []
