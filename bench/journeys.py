"""Each journey's requests, drawn from the bench database (needs Django set up on it).

What a clinic's staff do all day, as one credentialed dermatologist of the first synthetic
clinic (`scale.doctor.001` at `scale-001`, one of the chain's 50): search their own clinic's
patients by name (English and Urdu script), CNIC and mobile; open charts; list a lot's
recipients; evaluate a screening and page through patients over the API; chart a session
through the safety gate; search free slots, open a day of the appointment book, and book
sessions racing other clients (`bench.schedule`); read a clinic's adverse-event register and
a course's progress (`bench.aftercare`); and, as an integration with a Bearer token, search and
read patients and a patient's clinical records over FHIR (`bench.fhir`). The public reads the
bilingual guide, and patients open their check-in form from the link in their message.
Samples are drawn with a fixed seed, so the same database gives the same requests.
"""

from __future__ import annotations

import json
import random
import secrets
import urllib.parse
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench import aftercare, fhir, http, portal, schedule
from mesoclinic.accounts.models import ApiToken
from mesoclinic.audit.services import Interface
from mesoclinic.care.models import Course, CourseComponent
from mesoclinic.clinics.models import Clinic
from mesoclinic.formulary.models import Lot, ProtocolVersion
from mesoclinic.formulary.services import approve_version
from mesoclinic.guide.models import Topic
from mesoclinic.patients.models import Patient
from mesoclinic.patients.services import register_patient
from mesoclinic.seed import scale
from mesoclinic.seed.demo_care import ready_course, txa_lot

CLINIC = "scale-001"
DOCTOR = "scale.doctor.001"
#: Recall lists are for administrators and clinic managers: the chain's administrator.
ADMIN = "scale.admin"
BENCH_APP = "bench run"  # the authenticator app each run gives its users, removed at sign-out
SAMPLE = 200
#: Bench writers' synthetic identities come from numbers far past any seeded patient's id and
#: below 10**8, where `scale.mobile_for` gives every number its own mobile.
WRITER_ID_BASE = 90_000_000
WRITER_EMAIL = "@bench.invalid"
GUIDE_TERMS = ("melasma", "hair loss", "pregnancy", "side effects", "جھائیاں", "بال", "cost")
SCREENINGS = (
    {"patient": {"sex": "female", "age": 31}, "ingredients": ["tranexamic_acid"]},
    {"patient": {"sex": "female", "age": 27, "pregnant": True}, "indication": "melasma"},
    {
        "patient": {"sex": "female", "age": 44, "conditions": ["thromboembolism"]},
        "ingredients": ["tranexamic_acid"],
        "indication": "melasma",
    },
    {"patient": {"sex": "male", "age": 35}, "indication": "androgenetic_alopecia"},
)


@dataclass
class Journey:
    """A requests file's content: headers for every request, then (method, path, body)."""

    headers: dict[str, str] = field(default_factory=dict)
    requests: list[tuple[str, str, str]] = field(default_factory=list)

    def write(self, path: Path) -> Path:
        lines = [f"H\t{name}: {value}" for name, value in self.headers.items()]
        for method, target, body in self.requests:
            if "\t" in target + body or "\n" in target + body:
                raise ValueError(f"a request must fit one line: {target}")
            lines.append(f"R\t{method}\t{target}\t{body}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def prepare(
    base_url: str, *, seed: int, writes: int, secret_key: str | None = None
) -> dict[str, Journey]:
    """Log in over HTTP, issue an API token, and build every journey's requests. `secret_key`
    is the server's, which signs the check-in links (default: this process's)."""
    rng = random.Random(seed)
    clinic = Clinic.objects.get(slug=CLINIC)
    doctor = get_user_model().objects.get(username=DOCTOR)
    web, admin = _signed_in(base_url, DOCTOR), _signed_in(base_url, ADMIN)
    _row, key = ApiToken.issue(user=doctor, name="make bench")
    staff = {**web.headers(), "Accept": "text/html"}
    # The search box asks as the user types, with htmx: only the results table comes back.
    typing = {**staff, "HX-Request": "true"}
    api = {**http.PROXY_HEADERS, "Authorization": f"Token {key}", "Accept": "application/json"}
    patients = list(
        Patient.objects.filter(registered_clinic=clinic)
        .exclude(email__endswith=WRITER_EMAIL)
        .values_list("id", "first_name", "last_name", "name_ur", "cnic", "mobile")
    )
    sample = rng.sample(patients, min(SAMPLE, len(patients)))
    journeys = {
        "floor": Journey(http.PROXY_HEADERS, [("GET", "/health/", "")]),
        "search_name": Journey(typing, [_get("/patients/", q=_name(rng, p)) for p in sample]),
        "search_cnic": Journey(
            typing, [_get("/patients/", q=_cnic(rng, p[4])) for p in sample if p[4]]
        ),
        "search_mobile": Journey(
            typing, [_get("/patients/", q=_mobile(rng, p[5])) for p in sample]
        ),
        "chart": Journey(staff, _charts(clinic, rng)),
        "lot_recall": Journey(
            {**admin.headers(), "Accept": "text/html"},
            [
                ("GET", f"/formulary/lots/{pk}/recipients/", "")
                for pk in Lot.objects.filter(clinic=clinic).values_list("pk", flat=True)
            ],
        ),
        "screening_evaluate": Journey(
            {**api, "Content-Type": "application/json"},
            [
                ("POST", "/api/v1/screening/evaluate", json.dumps(body, ensure_ascii=False))
                for body in SCREENINGS
            ],
        ),
        "api_patients": Journey(api, _api_pages(base_url, api)),
        "guide_page": Journey(http.PROXY_HEADERS, _guide_pages()),
        "guide_search": Journey(
            http.PROXY_HEADERS,
            [_get(f"/{lang}/guide/search/", q=t) for t in GUIDE_TERMS for lang in ("en", "ur")],
        ),
        "session_write": Journey(
            {**staff, "Content-Type": "application/x-www-form-urlencoded"},
            _session_posts(web, clinic, doctor, writes),
        ),
        "slot_search": Journey(api, schedule.slot_searches(clinic, rng)),
        "day_view": Journey(staff, schedule.day_views(clinic, rng)),
        "booking": Journey(
            {**api, "Content-Type": "application/json"},
            schedule.bookings(clinic, rng, count=schedule.BOOKINGS),
        ),
        "check_in_form": Journey(
            {**http.PROXY_HEADERS, "Accept": "text/html"},
            aftercare.check_in_links(rng, secret_key=secret_key or settings.SECRET_KEY),
        ),
        "adverse_event_register": Journey(staff, aftercare.register_pages(clinic)),
        "progress": Journey(staff, aftercare.progress_pages(clinic, rng)),
        "fhir_patient_search": Journey(
            {**http.PROXY_HEADERS, **fhir.headers(key)}, fhir.patient_searches(rng, sample)
        ),
        "fhir_patient_read": Journey(
            {**http.PROXY_HEADERS, **fhir.headers(key)}, fhir.patient_reads(sample)
        ),
    }
    journeys.update(_portal_journeys(base_url, rng, secret_key or settings.SECRET_KEY))
    clinical = fhir.clinical_searches(clinic, rng)
    if clinical:  # until the server registers a clinical type (bench/fhir.py, CLINICAL)
        journeys["fhir_clinical_search"] = Journey(
            {**http.PROXY_HEADERS, **fhir.headers(key)}, clinical
        )
    return journeys


def _portal_journeys(base_url: str, rng, secret_key: str) -> dict[str, Journey]:
    """The portal's (bench/portal.py): "my treatment" as a seeded patient, signed in for the
    server's key; the code request as a visitor on the sign-in page (with its CSRF cookie,
    for when it is a POST)."""
    patient = portal.signed_in_patient(CLINIC)
    cookie = portal.session_cookie(patient, secret_key=secret_key)
    signed_in = {
        **http.PROXY_HEADERS,
        "Cookie": "; ".join(f"{name}={value}" for name, value in cookie.items()),
        "Accept": "text/html",
    }
    visitor = http.Session(base_url)
    visitor.call("GET", "/ur/portal/sign-in/")
    posts = portal.CODE_REQUEST == "POST"
    form = {"Content-Type": "application/x-www-form-urlencoded"} if posts else {}
    return {
        "portal_treatment": Journey(signed_in, portal.my_treatment(patient)),
        "portal_code_request": Journey(
            {**visitor.headers(), "Accept": "text/html", **form},
            portal.code_requests(rng, CLINIC, csrf=visitor.cookies.get("csrftoken", "")),
        ),
    }


def sign_out() -> None:
    """End what the run signed in with: the bench users' sessions and API tokens stop working,
    and their passwords are unusable again (the journey files held those credentials)."""
    users = get_user_model().objects.filter(username__in=[DOCTOR, ADMIN])
    ApiToken.objects.filter(user__in=users, revoked_at=None).update(revoked_at=timezone.now())
    # Sessions were signed with the run's own secret key, gone now; and a bench database has
    # no one else's sessions to keep.
    Session.objects.all().delete()
    TOTPDevice.objects.filter(user__in=users, name=BENCH_APP).delete()
    for user in users:
        user.set_unusable_password()
        user.save(update_fields=["password"])


def _signed_in(base_url: str, username: str) -> http.Session:
    """A browser session of `username`, given a fresh random password for this run."""
    user = get_user_model().objects.get(username=username)
    password = secrets.token_urlsafe(16)
    user.set_password(password)
    user.save(update_fields=["password"])
    # A fresh authenticator app for this run too (its key never leaves this process), so a
    # role that needs a second factor passes the code step as a person would.
    TOTPDevice.objects.filter(user=user, name=BENCH_APP).delete()
    app = TOTPDevice.objects.create(user=user, name=BENCH_APP, confirmed=True)
    session = http.Session(base_url)
    session.login(username, password, code=lambda: f"{totp(app.bin_key):06d}")
    return session


def _get(path: str, **params) -> tuple[str, str, str]:
    return ("GET", f"{path}?{urllib.parse.urlencode(params)}", "")


def _name(rng, patient) -> str:
    """What a receptionist types: a first name, a full name, or the name in Urdu script."""
    _id, first, last, name_ur, _cnic, _mobile = patient
    return rng.choice([first, f"{first} {last}", name_ur, name_ur.split()[0]])


def _cnic(rng, cnic: str) -> str:
    return rng.choice([cnic, f"{cnic[:5]}-{cnic[5:12]}-{cnic[12]}"])


def _mobile(rng, mobile: str) -> str:
    local = "0" + mobile.removeprefix("+92")
    return rng.choice([local, f"{local[:4]} {local[4:]}", mobile])


def _charts(clinic, rng) -> list[tuple[str, str, str]]:
    """Charts of patients with a course (most have 4–6 sessions), the ones looked up most."""
    treated = list(
        Course.objects.filter(clinic=clinic)
        .exclude(patient__email__endswith=WRITER_EMAIL)
        .values_list("patient_id", flat=True)
    )
    return [
        ("GET", f"/care/patients/{pk}/chart/", "")
        for pk in rng.sample(treated, min(SAMPLE, len(treated)))
    ]


def _api_pages(base_url: str, headers: dict) -> list[tuple[str, str, str]]:
    """The first page of the API patient list and the next four, by their keyset cursors."""
    pages, path = [], "/api/v1/patients/"
    for _page in range(5):
        pages.append(("GET", path, ""))
        body = json.loads(http.request(base_url, "GET", path, headers=headers).body)
        if not body.get("next"):
            break
        path = urllib.parse.urlsplit(body["next"])._replace(scheme="", netloc="").geturl()
    return pages


def _guide_pages() -> list[tuple[str, str, str]]:
    slugs = Topic.objects.values_list("slug", flat=True)
    return [("GET", f"/{lang}/guide/{slug}/", "") for slug in slugs for lang in ("en", "ur")]


def _approve_melasma_protocol(doctor) -> None:
    """The chain's melasma protocol, approved by the bench dermatologist if still a draft (a
    new database ships it as a draft; seed_demo approves it the same way)."""
    version = (
        ProtocolVersion.objects.filter(protocol__code="melasma-txa").order_by("-number").first()
    )
    if version is not None and version.status == ProtocolVersion.Status.DRAFT:
        approve_version(
            acting_user=doctor,
            via=Interface.CLI,
            version=version,
            revision=version.revision,
            confirmed_unverified=True,
        )


def _session_posts(web, clinic, doctor, count: int) -> list[tuple[str, str, str]]:
    """`count` courses ready for session one (screened, patch-tested, consented, planned, all
    through the services), each started over HTTP like the page does; one charting POST each.
    Courses left unchanged by an earlier run are used again."""
    courses = list(
        Course.objects.filter(
            clinic=clinic, patient__email__endswith=WRITER_EMAIL, sessions__isnull=True
        ).select_related("protocol_version")[:count]
    )
    _approve_melasma_protocol(doctor)
    # Past every writer made so far (their numbers are in their e-mail addresses).
    made = Patient.objects.filter(email__endswith=WRITER_EMAIL).values_list("email", flat=True)
    numbers = (int(email.removeprefix("writer").removesuffix(WRITER_EMAIL)) for email in made)
    number = max((n for n in numbers if WRITER_ID_BASE <= n < 10**8), default=WRITER_ID_BASE)
    while len(courses) < count:
        number += 1
        row = scale.patient_row(1, number, clinics=1, today=date.today())
        if (date.today() - row.date_of_birth).days < 18 * 365.25:
            continue  # a minor's consent needs a guardian: writers are adults who sign
        with transaction.atomic():
            patient = register_patient(
                acting_user=doctor,
                via=Interface.CLI,
                clinic=clinic,
                data={
                    "first_name": row.first_name,
                    "last_name": row.last_name,
                    "name_ur": row.name_ur,
                    "date_of_birth": row.date_of_birth,
                    "sex": row.sex,
                    "mobile": row.mobile,
                    "email": f"writer{number}{WRITER_EMAIL}",
                    "preferred_language": row.preferred_language,
                },
            )
            ready = ready_course(doctor, doctor, patient, clinic)
        if ready is None:
            raise RuntimeError(f"{CLINIC} cannot plan a melasma course (no TXA lot or protocol)")
        courses.append(ready[0])
    # The lot every writer was patch-tested on: the clinic's soonest-expiring TXA lot.
    lot = txa_lot(clinic, timezone.localdate())
    planned = dict(
        CourseComponent.objects.filter(course__in=courses).values_list(
            "course_id", "volume_per_session"
        )
    )
    posts = []
    for course in courses:
        token = web.start_session(course.pk)
        started = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        version = course.protocol_version
        form = [
            ("csrfmiddlewaretoken", web.csrf),
            ("start", token),
            ("points", "40"),
            ("technique", version.technique),
            ("depth", version.depth),
            ("needle", version.needle),
            ("started_at", started),
            ("ended_at", started),
            ("lines-TOTAL_FORMS", "1"),
            ("lines-INITIAL_FORMS", "0"),
            ("lines-MIN_NUM_FORMS", "0"),
            ("lines-MAX_NUM_FORMS", "8"),
            ("lines-0-lot", str(lot.pk)),
            # The plan's own volume: more would need a dermatologist's recorded reason.
            ("lines-0-volume", str(planned[course.pk])),
            ("lines-0-zones", "cheek_left"),
            ("lines-0-zones", "cheek_right"),
        ]
        posts.append(
            ("POST", f"/care/courses/{course.pk}/sessions/new/", urllib.parse.urlencode(form))
        )
    return posts
