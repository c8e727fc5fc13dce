"""The worklist's shared set-up: records due everywhere (patch tests to read, a consent to
take, sessions due), for the worklist's own tests (care) and the dashboard's (desk).

Records are made through the services at the present moment; the time they describe is then
moved back (`hours_pass`, `days_pass`) as the clock would have moved it, since the services
rightly refuse to backdate much. The fixtures reach a test module through its folder's
conftest (care/tests, desk/tests)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from mesoclinic.audit.services import Interface
from mesoclinic.care import course as course_rules
from mesoclinic.care.models import Consent, Course, PatchTest
from mesoclinic.care.services import courses, patch_tests


def hours_pass(test: PatchTest, hours: float) -> PatchTest:
    """`hours` have passed since the test was applied."""
    moved = test.applied_at - timedelta(hours=hours)
    PatchTest.objects.filter(pk=test.pk).update(applied_at=moved, entered_at=moved)
    test.refresh_from_db()
    return test


def days_pass(course: Course, days: int) -> Course:
    """`days` have passed since the course was planned, none of its sessions charted (with
    negative days: its dates lie that far ahead, the plan entered today)."""
    shift = timedelta(days=days)
    Course.objects.filter(pk=course.pk).update(
        start_date=course.start_date - shift,
        maintenance_due=course.maintenance_due - shift,
        session_dates=[(date.fromisoformat(d) - shift).isoformat() for d in course.session_dates],
        entered_at=course.entered_at - max(shift, timedelta(0)),
    )
    course.refresh_from_db()
    return course


@pytest.fixture
def apply_test(dermatologist, lot_a):
    def apply(patient, hours_ago, lot=None):
        test = patch_tests.apply_patch_test(
            acting_user=dermatologist.user,
            via=Interface.WEB,
            patient=patient,
            lots=[lot or lot_a],
            site="behind_ear",
        )
        return hours_pass(test, hours_ago)

    return apply


@pytest.fixture
def due_everywhere(
    make_patient,
    clinic_a,
    clinic_b,
    apply_test,
    consult,
    dermatologist,
    make_ready,
    make_lot,
    txa,
    melasma_version,
):
    """At clinic A: a patch test open now (30 h into a 24–72 h window), one closing in 4 h, one
    missed (closed 8 h ago); a screened patient without consent; a course due today and one
    whose first session was due 20 days ago. At clinic B: a patch test open and a consent
    waiting, for a patient clinic A must not see."""
    people = {
        name: make_patient(clinic_a, first_name=name, last_name="Worklist")
        for name in ("Open", "Closing", "Missed", "Unconsented", "Weekly", "Overdue")
    }
    tests = {
        "open": apply_test(people["Open"], 30),
        "closing_soon": apply_test(people["Closing"], 68),
        "missed": apply_test(people["Missed"], 80),
    }
    # Planned, and the consent on the plan ended when its products, sessions or interval
    # changed (set up directly): a consent to take again.
    # Its first session is a month away, so it waits only for the consent.
    unconsented = days_pass(make_ready(people["Unconsented"]), -30)
    Consent.objects.filter(course=unconsented).update(
        invalidated_at=timezone.now(), invalidated_reason="Plan changed."
    )
    this_week = make_ready(people["Weekly"])
    overdue = days_pass(make_ready(people["Overdue"]), 20)
    other = make_patient(clinic_b, first_name="Elsewhere", last_name="Lahore")
    other_lot = make_lot(clinic_b, txa, "TXA-B1")
    doctor_b = also_at_clinic_b(dermatologist, clinic_b)
    other_test = patch_tests.apply_patch_test(
        acting_user=doctor_b, via=Interface.WEB, patient=other, lots=[other_lot], site="behind_ear"
    )
    hours_pass(other_test, 30)
    consult(doctor_b, other)
    courses.create_course(  # planned, not yet consented
        acting_user=doctor_b,
        via=Interface.WEB,
        patient=other,
        version=melasma_version,
        plan=course_rules.Plan(sessions=6, interval_days=14, maintenance_days=90),
        start_date=timezone.localdate() + timedelta(days=30),
        components=[
            courses.PlannedComponent(component=c, volume_per_session=Decimal("2"))
            for c in melasma_version.components.all()
        ],
    )
    return {
        "people": people,
        "tests": tests,
        "unconsented": unconsented,
        "this_week": this_week,
        "overdue": overdue,
        "other": other,
    }


def also_at_clinic_b(dermatologist, clinic_b):
    """Clinic A's dermatologist also works at clinic B, to record B's patient there; the
    viewers in these tests are other people."""
    from mesoclinic.clinics.models import Membership

    Membership.objects.create(user=dermatologist.user, clinic=clinic_b)
    return dermatologist.user


@pytest.fixture
def viewer(make_practitioner, clinic_a):
    """A practitioner at clinic A only."""
    return make_practitioner("viewer_a", clinic_a).user
