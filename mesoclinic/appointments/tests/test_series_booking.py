"""A course booked in one action (all or nothing, every failing date named with alternatives)
and one session moved with or without the ones after it."""

from datetime import timedelta

import pytest

from mesoclinic.appointments import series_booking, services
from mesoclinic.appointments.availability import Interval
from mesoclinic.appointments.models import Appointment, Closure, Series, Status
from mesoclinic.appointments.series import Gap
from mesoclinic.appointments.series_booking import Occurrence
from mesoclinic.appointments.tests.fixtures import at, come_the_day
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface

pytestmark = pytest.mark.django_db

FORTNIGHTLY = Gap(14, 28)


def sessions(ready, count=4, hour=11, every=14, first_day=None):
    first_day = first_day or ready.day
    return [
        Occurrence(
            code="session",
            start=at(first_day + timedelta(days=every * n), hour),
            label=f"Session {n + 1} of {count}",
            gap=FORTNIGHTLY if n else None,
        )
        for n in range(count)
    ]


def book_series(ready, user, occurrences):
    return series_booking.book_series(
        acting_user=user,
        clinic=ready.clinic,
        patient=ready.patient,
        occurrences=occurrences,
        course_id=77,
        via=Interface.WEB,
    )


def refused_series(ready, user, occurrences) -> services.BookingRefused:
    before = Appointment.objects.count()
    with pytest.raises(services.BookingRefused) as caught:
        book_series(ready, user, occurrences)
    assert Appointment.objects.count() == before
    assert not Series.objects.exists()
    return caught.value


def take(ready, user, start, patient):
    return services.book(
        acting_user=user,
        clinic=ready.clinic,
        appointment_type=ready.type("session"),
        start=start,
        patient=patient,
    )


def test_it_books_every_occurrence_in_one_series_audited(ready, receptionist):
    booked = book_series(ready, receptionist, sessions(ready))

    rows = list(booked.appointments.order_by("starts_at"))
    assert [r.label for r in rows] == [f"Session {n} of 4" for n in range(1, 5)]
    assert all(r.practitioner == ready.doctor and r.room == ready.room for r in rows)
    assert booked.course_id == 77
    assert (rows[1].gap_min_days, rows[1].gap_max_days) == (14, 28)
    assert rows[0].gap_min_days is None
    created = AuditEvent.objects.filter(action="create", object_type="appointments.appointment")
    assert created.count() == 4
    assert AuditEvent.objects.filter(object_type="appointments.series").exists()


def test_it_refuses_the_whole_course_for_one_clash_naming_it_with_alternatives(
    ready, receptionist, make_patient
):
    other = make_patient(ready.clinic)
    clash = take(ready, receptionist, at(ready.day + timedelta(days=14), 11), other)

    refused = refused_series(ready, receptionist, sessions(ready))

    assert Appointment.objects.get() == clash
    (refusal,) = {r.occurrence: r for r in refused.refusals}.values()
    assert refusal.occurrence.startswith("Session 2 of 4 (")
    assert refusal.code == "clash"
    assert refusal.alternatives
    first = at(ready.day, 11)
    for slot in refusal.alternatives:
        days = (slot.start.date() - first.date()).days
        assert 14 <= days <= 28
        assert not Interval(slot.start - timedelta(minutes=5), slot.end).overlaps(
            Interval(clash.blocked_from, clash.blocked_until)
        )
    # The nearest first: the same day, an hour either side of the clash (earlier on a tie).
    assert [s.start for s in refusal.alternatives[:2]] == [
        clash.starts_at - timedelta(hours=1),
        clash.starts_at + timedelta(hours=1),
    ]


def test_it_names_every_clashing_date(ready, receptionist, make_patient):
    other = make_patient(ready.clinic)
    take(ready, receptionist, at(ready.day + timedelta(days=14), 11), other)
    take(ready, receptionist, at(ready.day + timedelta(days=42), 11, 30), other)

    refused = refused_series(ready, receptionist, sessions(ready))

    named = {r.occurrence.split(" (")[0] for r in refused.refusals}
    assert named == {"Session 2 of 4", "Session 4 of 4"}
    assert all(r.alternatives for r in refused.refusals)
    assert len(refused.messages) == len(refused.refusals)


def test_it_refuses_intervals_that_cannot_be_met(ready, receptionist):
    # Closed on every day session 2 may fall on (14 to 28 days after session 1).
    Closure.objects.create(
        clinic=ready.clinic,
        first=ready.day + timedelta(days=14),
        last=ready.day + timedelta(days=28),
        label="Renovation",
    )

    refused = refused_series(ready, receptionist, sessions(ready))

    session_2 = [r for r in refused.refusals if r.occurrence.startswith("Session 2")]
    assert session_2 and session_2[0].code == "closure"
    assert session_2[0].alternatives == ()
    assert "Renovation" in session_2[0].message


def test_it_refuses_a_gap_out_of_range(ready, receptionist):
    refused = refused_series(ready, receptionist, sessions(ready, every=10))

    assert {r.code for r in refused.refusals} == {"gap"}
    assert "14–28 days" in refused.refusals[0].message


def test_it_books_the_patch_read_inside_its_window_and_refuses_it_outside(ready, receptionist):
    window = Interval(at(ready.day - timedelta(days=2), 9), at(ready.day - timedelta(days=1), 17))
    read = Occurrence("patch_read", at(ready.day - timedelta(days=1), 10), "Patch-test reading")
    inside = [replace_window(read, window), *sessions(ready, count=2)]

    booked = book_series(ready, receptionist, inside)

    first = booked.appointments.order_by("starts_at").first()
    assert first.type.code == "patch_read" and first.window_opens_at == window.start
    Appointment.objects.all().delete()
    Series.objects.all().delete()

    late = Interval(window.start, at(ready.day - timedelta(days=2), 17))
    refused = refused_series(ready, receptionist, [replace_window(read, late), *sessions(ready)])

    assert [r.code for r in refused.refusals] == ["window"]
    assert all(late.start <= s.start < late.end for s in refused.refusals[0].alternatives)
    assert refused.refusals[0].alternatives


def replace_window(occurrence, window):
    from dataclasses import replace

    return replace(occurrence, window=window)


def test_it_counts_the_series_own_earlier_occurrences_as_busy(ready, receptionist):
    read = Occurrence("patch_read", at(ready.day, 10), "Patch-test reading")
    session = Occurrence("session", at(ready.day, 10, 5), "Session 1 of 1", gap=Gap(0, 0))

    refused = refused_series(ready, receptionist, [read, session])

    assert {(r.code, r.resource) for r in refused.refusals} >= {("clash", "patient")}
    assert all(r.occurrence.startswith("Session 1 of 1") for r in refused.refusals)


def test_it_moves_one_session_within_its_gaps_alone(ready, receptionist):
    booked = book_series(ready, receptionist, sessions(ready))
    rows = list(booked.appointments.order_by("starts_at"))

    moved = series_booking.move_in_series(
        acting_user=receptionist,
        appointment=rows[3],
        start=rows[3].starts_at + timedelta(days=3),
        shift_following=False,
        via=Interface.WEB,
    )

    assert [m.pk for m in moved] == [rows[3].pk]
    after = list(booked.appointments.order_by("starts_at"))
    assert after[3].starts_at == rows[3].starts_at + timedelta(days=3)
    assert [r.starts_at for r in after[:3]] == [r.starts_at for r in rows[:3]]


def test_it_refuses_a_move_breaking_the_next_gap_unless_the_following_shift(ready, receptionist):
    booked = book_series(ready, receptionist, sessions(ready))
    rows = list(booked.appointments.order_by("starts_at"))
    later = rows[1].starts_at + timedelta(days=10)

    with pytest.raises(services.BookingRefused) as caught:
        series_booking.move_in_series(
            acting_user=receptionist,
            appointment=rows[1],
            start=later,
            shift_following=False,
            via=Interface.WEB,
        )
    assert [r.occurrence.split(" (")[0] for r in caught.value.refusals] == ["Session 3 of 4"]
    assert Appointment.objects.get(pk=rows[1].pk).starts_at == rows[1].starts_at

    proposal = series_booking.following_proposal(rows[1], later)
    assert [(row.pk, start) for row, start in proposal] == [
        (rows[2].pk, rows[2].starts_at + timedelta(days=10)),
        (rows[3].pk, rows[3].starts_at + timedelta(days=10)),
    ]

    moved = series_booking.move_in_series(
        acting_user=receptionist,
        appointment=rows[1],
        start=later,
        shift_following=True,
        via=Interface.WEB,
    )

    assert [m.starts_at for m in moved] == [later, *(start for _, start in proposal)]
    assert all(m.version == 2 for m in moved)


def test_it_moves_none_when_one_of_the_following_clashes(ready, receptionist, make_patient):
    booked = book_series(ready, receptionist, sessions(ready))
    rows = list(booked.appointments.order_by("starts_at"))
    later = rows[1].starts_at + timedelta(days=10)
    other = make_patient(ready.clinic)
    take(ready, receptionist, rows[3].starts_at + timedelta(days=10), other)

    with pytest.raises(services.BookingRefused) as caught:
        series_booking.move_in_series(
            acting_user=receptionist,
            appointment=rows[1],
            start=later,
            shift_following=True,
            via=Interface.WEB,
        )

    assert {r.occurrence.split(" (")[0] for r in caught.value.refusals} == {"Session 4 of 4"}
    assert caught.value.refusals[0].alternatives
    assert [r.starts_at for r in booked.appointments.order_by("starts_at")] == [
        r.starts_at for r in rows
    ]


def test_it_refuses_to_move_a_completed_session(ready, receptionist):
    booked = book_series(ready, receptionist, sessions(ready, count=2))
    first = come_the_day(booked.appointments.order_by("starts_at").first())
    services.complete(acting_user=receptionist, appointment=first)

    with pytest.raises(services.BookingRefused):
        series_booking.move_in_series(
            acting_user=receptionist,
            appointment=first,
            start=first.starts_at + timedelta(days=1),
            shift_following=True,
            via=Interface.WEB,
        )
    assert Appointment.objects.get(pk=first.pk).status == Status.COMPLETED
