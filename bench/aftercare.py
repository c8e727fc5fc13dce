"""The aftercare journeys of `make bench` (issue 19): the check-in form as a patient opens it
from their message, a clinic's adverse-event register, and a course's progress page.

The check-in form is public: its requests are the signed links of check-ins that are due and
whose link still works, across the chain (a patient's link names no clinic), each in the
patient's language. The links are signed with the key the bench's server runs with (a fresh
one each run), as the message would carry them. The register and the progress page are the
bench dermatologist's, at the first synthetic clinic.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from mesoclinic.aftercare import links
from mesoclinic.aftercare.models import CheckIn, OutcomeScore
from mesoclinic.care.models import Course

SAMPLE = 200
#: The register as the dermatologist opens it, then filtered as the issue asks (by status and
#: grade; the lot and product filters need a lot's id, the same query shape). Lead: keep these
#: parameter names in step with the register's filter form.
REGISTER_FILTERS = ("", "?status=open", "?grade=2")


def check_in_links(rng, *, secret_key: str, sample: int = SAMPLE) -> list[tuple[str, str, str]]:
    """GETs of the check-in form for up to `sample` due check-ins whose link still works (sent,
    not answered, not expired), drawn at random; the tokens signed with `secret_key`."""
    now = timezone.now()
    # Served by checkin_due_idx's condition (status 'due'); the chain's due check-ins inside
    # their link's life are a thin slice of the table.
    due = list(
        CheckIn.objects.filter(
            status=CheckIn.Status.DUE, due_at__lte=now, link_expires_at__gt=now
        ).values_list("pk", "patient__preferred_language")
    )
    if not due:
        raise RuntimeError("no check-in is due with a working link: seed_scale lays them out")
    chosen = rng.sample(due, min(sample, len(due)))
    requests = []
    with override_settings(SECRET_KEY=secret_key):
        for pk, language in chosen:
            with translation.override(language or "ur"):
                path = reverse("aftercare_public:check_in", kwargs={"token": links.token_for(pk)})
            requests.append(("GET", path, ""))
    return requests


def register_pages(clinic) -> list[tuple[str, str, str]]:
    path = reverse("aftercare:register", kwargs={"clinic_id": clinic.pk})
    return [("GET", f"{path}{query}", "") for query in REGISTER_FILTERS]


def progress_pages(clinic, rng, *, sample: int = SAMPLE) -> list[tuple[str, str, str]]:
    """Progress pages of the clinic's courses that have scores (baseline and sessions)."""
    scored = list(
        Course.objects.filter(clinic=clinic)
        .filter(Exists(OutcomeScore.objects.filter(course_id=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    if not scored:
        raise RuntimeError(f"{clinic.slug} has no course with scores: seed_scale scores them")
    return [
        ("GET", reverse("aftercare:progress", kwargs={"course_id": pk}), "")
        for pk in rng.sample(scored, min(sample, len(scored)))
    ]
