"""The portal's journeys of `make bench` (issue 22): the patient's "my treatment" page, signed
in, and the sign-in's code request.

Portal accounts are seeded as the patients' first sign-ins make them: `link_account` by the
mobile number and date of birth on the record, for the first ACCOUNTS treated patients of the
first synthetic clinic (a few hundred: enough to draw from, a few seconds at any size).

"My treatment" is read as one of those patients, signed in with a session made in-process for
the server's key (as browser tests add a `force_login`-ed session's cookie), because the code
flow sends its code through the outbox, which a load run cannot read back. The journey's pages
come from MY_TREATMENT (the portal's home) and RECORD_PAGE (each of the patient's records).

The code request is the sign-in's first step: each request POSTs another patient's mobile
number and date of birth (at most three codes a number an hour: a number is used once a run),
written in no more than CODE_REQUEST_MAX_WRITES rows (the attempt, two audit rows, the outbox
message and the session; see bench/tests/test_portal.py).
"""

from __future__ import annotations

import urllib.parse

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from mesoclinic.audit.services import Interface
from mesoclinic.care.models import Course
from mesoclinic.clinics.models import Clinic
from mesoclinic.patients.models import Patient, in_care

ACCOUNTS = 300
LANGUAGES = ("ur", "en")
#: The pages of "my treatment", as url names of the portal. Lead: add the record page here
#: ("portal:record" or its merged name) — `record_pages` fills it with each of the patient's
#: records.
MY_TREATMENT = ("portal:home",)
RECORD_PAGE: str | None = "portal:record"
#: The code request is the sign-in form's POST (mobile number and date of birth).
CODE_REQUEST = "POST"
CODE_FIELD = "mobile"
#: The attempt, two audit rows (the request and its message), the outbox's message, the session.
CODE_REQUEST_MAX_WRITES = 5
SAMPLE = 200


def _treated(clinic):
    return (
        Patient.objects.filter(in_care(), registered_clinic=clinic)
        .filter(Exists(Course.objects.filter(patient_id=OuterRef("pk"))))
        .order_by("pk")
    )


def seed_accounts(clinic_slug: str, *, count: int = ACCOUNTS) -> int:
    """Link portal accounts for up to `count` treated patients of the clinic, as their first
    sign-in would (`link_account`); those linked before are kept. How many were added."""
    from mesoclinic.portal.services import link_account

    clinic = Clinic.objects.get(slug=clinic_slug)
    have = _treated(clinic).filter(portal_user__isnull=False).count()
    wanted = list(
        _treated(clinic)
        .filter(portal_user__isnull=True)
        .values_list("mobile", "date_of_birth")[: max(count - have, 0)]
    )
    for mobile, born in wanted:
        link_account(mobile=mobile, date_of_birth=born, via=Interface.CLI)
    return len(wanted)


def signed_in_patient(clinic_slug: str):
    """The patient account the journey reads as: the first seeded one (deterministic)."""
    clinic = Clinic.objects.get(slug=clinic_slug)
    record = _treated(clinic).filter(portal_user__isnull=False).select_related("portal_user")
    first = record.first()
    if first is None:
        raise RuntimeError(f"{clinic_slug} has no portal account: bench.size seeds them")
    return first.portal_user


def session_cookie(user, *, secret_key: str) -> dict[str, str]:
    """A signed-in session of `user` for a server running with `secret_key` (the cookie
    header's name and value)."""
    with override_settings(SECRET_KEY=secret_key):
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        return {name: client.cookies[name].value}


def my_treatment(user) -> list[tuple[str, str, str]]:
    """GETs of the patient's pages in both languages (and each record's page, when there is
    one)."""
    requests = []
    for language in LANGUAGES:
        with translation.override(language):
            requests += [("GET", reverse(name), "") for name in MY_TREATMENT]
            requests += record_pages(user)
    return requests


def record_pages(user) -> list[tuple[str, str, str]]:
    """The record page for each of the patient's records, once RECORD_PAGE names it."""
    if RECORD_PAGE is None:
        return []
    records = Patient.objects.filter(portal_user=user).values_list("pk", flat=True)
    return [("GET", reverse(RECORD_PAGE, kwargs={"pk": pk}), "") for pk in records]


def code_requests(rng, clinic_slug: str, *, csrf: str, sample: int = SAMPLE):
    """The sign-in's first step: GETs of the sign-in page (until CODE_REQUEST is "POST"), or
    POSTs asking a code for `sample` different patients' mobile numbers (form-encoded, with
    the session's CSRF token)."""
    requests = []
    if CODE_REQUEST == "GET":
        for language in LANGUAGES:
            with translation.override(language):
                requests.append(("GET", reverse("portal:sign_in"), ""))
        return requests
    clinic = Clinic.objects.get(slug=clinic_slug)
    people = list(
        Patient.objects.filter(in_care(), registered_clinic=clinic)
        .order_by("pk")
        .values_list("mobile", "date_of_birth")[: sample * 10]
    )
    for mobile, born in rng.sample(people, min(sample, len(people))):
        with translation.override(rng.choice(LANGUAGES)):
            path = reverse("portal:sign_in")
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": csrf, CODE_FIELD: mobile, "date_of_birth": born.isoformat()}
        )
        requests.append(("POST", path, body))
    return requests
