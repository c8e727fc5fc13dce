"""The aftercare journeys (bench/aftercare.py) and the aftercare rows seed_scale writes for
them: the journeys are declared with their targets, their requests are the pages' own URLs
built from seeded rows, and a patient's link opens a check-in that is due and still works."""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import resolve, reverse
from django.utils import timezone, translation

from bench import aftercare, report
from mesoclinic.aftercare import links
from mesoclinic.aftercare.models import CheckIn, OutcomeScore
from mesoclinic.care.models import Course
from mesoclinic.clinics.models import Clinic

SECRET = "bench-server-key-for-this-test-only-0123456789"


def _seed(settings):
    settings.DEBUG = True
    call_command(
        "seed_scale",
        patients=120,
        clinics=2,
        seed=4,
        appointments=False,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    return Clinic.objects.get(slug="scale-001")


JOURNEYS = ("check_in_form", "adverse_event_register", "progress")


def test_it_holds_the_check_in_form_to_3x_the_floor_and_the_pages_to_6x():
    kinds = {name: report.BY_NAME[name].kind for name in JOURNEYS}
    assert kinds == {
        "check_in_form": "single",
        "adverse_event_register": "composite",
        "progress": "composite",
    }
    for name in kinds:
        assert report.BY_NAME[name].expected_status == 200
        assert not report.BY_NAME[name].one_use


def test_it_profiles_each_aftercare_journey_as_the_sender_the_run_uses():
    from bench import profile

    assert profile.SENDER["check_in_form"] is None  # a patient from a link: no one signed in
    assert profile.SENDER["adverse_event_register"] == "doctor"
    assert profile.SENDER["progress"] == "doctor"


@pytest.mark.django_db
def test_it_opens_due_check_ins_from_links_signed_with_the_servers_key(settings):
    _seed(settings)
    requests = aftercare.check_in_links(random.Random(1), secret_key=SECRET, sample=20)
    assert requests and all(method == "GET" and body == "" for method, _p, body in requests)
    now = timezone.now()
    for _method, path, _body in requests:
        language, rest = path.strip("/").split("/", 1)
        assert language in ("en", "ur") and rest.startswith("check-in/")
        with translation.override(language):
            match = resolve(path)
        assert match.view_name == "aftercare_public:check_in"
        token = match.kwargs["token"]
        settings.SECRET_KEY = SECRET
        check_in = CheckIn.objects.get(pk=links.check_in_id_from(token))
        assert check_in.status == CheckIn.Status.DUE
        assert check_in.due_at <= now < check_in.link_expires_at
        # Signed with the server's key, not this process's: the server's view can read it.
        settings.SECRET_KEY = "another key"
        with pytest.raises(links.LinkInvalid):
            links.check_in_id_from(token)


@pytest.mark.django_db
def test_it_builds_the_register_of_the_bench_clinic_with_its_filters(settings):
    clinic = _seed(settings)
    register = aftercare.register_pages(clinic)
    base = reverse("aftercare:register", kwargs={"clinic_id": clinic.pk})
    assert base == f"/aftercare/clinics/{clinic.pk}/adverse-events/"
    assert [path for _m, path, _b in register] == [
        base + query for query in aftercare.REGISTER_FILTERS
    ]
    assert resolve(base).view_name == "aftercare:register"


@pytest.mark.django_db
def test_it_builds_progress_pages_of_the_bench_clinics_scored_courses(settings):
    clinic = _seed(settings)
    course = Course.objects.filter(clinic=clinic).first()
    pages = aftercare.progress_pages(clinic, random.Random(1), sample=10)
    assert len(pages) == min(10, Course.objects.filter(clinic=clinic).count())
    for _method, path, _body in pages:
        match = resolve(path)
        assert match.view_name == "aftercare:progress"
        course = Course.objects.get(pk=match.kwargs["course_id"])
        assert course.clinic_id == clinic.pk
        assert OutcomeScore.objects.filter(course=course, session=None).exists()


@pytest.mark.django_db
def test_it_refuses_to_build_a_journey_with_nothing_to_open(settings):
    settings.DEBUG = True
    with pytest.raises(RuntimeError, match="no check-in is due"):
        aftercare.check_in_links(random.Random(1), secret_key=SECRET)
