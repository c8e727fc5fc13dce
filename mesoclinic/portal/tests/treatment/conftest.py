"""My treatment's tests: Sana's treatment at both clinics, built through the services that
care's and aftercare's tests use (their fixtures and helpers, imported here).

- Clinic A: screened for melasma, patch-tested, a six-session course whose consent says yes to
  treatment photos; `sessions` sessions charted (the earlier ones moved back in time, as
  aftercare's `chart_sessions` does), an mMASI score at the baseline and at each session, a
  baseline photo and a photo at the last session of `views` views.
- Clinic B: the same course with B's dermatologist and receptionist; its consent said yes to
  photos, one session and one photo were taken, then a new screening (a new allergy) ended that
  consent and she signed again saying no: B's photo stays in the record, closed to her.
"""

from dataclasses import dataclass

import pytest

from mesoclinic.aftercare.models import CoursePhoto
from mesoclinic.aftercare.services import photos as photo_services
from mesoclinic.aftercare.tests.clinic_fixtures import derm_b  # noqa: F401 (fixture)
from mesoclinic.aftercare.tests.photo_fixtures import (  # noqa: F401 (fixtures)
    FALLING,
    chart_sessions,
    photo_ready,
    png_bytes,
    private_files,
    score,
    upload,
)
from mesoclinic.audit.services import Interface
from mesoclinic.care.services import patch_tests
from mesoclinic.care.tests.conftest import (  # noqa: F401 (care's fixtures)
    chart_session,
    consent_for,
    consent_texts,
    consult,
    js_errors,
    make_ready,
    melasma_version,
    patch_test_applied_hours_ago,
    plan,
    plan_course,
    screening_rules,
    shipped_care_data,
)
from mesoclinic.care.tests.worklist_fixtures import (  # noqa: F401 (make_ready's set-up)
    apply_test,
    due_everywhere,
    viewer,
)
from mesoclinic.formulary.models import Ingredient

VIEWS = ("face_front", "face_left", "face_right")


@dataclass
class Treated:
    course_a: object
    sessions_a: list
    photos_a: list
    consent_a: object
    course_b: object
    photo_b: object
    consents_b: list  # the first (photos yes, ended) and the standing one (photos no)


@pytest.fixture(autouse=True)
def one_private_storage(monkeypatch):
    """The storage `storages["private"]` hands out (what `store_pdf` writes through) is the one
    the file fields hold (what `private_files` moves): a test that changed STORAGES earlier on
    the worker makes Django build a new one, which would write where the page never reads."""
    from django.core.files.storage import storages

    monkeypatch.setitem(storages._storages, "private", CoursePhoto.file.field.storage)


@pytest.fixture
def fake_pdf(monkeypatch):
    """Consents print through Chromium (a second each); these tests print a fixed PDF instead.
    Returns the bytes printed."""
    from mesoclinic.care import pdf

    data = b"%PDF-1.4\n% a consent\n%%EOF\n"
    monkeypatch.setattr(pdf, "print_pdf", lambda html, **kwargs: data)
    return data


def treat_at_a(portal_world, dermatologist, lot, ready, *, sessions=2, views=1, scores=True):
    """Sana's course at clinic A (see the module's docstring); `ready` is care's make_ready."""
    course = ready(portal_world.at_a, lot, photos=True, consent_language="ur")
    charted = chart_sessions(dermatologist.user, course, lot, sessions)
    course.refresh_from_db()  # the last session completes the course
    user = dermatologist.user
    if scores:
        score(user, course, None, FALLING[0])
        for number, session in enumerate(charted, start=1):
            score(user, course, session, FALLING[min(number, len(FALLING) - 1)])
    photos = []
    for view in VIEWS[:views]:
        photos.append(
            photo_services.upload_photo(
                acting_user=user,
                via=Interface.WEB,
                course=course,
                view=view,
                upload=upload(png_bytes((170, 130, 100)), "before.png", "image/png"),
            )
        )
        photos.append(
            photo_services.upload_photo(
                acting_user=user,
                via=Interface.WEB,
                course=course,
                session=charted[-1],
                view=view,
                upload=upload(png_bytes((200, 170, 150)), "after.png", "image/png"),
            )
        )
    return course, charted, photos


@pytest.fixture
def big_lot_a(make_lot, clinic_a, txa):
    """A lot at clinic A with enough for a whole course (lot_a holds 10 mL: four sessions)."""
    return make_lot(clinic_a, txa, "TXA-A9", "40")


def treat_at_b(portal_world, derm, witness, lot_b, screen, version):
    """Sana's course at clinic B, whose photo consent she withdrew by signing again (`screen`
    is care's consult, `version` the approved melasma protocol)."""
    user, patient = derm.user, portal_world.at_b
    screen(user, patient, planned_ingredients=["tranexamic_acid"])
    test = patch_test_applied_hours_ago(user, patient, [lot_b], 30)
    patch_tests.read_patch_test(
        acting_user=user, via=Interface.WEB, patch_test=test, result="negative"
    )
    course = plan_course(user, patient, version)
    first = consent_for(witness, patient, photos=True)
    session = chart_session(user, course, lot_b)
    photo = photo_services.upload_photo(
        acting_user=user,
        via=Interface.WEB,
        course=course,
        session=session,
        view="face_front",
        upload=upload(png_bytes((120, 90, 70)), "b.png", "image/png"),
    )
    # New facts (an allergy to an ingredient not in the plan) end the consent; she signs again
    # and this time answers no to treatment photos.
    allergen = Ingredient.objects.exclude(code="tranexamic_acid").order_by("id").first()
    screen(user, patient, planned_ingredients=["tranexamic_acid"], new_allergies=[allergen])
    second = consent_for(witness, patient, photos=False)
    return course, photo, [first, second]


@pytest.fixture
def make_lot_b(make_lot, clinic_b, txa):
    return lambda: make_lot(clinic_b, txa, "TXA-B1", "10")


@pytest.fixture
def treated(
    portal_world,
    dermatologist,
    big_lot_a,
    make_ready,  # noqa: F811
    derm_b,  # noqa: F811
    outsider,
    make_lot_b,
    consult,  # noqa: F811
    melasma_version,  # noqa: F811
    private_files,  # noqa: F811
    shipped_care_data,  # noqa: F811 (a transactional test before may have flushed the texts)
):
    """treated(sessions=2, views=1, scores=True): Sana treated at A and at B (see above)."""

    def make(**at_a):
        course_a, sessions_a, photos_a = treat_at_a(
            portal_world, dermatologist, big_lot_a, make_ready, **at_a
        )
        course_b, photo_b, consents_b = treat_at_b(
            portal_world, derm_b, outsider, make_lot_b(), consult, melasma_version
        )
        consent_a = course_a.consents.get()
        return Treated(course_a, sessions_a, photos_a, consent_a, course_b, photo_b, consents_b)

    return make
