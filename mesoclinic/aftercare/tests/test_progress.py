"""A course's progress page (sessions done and to come, the score over time drawn by the
server, adverse events, maintenance) and the course summary PDF for the patient, in Urdu and
English, whose text layer gives the Urdu and the lot numbers back."""

import os
import re
import shutil
import subprocess
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from mesoclinic.aftercare.services import photos
from mesoclinic.aftercare.tests.photo_fixtures import (  # noqa: F401 (fixtures)
    FALLING,
    chart_sessions,
    jpeg_with_gps,
    photo_ready,
    private_files,
    score,
    upload,
)
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.care.models import AdverseEvent
from mesoclinic.care.services.adverse_events import open_adverse_event
from mesoclinic.conftest import ARTIFACTS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

_BIDI_AND_SPACE = re.compile(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]")
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None and not os.environ.get("CI"), reason="needs poppler-utils"
)


@pytest.fixture
def course(photo_ready, patient_a):  # noqa: F811
    """Patient A's melasma course, its consultation's mMASI baseline 6.0, photos agreed."""
    return photo_ready(patient_a, baseline=FALLING[0])


@pytest.fixture
def fresh_course(photo_ready, make_patient, clinic_a):  # noqa: F811
    """Another patient's course, planned and consented, no session yet, no baseline score."""
    return photo_ready(make_patient(clinic_a))


def _photo(user, course, session=None, view="face_front"):
    return photos.upload_photo(
        acting_user=user,
        via=Interface.WEB,
        course=course,
        session=session,
        view=view,
        upload=upload(jpeg_with_gps()),
    )


def _four_sessions_scored(user, course, lot):
    sessions = chart_sessions(user, course, lot, 4)
    for session, grades in zip(sessions, FALLING[1:], strict=True):
        score(user, course, session, grades)
    return sessions


def _progress(client, course):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("aftercare:progress", args=[course.pk]))
    assert response.status_code == 200
    return response, len(queries)


def test_the_progress_page_charts_the_fall_from_the_consultations_baseline(
    client, dermatologist, course, lot_a
):
    _four_sessions_scored(dermatologist.user, course, lot_a)
    client.force_login(dermatologist.user)
    response, _ = _progress(client, course)
    html = response.content.decode()
    (chart,) = response.context["charts"]
    assert [str(r.value) for r in chart["series"].readings] == [
        "6.00",
        "4.80",
        "3.60",
        "2.40",
        "1.80",
    ]
    assert chart["series"].readings[0].source == "consultation"
    assert "<svg" in html and "Baseline: 6; Session 1: 4.8; Session 2: 3.6" in html
    assert 'change since baseline <bdi dir="ltr">-4.20</bdi>' in html
    rows = response.context["schedule"]
    assert [bool(r["session"]) for r in rows] == [True] * 4 + [False] * 2
    assert "To come" in html and "TXA-A1" in html
    course.refresh_from_db()  # the sessions as given moved the maintenance date
    assert f'id="maintenance-due">{course.maintenance_due:%-d %b %Y}<' in html
    assert reverse("aftercare:compare", args=[course.pk]) in html
    assert reverse("aftercare:summary_pdf", args=[course.pk]) + "?language=ur" in html
    assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(
        object_type="care.course", object_id=str(course.pk), action="view"
    ).exists()


def test_a_baseline_score_replaces_the_consultations_on_the_chart(client, dermatologist, course):
    score(dermatologist.user, course, None, FALLING[1])
    client.force_login(dermatologist.user)
    response, _ = _progress(client, course)
    (chart,) = response.context["charts"]
    assert [(r.source, str(r.value)) for r in chart["series"].readings] == [("score", "4.80")]


def test_the_progress_page_lists_the_courses_adverse_events(client, dermatologist, course, lot_a):
    (session,) = chart_sessions(dermatologist.user, course, lot_a, 1)
    event, _ = open_adverse_event(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        session=session,
        triggers=["grade"],
        effects=["swelling"],
        grade=2,
        checklist=["review_in_person"],
        source=AdverseEvent.Source.STAFF,
    )
    client.force_login(dermatologist.user)
    response, _ = _progress(client, course)
    assert response.context["events"] == [event]
    assert event.reference in response.content.decode()


def test_the_progress_page_reads_the_same_number_of_queries_whatever_the_data(
    client, dermatologist, course, lot_a, make_lot, clinic_a, txa
):
    client.force_login(dermatologist.user)
    chart_sessions(dermatologist.user, course, lot_a, 1)
    _, few = _progress(client, course)
    user = dermatologist.user
    more = chart_sessions(user, course, make_lot(clinic_a, txa, "TXA-B2", "20"), 3)
    for session, grades in zip(more, FALLING[1:], strict=False):
        score(user, course, session, grades)
        _photo(user, course, session)
    _photo(user, course)
    _, many = _progress(client, course)
    # Session and user (2); the second factor the session proved (1, django-otp); the roles
    # (1); the course with patient, clinic, consultation and protocol (1), its sessions (1),
    # their products with lots (1); scores, photos, adverse events (3); the standing marketing
    # consent (1); the audit row (1).
    assert few == many == 12


def test_the_comparison_reads_the_same_number_of_queries_whatever_the_data(
    client, dermatologist, course, lot_a, make_lot, clinic_a, txa
):
    user = dermatologist.user
    client.force_login(user)
    url = reverse("aftercare:compare", args=[course.pk])
    chart_sessions(user, course, lot_a, 1)  # one session: its products are read from then on
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    _photo(user, course)
    for view in ("face_left", "face_right"):
        _photo(user, course, view=view)
    sessions = chart_sessions(user, course, make_lot(clinic_a, txa, "TXA-C3", "20"), 3)
    for session, grades in zip(sessions, FALLING[1:], strict=False):
        score(user, course, session, grades)
        _photo(user, course, session)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    # Session and user (2); the second factor the session proved (1, django-otp); the roles
    # (1); the course, its sessions, their products (3); scores and photos (2); the audit row
    # (1).
    assert len(before) == len(after) == 10


@needs_poppler
@pytest.mark.parametrize("language", ["ur", "en"])
def test_the_summary_pdf_gives_back_its_words_and_the_lot_number(
    client, dermatologist, course, lot_a, language
):
    user = dermatologist.user
    sessions = _four_sessions_scored(user, course, lot_a)
    _photo(user, course)
    _photo(user, course, sessions[-1])
    client.force_login(user)
    response = client.get(
        reverse("aftercare:summary_pdf", args=[course.pk]), {"language": language}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    folder = ARTIFACTS / "pdf" / connection.vendor
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"course-summary-{language}.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "TXA-A1" in text
    assert "+92" in text or "051" in text  # the clinic's number
    with translation.override(language):
        watch = translation.pgettext("course progress", "Pus or discharge from the skin")
        title = translation.pgettext("course progress", "Your course summary")
    if language == "ur":
        assert watch != "Pus or discharge from the skin"  # translated
        flat = _BIDI_AND_SPACE.sub("", text)
        assert _BIDI_AND_SPACE.sub("", title) in flat
        # Every Urdu letter of the warning is in the text layer (poppler may reorder
        # fragments across wrapped Nastaliq lines, so the letters are counted).
        wanted = Counter(c for c in watch if "\u0600" <= c <= "\u06ff")
        assert not wanted - Counter(c for c in text if "\u0600" <= c <= "\u06ff")
    else:
        assert watch in text and title in text
    images = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert len(images.strip().splitlines()) - 2 == 2  # baseline and session 4, front view
    assert AuditEvent.objects.filter(
        object_type="care.course", object_id=str(course.pk), detail__part="summary_pdf"
    ).exists()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(path), str(path)[:-4]],
        check=True,
    )


def test_the_summary_falls_back_to_the_patients_language(
    client, dermatologist, course, monkeypatch
):
    from mesoclinic.aftercare.views import progress as views

    printed = []
    monkeypatch.setattr(views.pdf, "print_pdf", lambda html: printed.append(html) or b"%PDF-")
    client.force_login(dermatologist.user)
    url = reverse("aftercare:summary_pdf", args=[course.pk])
    assert client.get(url, {"language": "fr"}).status_code == 200
    expected = course.patient.preferred_language
    assert f'<html lang="{expected}"' in printed[-1]


def test_the_summary_says_so_when_the_printer_is_missing(
    client, dermatologist, course, monkeypatch
):
    from mesoclinic.aftercare.views import progress as views
    from mesoclinic.care import pdf

    def missing(_html):
        raise pdf.PdfUnavailable("Chromium not found")

    monkeypatch.setattr(views.pdf, "print_pdf", missing)
    client.force_login(dermatologist.user)
    response = client.get(reverse("aftercare:summary_pdf", args=[course.pk]))
    assert response.status_code == 503


def test_a_course_not_yet_started_has_a_progress_page_and_a_summary(
    client, dermatologist, fresh_course
):
    from mesoclinic.aftercare.views import progress as views

    course = fresh_course
    client.force_login(dermatologist.user)
    response, _ = _progress(client, course)
    html = response.content.decode()
    assert "No scores yet" in html and html.count("To come") == 6
    assert "None recorded on this course." in html
    for url in ("aftercare:compare", "aftercare:photo_upload"):
        assert client.get(reverse(url, args=[course.pk])).status_code == 200
    printed = views.summary_html(dermatologist.user, course, "en")
    assert "No session given yet." in printed and "No scores recorded yet." in printed
