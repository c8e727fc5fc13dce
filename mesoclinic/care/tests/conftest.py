"""Care fixtures: the formulary's products and lots, a consultation recorded through the
service, and the seeded consent texts (reloaded for transactional and browser tests)."""

from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.models import F
from django.utils import timezone

from mesoclinic.appointments.tests.fixtures import open_every_day
from mesoclinic.audit.services import Interface
from mesoclinic.care import consent_plan, selectors
from mesoclinic.care import course as course_rules
from mesoclinic.care.models import AftercareText, ConsentText, ContraindicationRule, PatchTest
from mesoclinic.care.services import consents, courses, patch_tests, screening
from mesoclinic.care.tests.browser import watch
from mesoclinic.care.tests.worklist_fixtures import (  # noqa: F401 (the worklist's set-up)
    apply_test,
    due_everywhere,
    viewer,
)
from mesoclinic.conftest import ARTIFACTS
from mesoclinic.formulary import services as formulary_services
from mesoclinic.formulary.models import Protocol

# A signature that passes: two strokes across the pad.
SIGNATURE = (
    "[[[40,120],[80,80],[120,60],[160,100],[200,140],[280,70]],"
    "[[300,150],[360,120],[420,90],[470,110],[520,130]]]"
)


#: The migration that publishes the consent texts that name the plan (renumber with it).
CONSENT_PLAN_MIGRATION = "mesoclinic.care.migrations.0011_consent_plan"


@pytest.fixture
def consent_texts(db):
    """The published consent texts: v1, and v2 which names the plan (current)."""
    if not ConsentText.objects.exists():
        import_module("mesoclinic.care.migrations.0004_consent_texts_v1").forwards(
            django_apps, None
        )
    if not ConsentText.objects.filter(version=2).exists():
        import_module(CONSENT_PLAN_MIGRATION).publish_texts(django_apps)


@pytest.fixture
def consult(formulary_seed):
    """consult(user, patient, **overrides): record a consultation through the service."""

    def record(user, patient, **overrides):
        data = {
            "indication": "melasma",
            "pregnant": False,
            "breastfeeding": False,
            "may_become_pregnant": False,
            "fitzpatrick_type": 4,
            **overrides,
        }
        return screening.record_consultation(
            acting_user=user,
            via=Interface.WEB,
            patient=patient,
            data=screening.ConsultationInput(**data),
        )

    return record


@pytest.fixture
def screening_rules(db):
    """The seeded contraindication rules (transactional tests flush data-migration rows)."""
    if not ContraindicationRule.objects.exists():
        import_module("mesoclinic.care.migrations.0002_rules_v1").forwards(django_apps, None)


@pytest.fixture
def melasma_version(dermatologist, formulary_seed):
    """The seeded melasma protocol, approved by a credentialed dermatologist."""
    version = Protocol.objects.get(code="melasma-txa").versions.get()
    return formulary_services.approve_version(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        version=version,
        revision=version.revision,
        confirmed_unverified=True,
    )


def patch_test_applied_hours_ago(user, patient, lots, hours, *, site="behind_ear"):
    """A patch test applied and entered `hours` ago: applied now through the service, then the
    clock moved on (both its stated and its entry time are shifted back, as if it had been
    recorded then; stating it that far back today would need a dermatologist's attestation)."""
    test = patch_tests.apply_patch_test(
        acting_user=user, via=Interface.WEB, patient=patient, lots=lots, site=site
    )
    shift = timedelta(hours=hours)
    PatchTest.objects.filter(pk=test.pk).update(
        applied_at=F("applied_at") - shift, entered_at=F("entered_at") - shift
    )
    test.refresh_from_db()
    return test


def plan_course(user, patient, version, *, volume="2", reason="", start=None):
    """A course from `version` through the service: six sessions 14 days apart, maintenance
    90 days after the last, every component at `volume` mL (a dermatologist's `reason` passes
    a protocol limit)."""
    return courses.create_course(
        acting_user=user,
        via=Interface.WEB,
        patient=patient,
        version=version,
        plan=course_rules.Plan(sessions=6, interval_days=14, maintenance_days=90),
        start_date=start or date.today(),
        components=[
            courses.PlannedComponent(component=c, volume_per_session=Decimal(volume))
            for c in version.components.all()
        ],
        override_reason=reason,
    )


def chart_session(user, course, lot, *, volume="2", zones=("cheek_left",), **changes):
    """Chart a session of `course` now through the gate: 40 points, the melasma protocol's
    technique, today's answers "not pregnant, not breastfeeding" unless `changes` say so."""
    from mesoclinic.care.services import sessions

    now = timezone.now()
    data = {
        "lines": [sessions.Line(lot=lot, volume=Decimal(volume), zones=list(zones))],
        "points": 40,
        "technique": "papules",
        "depth": "Intradermal",
        "needle": "30G × 4 mm",
        "started_at": now,
        "ended_at": now,
        "pregnant_today": False,
        "breastfeeding_today": False,
        **changes,
    }
    return sessions.record_session(
        acting_user=user, via=Interface.WEB, course=course, data=sessions.SessionInput(**data)
    )


def consent_for(witness, patient, *, photos=False, language="en"):
    """Sign the current face-mesotherapy consent for `patient` (witnessed by `witness`), on
    their planned course, answering the separate photo question `photos`."""
    return consents.sign_consent(
        acting_user=witness,
        via=Interface.WEB,
        patient=patient,
        text=selectors.current_consent_text("mesotherapy_face"),
        language=language,
        signer_name=patient.full_name,
        signature_data=SIGNATURE,
        photo_consent=photos,
    )


@pytest.fixture
def plan(melasma_version):
    """plan(user, patient, sessions=4, interval_days=21): plan a melasma course (TXA 2 mL a
    session) on the patient's latest screening, through the service."""

    def make(user, patient, *, sessions=4, interval_days=21, maintenance_days=90):
        return courses.create_course(
            acting_user=user,
            via=Interface.WEB,
            patient=patient,
            version=melasma_version,
            plan=course_rules.Plan(sessions, interval_days, maintenance_days),
            start_date=date.today(),
            components=[
                courses.PlannedComponent(component=c, volume_per_session=Decimal("2"))
                for c in melasma_version.components.all()
            ],
        )

    return make


def shorten_plan(course, sessions: int) -> None:
    """Make `course` a plan of `sessions` sessions (below the protocols' minimum, so written
    directly) that its standing consent names, as if the patient had consented to it."""
    from mesoclinic.care.models import Consent, Course

    Course.objects.filter(pk=course.pk).update(sessions_planned=sessions)
    course.refresh_from_db()
    plan = selectors.plan_for_consent(course)
    Consent.objects.filter(course=course, invalidated_at__isnull=True).update(
        plan=plan, plan_digest=consent_plan.digest(plan)
    )


@pytest.fixture
def make_ready(
    dermatologist, receptionist, lot_a, consult, consent_texts, screening_rules, melasma_version
):
    """make_ready(patient, lot=lot_a, photos=False, consent_language="en", **consultation):
    screened for melasma with tranexamic acid (`consultation` adds to the consultation's
    input), patch-tested negative, with a six-session course and a consent on it answering the
    photo question `photos`: everything the gate asks for."""

    def make(patient, lot=None, *, photos=False, consent_language="en", **consultation):
        lot = lot or lot_a
        user = dermatologist.user
        consult(user, patient, planned_ingredients=["tranexamic_acid"], **consultation)
        test = patch_test_applied_hours_ago(user, patient, [lot], 30)
        patch_tests.read_patch_test(
            acting_user=user, via=Interface.WEB, patch_test=test, result="negative"
        )
        planned = courses.create_course(
            acting_user=user,
            via=Interface.WEB,
            patient=patient,
            version=melasma_version,
            plan=course_rules.Plan(sessions=6, interval_days=14, maintenance_days=90),
            start_date=date.today(),
            components=[
                courses.PlannedComponent(component=c, volume_per_session=Decimal("2"))
                for c in melasma_version.components.all()
            ],
        )
        # On the plan: it names the plan.
        consent_for(receptionist, patient, photos=photos, language=consent_language)
        return planned

    return make


@pytest.fixture
def shipped_care_data(formulary_seed, consent_texts, screening_rules):
    """Everything the care migrations load (transactional and browser tests flush it)."""
    if not AftercareText.objects.exists():
        import_module("mesoclinic.care.migrations.0007_aftercare_v1").forwards(django_apps, None)
        import_module("mesoclinic.care.migrations.0010_worklist").forwards(django_apps, None)


@pytest.fixture
def js_errors(page):
    """Script and server errors on the test's page; a browser test asserts it stays empty."""
    errors = []
    watch(page, errors)
    return errors


@pytest.fixture
def shots(request):
    """shots(page, "step"): a full-page PNG of any page (desktop or tablet), numbered in
    order, in the folder the `screenshot` fixture uses."""
    folder = ARTIFACTS / "screenshots" / connection.vendor / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    step = iter(range(1, 100))

    def take(page, name):
        path = folder / f"{next(step):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def course_to_book(dermatologist, make_patient, clinic_a, consult, plan):
    """Clinic A open every day 09:00–17:00 with Dr Derm_A; a patient screened for melasma
    with a four-session course, 21 days apart, maintenance 90 days after the last."""
    open_every_day(clinic_a, [dermatologist])
    patient = make_patient(clinic_a)
    consult(dermatologist.user, patient, planned_ingredients=["tranexamic_acid"])
    return plan(dermatologist.user, patient, sessions=4, interval_days=21)
