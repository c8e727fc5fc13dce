"""The clinic's worklist (care.worklist): patch tests to read (window closing soon, open,
missed), consents to take, sessions due this week and overdue; scoped to the viewer's clinics.
The dashboard that shows it, without clinical detail for receptionists and in a fixed number of
queries, is tested in desk/tests/test_dashboard.py; the shared set-up is worklist_fixtures.py."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from mesoclinic.audit.services import Interface
from mesoclinic.care import due
from mesoclinic.care.models import Course
from mesoclinic.care.services import course_status, patch_tests
from mesoclinic.care.worklist import CLOSING_SOON, MISSED_FOR, worklists

pytestmark = pytest.mark.django_db


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
