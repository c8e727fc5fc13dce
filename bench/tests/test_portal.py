"""The portal's journeys (bench/portal.py): declared with the other journeys' targets, their
accounts seeded through the portal's own `link_account`, "my treatment" read by a patient
signed in for the server's key, and the code request writing no more than its few rows."""

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import translation

from bench import portal, profile, report
from mesoclinic.accounts.roles import Role, roles_of
from mesoclinic.patients.models import Patient

CLINIC = "scale-001"
SECRET = "bench-server-key-for-this-test-only-0123456789"
WRITES = ("INSERT", "UPDATE", "DELETE")


def _view_name(path: str) -> str:
    with translation.override(path.strip("/").split("/", 1)[0]):
        return resolve(path).view_name


def _seed(settings):
    settings.DEBUG = True
    call_command(
        "seed_scale",
        patients=60,
        clinics=2,
        seed=4,
        appointments=False,
        stdout=StringIO(),
        stderr=StringIO(),
    )


def test_it_holds_my_treatment_to_6x_the_floor_and_the_code_request_to_3x():
    assert report.BY_NAME["portal_treatment"].kind == "composite"
    assert report.BY_NAME["portal_code_request"].kind == "single"
    assert profile.SENDER["portal_treatment"] == "patient"
    assert profile.SENDER["portal_code_request"] is None


@pytest.mark.django_db
def test_it_seeds_portal_accounts_as_a_first_sign_in_does_and_only_once(settings):
    _seed(settings)
    added = portal.seed_accounts(CLINIC, count=5)
    assert added == 5
    linked = Patient.objects.filter(portal_user__isnull=False)
    assert linked.count() == 5
    for record in linked.select_related("portal_user"):
        assert Role.PATIENT.value in roles_of(record.portal_user)
    assert portal.seed_accounts(CLINIC, count=5) == 0


@pytest.mark.django_db
def test_it_reads_my_treatment_as_the_seeded_patient_signed_in_for_the_servers_key(settings):
    _seed(settings)
    portal.seed_accounts(CLINIC, count=3)
    patient = portal.signed_in_patient(CLINIC)
    cookie = portal.session_cookie(patient, secret_key=SECRET)
    requests = portal.my_treatment(patient)
    records = list(Patient.objects.filter(portal_user=patient).values_list("pk", flat=True))
    expected = [
        path
        for language in ("ur", "en")
        for path in (
            f"/{language}/portal/",
            *(f"/{language}/portal/records/{pk}/" for pk in records),
        )
    ]
    assert [path for _m, path, _b in requests] == expected
    settings.SECRET_KEY = SECRET  # the server's key: the session was signed with it
    client = Client()
    client.cookies.load(cookie)
    mine = Patient.objects.filter(portal_user=patient).first()
    for method, path, _body in requests:
        assert _view_name(path) in (*portal.MY_TREATMENT, portal.RECORD_PAGE)
        page = client.generic(method, path)
        assert page.status_code == 200
        assert mine.mrn in page.content.decode()


@pytest.mark.django_db
def test_it_requests_a_code_writing_no_more_than_its_few_rows(settings):
    _seed(settings)
    client = Client()
    client.get("/ur/portal/sign-in/")
    csrf = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    requests = portal.code_requests(random.Random(1), CLINIC, csrf=csrf, sample=5)
    assert requests
    for method, path, body in requests:
        assert _view_name(path) == "portal:sign_in"
        with CaptureQueriesContext(connection) as queries:
            answer = client.generic(
                method, path, body, content_type="application/x-www-form-urlencoded"
            )
        assert answer.status_code in (200, 302)
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        assert len(writes) <= portal.CODE_REQUEST_MAX_WRITES, writes
