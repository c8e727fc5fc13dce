"""Reads of the appointment book: free slots (at a clinic, in a city, with one practitioner or
any who may take the type), a clinic's appointments over a day or a week, and one appointment
for a user (404 outside their scope)."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.appointments import facts, series, slots
from mesoclinic.appointments.availability import Interval
from mesoclinic.appointments.models import ACTIVE, Appointment, AppointmentType
from mesoclinic.clinics import scoping
from mesoclinic.clinics.models import Clinic

#: The longest range one slot search covers: a course is booked occurrence by occurrence.
MAX_SEARCH_DAYS = 31


def slot_step() -> timedelta:
    """The grid slots start on (15 minutes unless APPOINTMENT_SLOT_STEP_MINUTES says)."""
    return timedelta(minutes=getattr(settings, "APPOINTMENT_SLOT_STEP_MINUTES", 15))


def check_range(first: date, last: date) -> None:
    today = timezone.localdate()
    if abs(first - today) > facts.REACH or abs(last - today) > facts.REACH:
        raise ValidationError({"from": _("Search within two years of today.")})
    if last < first:
        raise ValidationError({"to": _("The end of the range comes before its start.")})
    if (last - first).days >= MAX_SEARCH_DAYS:
        raise ValidationError(
            {"to": _("Search at most %(days)d days at a time.") % {"days": MAX_SEARCH_DAYS}}
        )


def type_of(clinic_id: int, code: str) -> AppointmentType | None:
    return AppointmentType.objects.filter(clinic_id=clinic_id, code=code, is_active=True).first()


def find_slots(
    *,
    appointment_type: AppointmentType,
    first: date,
    last: date,
    practitioner=None,
    patient_id: int | None = None,
    one_per_start: bool = False,
    limit: int | None = None,
) -> list[slots.Slot]:
    """Free slots of `appointment_type` at its clinic from `first` to `last` (local dates),
    with `practitioner` or any who may take it (credentialed on the first day; days after a
    registration's expiry offer none). About ten queries, whatever the range."""
    check_range(first, last)
    candidates = list(facts.eligible_practitioners(appointment_type, on=first))
    if practitioner is not None:
        candidates = [p for p in candidates if p.pk == practitioner.pk]
        if not candidates:
            return []
    kind = facts.kind_of(appointment_type)
    book = facts.gather(
        clinic_id=appointment_type.clinic_id,
        first=first,
        last=last,
        practitioners=candidates if kind.needs_practitioner else (),
        room_ids=facts.active_room_ids(appointment_type.clinic_id) if kind.needs_room else (),
        patient_id=patient_id,
    )
    return slots.free_slots(
        kind=kind,
        practitioners=book.practitioners,
        rooms=book.rooms,
        clinic=book.clinic,
        patient_busy=book.patient_busy,
        window=book.window,
        step=slot_step(),
        not_before=timezone.now(),
        one_per_start=one_per_start,
        limit=limit,
    )


def find_slots_in_city(
    *, city: str, code: str, first: date, last: date, limit_per_clinic: int = 20
) -> list[tuple[Clinic, slots.Slot]]:
    """Free slots of the type `code` at every active clinic of `city`, clinic by clinic."""
    found = []
    for clinic in Clinic.objects.filter(city__iexact=city, is_active=True).order_by("name"):
        appointment_type = type_of(clinic.pk, code)
        if appointment_type is None:
            continue
        for slot in find_slots(
            appointment_type=appointment_type,
            first=first,
            last=last,
            one_per_start=True,
            limit=limit_per_clinic,
        ):
            found.append((clinic, slot))
    return found


def appointments_for_user(user):
    """Every appointment `user` may see (the schedule kind, by the appointment's clinic)."""
    return Appointment.objects.for_user(user)


def book_between(user, *, clinic_id: int, start, end, practitioner_id=None, room_id=None):
    """The appointments of a clinic starting in [start, end), for the day and week views:
    one query with the type, patient, practitioner and room. Cancelled ones are left out;
    no-shows stay, so the day shows who did not come."""
    rows = (
        appointments_for_user(user)
        .filter(clinic_id=clinic_id, starts_at__gte=start, starts_at__lt=end)
        .exclude(status="cancelled")
        .select_related("type", "patient", "enquiry", "practitioner__user", "room")
        .order_by("starts_at", "id")
    )
    if practitioner_id is not None:
        rows = rows.filter(practitioner_id=practitioner_id)
    if room_id is not None:
        rows = rows.filter(room_id=room_id)
    return rows


def get_appointment_for_user(user, pk, *, via: str) -> Appointment:
    """One appointment, or the audited 404 whether it is missing or outside the user's scope."""
    appointment = (
        appointments_for_user(user)
        .select_related("type", "clinic", "patient", "enquiry", "practitioner__user", "room")
        .filter(pk=pk)
        .first()
    )
    if appointment is None:
        raise scoping.denied(user, Appointment, pk, via=via)
    return appointment


def active_for_patient(patient_id: int):
    """A patient's appointments still to come, in time order."""
    return Appointment.objects.filter(
        patient_id=patient_id, status__in=ACTIVE, starts_at__gte=timezone.now()
    ).order_by("starts_at", "id")


def series_rows(series_id: int, *, lock: bool = False) -> list[Appointment]:
    """A series' appointments that hold their time, in time order (locked: `of=self`, so the
    joined rows are not)."""
    rows = Appointment.objects.filter(series_id=series_id, status__in=ACTIVE).select_related(
        "type", "practitioner__user"
    )
    if lock:
        rows = rows.select_for_update(of=("self",))
    return list(rows.order_by("starts_at", "id"))


def step_of(row: Appointment, start=None) -> series.Step:
    """One occurrence of a series as the gap rule sees it (at `start` if given): its label,
    its gap from the previous occurrence and its window, as booked."""
    gap = None
    if row.gap_min_days is not None and row.gap_max_days is not None:
        gap = series.Gap(row.gap_min_days, row.gap_max_days)
    window = None
    if row.window_opens_at and row.window_closes_at:
        window = Interval(row.window_opens_at, row.window_closes_at)
    return series.Step(row.label or str(row.pk), start or row.starts_at, gap, window)
