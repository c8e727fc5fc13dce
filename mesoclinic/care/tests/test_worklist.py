"""The clinic's worklist on the dashboard: patch tests to read (window closing soon, open,
missed), consents to take, sessions due this week and overdue; scoped to the viewer's clinics,
without clinical detail for receptionists, in a fixed number of queries.

Records are made through the services at the present moment; the time they describe is then
moved back (`hours_pass`, `days_pass`) as the clock would have moved it, since the services
rightly refuse to backdate much."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from mesoclinic.audit.services import Interface
from mesoclinic.care import course as course_rules
from mesoclinic.care import due
from mesoclinic.care.models import Consent, Course, PatchTest
from mesoclinic.care.services import courses, patch_tests
from mesoclinic.care.worklist import CLOSING_SOON, MISSED_FOR, worklists

pytestmark = pytest.mark.django_db


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
    doctor_b = _doctor_b(dermatologist, clinic_b)
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


def _doctor_b(dermatologist, clinic_b):
    """Clinic A's dermatologist also works at clinic B, to record B's patient there; the
    viewers in these tests are other people."""
    from mesoclinic.clinics.models import Membership

    Membership.objects.create(user=dermatologist.user, clinic=clinic_b)
    return dermatologist.user


@pytest.fixture
def viewer(make_practitioner, clinic_a):
    """A practitioner at clinic A only."""
    return make_practitioner("viewer_a", clinic_a).user


def _names(entries):
    return [entry.patient.first_name for entry in entries]


def test_it_puts_each_record_in_its_bucket(viewer, clinic_a, clinic_b, due_everywhere):
    lists = worklists(viewer, [clinic_a.pk])
    mine = lists[clinic_a.pk]
    assert _names(mine.open) == ["Open"]
    assert _names(mine.closing_soon) == ["Closing"]
    assert _names(mine.missed) == ["Missed"]
    assert _names(mine.consents) == ["Unconsented"]
    assert _names(mine.this_week) == ["Weekly"]
    assert _names(mine.overdue) == ["Overdue"]
    assert mine.overdue[0].at == due_everywhere["overdue"].start_date
    assert mine.this_week[0].at == timezone.localdate()
    assert mine.closing_soon[0].ends_at == due_everywhere["tests"]["closing_soon"].applied_at + (
        timedelta(hours=72)
    )


def test_it_leaves_out_another_clinics_items(viewer, clinic_a, clinic_b, due_everywhere):
    # Even asked for clinic B, the one scoping rule gives a clinic A practitioner nothing.
    lists = worklists(viewer, [clinic_a.pk, clinic_b.pk])
    assert lists[clinic_b.pk].total == 0
    everything = [e for w in lists.values() for name in _LISTS for e in getattr(w, name)]
    assert "Elsewhere" not in _names(everything)


def test_an_administrator_sees_each_clinics_items_on_its_own_card(
    administrator, clinic_a, clinic_b, due_everywhere
):
    lists = worklists(administrator, [clinic_a.pk, clinic_b.pk])
    assert _names(lists[clinic_b.pk].open) == ["Elsewhere"]
    assert _names(lists[clinic_b.pk].consents) == ["Elsewhere"]
    assert "Elsewhere" not in _names(lists[clinic_a.pk].open + lists[clinic_a.pk].consents)


_LISTS = ("closing_soon", "open", "missed", "consents", "overdue", "this_week")


def test_a_read_test_a_signed_consent_and_a_charted_session_leave_the_list(
    viewer, dermatologist, receptionist, clinic_a, due_everywhere
):
    from mesoclinic.care.tests.conftest import consent_for

    patch_tests.read_patch_test(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        patch_test=due_everywhere["tests"]["open"],
        result="negative",
    )
    consent_for(receptionist, due_everywhere["people"]["Unconsented"])
    mine = worklists(viewer, [clinic_a.pk])[clinic_a.pk]
    assert mine.open == [] and mine.consents == []


def test_a_screening_without_a_plan_or_an_ended_course_waits_for_no_consent(
    viewer, dermatologist, clinic_a, make_patient, consult, make_ready
):
    """The consent names the plan: a screened patient waits for a plan first, and a cancelled
    course waits for nothing."""
    from mesoclinic.care.services import course_status

    consult(dermatologist.user, make_patient(clinic_a, first_name="Unplanned"))
    finished = make_patient(clinic_a, first_name="Finished")
    plan = make_ready(finished)
    course_status.set_course_status(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        course=plan,
        status=Course.Status.CANCELLED,
        reason="Moved abroad",
    )
    mine = worklists(viewer, [clinic_a.pk])[clinic_a.pk]
    assert mine.consents == [] and mine.this_week == []


def test_the_dashboard_lists_the_worklist_with_links_for_a_practitioner(
    client, viewer, clinic_a, due_everywhere
):
    client.force_login(viewer)
    page = client.get(reverse("dashboard")).text
    tests = due_everywhere["tests"]
    for key, test in tests.items():
        assert f'data-list="{key}"' in page
        assert reverse("care:patch_test", args=[test.pk]) in page
    assert reverse("care:course", args=[due_everywhere["overdue"].pk]) in page
    assert reverse("care:course", args=[due_everywhere["this_week"].pk]) in page
    assert reverse("care:course", args=[due_everywhere["unconsented"].pk]) in page
    assert "Melasma" in page  # the course's protocol
    assert "Elsewhere" not in page


def test_a_receptionist_sees_consents_and_sessions_to_book_but_no_clinical_detail(
    client, receptionist, clinic_a, due_everywhere
):
    client.force_login(receptionist)
    page = client.get(reverse("dashboard")).text
    assert 'data-list="consents"' in page and 'data-list="overdue"' in page
    assert "Unconsented" in page and "Overdue" in page and "Weekly" in page
    assert reverse("care:consent_new", args=[due_everywhere["people"]["Unconsented"].pk]) in page
    # No patch tests, no protocol, no links to clinical records.
    for absent in ("Patch tests to read", "Melasma", "/care/patch-tests/", "/care/courses/"):
        assert absent not in page
    assert "/care/consultations/" not in page
    assert "Open Worklist" not in page


def test_the_dashboard_reads_the_worklist_in_the_same_number_of_queries_however_many(
    client,
    viewer,
    clinic_a,
    make_patient,
    apply_test,
    consult,
    dermatologist,
    make_ready,
    django_assert_num_queries,
):
    def add_one_of_each(n):
        patient = make_patient(clinic_a, first_name=f"Test{n}")
        apply_test(patient, 30)
        waiting = days_pass(make_ready(make_patient(clinic_a, first_name=f"Consent{n}")), -30)
        Consent.objects.filter(course=waiting).update(
            invalidated_at=timezone.now(), invalidated_reason="Plan changed."
        )
        make_ready(make_patient(clinic_a, first_name=f"Course{n}"))

    client.force_login(viewer)
    client.get(reverse("dashboard"))  # warm: the content types the audit row names
    add_one_of_each(1)
    # session, user, groups, the clinics with their counts, the unread patch tests, the
    # courses waiting for consent, the active courses with their charted count, the audit row
    # for the names shown
    with django_assert_num_queries(8):
        one = client.get(reverse("dashboard"))
    for n in range(2, 5):
        add_one_of_each(n)
    with django_assert_num_queries(8):
        four = client.get(reverse("dashboard"))
    first = one.context["clinics"][0].worklist
    last = four.context["clinics"][0].worklist
    assert (len(first.open), len(first.consents), len(first.this_week)) == (1, 1, 1)
    assert (len(last.open), len(last.consents), len(last.this_week)) == (4, 4, 4)


def test_a_receptionists_dashboard_reads_no_patch_tests(
    client, receptionist, clinic_a, due_everywhere, django_assert_num_queries
):
    client.force_login(receptionist)
    # session, user, groups, clinics, courses waiting for consent, courses, audit row
    with django_assert_num_queries(7):
        client.get(reverse("dashboard"))


def test_a_dashboard_with_nothing_due_says_so(client, viewer, clinic_a):
    client.force_login(viewer)
    assert 'data-list="empty"' in client.get(reverse("dashboard")).text


# --- the pure rule -------------------------------------------------------------------------

T0 = datetime(2026, 12, 6, 9, 0)


def _where(hours_after_application, opens=24, closes=72):
    window = due.patch_window(T0, opens_hours=opens, closes_hours=closes)
    now = T0 + timedelta(hours=hours_after_application)
    return due.patch_due(window, now=now, closing_soon=CLOSING_SOON, missed_for=MISSED_FOR)


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (23.99, None),  # not open yet
        (24, due.PatchDue.OPEN),  # opens: read from now
        (59.99, due.PatchDue.OPEN),
        (60, due.PatchDue.CLOSING_SOON),  # 12 h left
        (72, due.PatchDue.CLOSING_SOON),  # the last moment a reading counts
        (72.01, due.PatchDue.MISSED),
        (72 + 24 * 7, due.PatchDue.MISSED),
        (72 + 24 * 7 + 0.01, None),  # dropped off the list
    ],
)
def test_it_places_a_patch_test_by_the_hour(hours, expected):
    assert _where(hours) == expected


@given(
    opens=st.integers(0, 335),
    length=st.integers(1, 336),
    hours=st.floats(-10, 24 * 30, allow_nan=False),
)
@example(opens=0, length=1, hours=0)
def test_it_never_lists_a_test_outside_its_window_as_readable(opens, length, hours):
    where = _where(hours, opens=opens, closes=opens + length)
    readable = where in (due.PatchDue.OPEN, due.PatchDue.CLOSING_SOON)
    # Times have microsecond resolution: -6.5e-82 hours is the moment of application itself.
    elapsed = timedelta(hours=hours)
    assert readable == (timedelta(hours=opens) <= elapsed <= timedelta(hours=opens + length))


@pytest.mark.parametrize(
    ("dates", "charted", "expected"),
    [
        (["2026-12-06", "2026-12-20"], 0, date(2026, 12, 6)),
        (["2026-12-06", "2026-12-20"], 1, date(2026, 12, 20)),
        (["2026-12-06", "2026-12-20"], 2, None),  # all charted
        (["not a date"], 0, None),
    ],
)
def test_it_finds_the_next_target_date(dates, charted, expected):
    assert due.next_target(dates, charted) == expected


@pytest.mark.parametrize(
    ("days_from_today", "expected"),
    [
        (-1, due.SessionDue.OVERDUE),
        (0, due.SessionDue.THIS_WEEK),
        (6, due.SessionDue.THIS_WEEK),
        (7, None),
    ],
)
def test_it_places_a_session_by_its_target_date(days_from_today, expected):
    today = date(2026, 12, 6)
    target = today + timedelta(days=days_from_today)
    assert due.session_due(target, today=today, week_days=7) == expected


def test_the_worklist_speaks_urdu_on_urdu_pages(client, viewer, clinic_a, due_everywhere):
    from django.conf import settings

    client.force_login(viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    page = client.get(reverse("dashboard")).text
    assert "آج کے کام" in page and "پڑھنے کے لیے پیچ ٹیسٹ" in page and "تاخیر شدہ" in page
