"""Slot: the free times of a Schedule, worked out when asked by the same rules the booking page
offers (`facts.gather` reads the book, `slots.free_slots` leaves what `slots.check` accepts),
never stored: a computed type (registry.Computed).

A search needs `schedule` (at most MAX_SCHEDULES) and covers `start` (today onwards, a week
by default, at most MAX_DAYS): a constant number of queries per schedule (the book read once
for every type the practitioner may take, and one eligibility check per type). The id names
the schedule, the type and the start; reading one re-checks it, so a slot taken since is 404.
Pages are offsets into the time-ordered slots (a slot booked meanwhile shifts the next page by
one): the `_cursor` is the server's, as for every type."""

from datetime import datetime, timedelta

from django.utils import timezone

from mesoclinic.appointments import facts, slots
from mesoclinic.appointments import selectors as appointment_selectors
from mesoclinic.appointments.models import AppointmentType
from mesoclinic.fhir import search
from mesoclinic.fhir.mapping.scheduling import (
    APPOINTMENT_TYPE_SYSTEM,
    SlotKey,
    parse_slot_id,
    slot_resource,
)
from mesoclinic.fhir.outcome import invalid
from mesoclinic.fhir.registry import Computed, ResourceType, SearchParam, register
from mesoclinic.fhir.resources.scheduling import visible_schedules
from mesoclinic.fhir.selectors import Page

SP = "http://hl7.org/fhir/SearchParameter/"
DEFAULT_DAYS = 7
MAX_DAYS = appointment_selectors.MAX_SEARCH_DAYS
MAX_SCHEDULES = 10


def eligible_types(membership, types, on) -> list[AppointmentType]:
    """The types of the membership's clinic its practitioner may take on `on` (one query each:
    `facts.eligible_practitioners` is the one definition). Types that need nobody are the
    clinic's, not a practitioner's: they have no Slot on a Schedule."""
    practitioner = membership.user.practitioner
    return [
        kind
        for kind in types
        if kind.clinic_id == membership.clinic_id
        and facts.kind_of(kind).needs_practitioner
        and facts.eligible_practitioners(kind, on=on).filter(pk=practitioner.pk).exists()
    ]


def free(membership, types, first, last, *, lo: datetime, hi: datetime):
    """(key, end, type) of every free slot of `types` on `membership`'s schedule starting in
    [lo, hi), over the local dates first..last: the book read once for all the types."""
    if not types:
        return []
    kinds = [(kind, facts.kind_of(kind)) for kind in types]
    rooms = (
        facts.active_room_ids(membership.clinic_id) if any(k.needs_room for _, k in kinds) else ()
    )
    book = facts.gather(
        clinic_id=membership.clinic_id,
        first=first,
        last=last,
        practitioners=[membership.user.practitioner],
        room_ids=rooms,
    )
    found = []
    for appointment_type, kind in kinds:
        for slot in slots.free_slots(
            kind=kind,
            practitioners=book.practitioners,
            rooms=book.rooms,
            clinic=book.clinic,
            window=book.window,
            step=appointment_selectors.slot_step(),
            not_before=max(lo, timezone.now()),
        ):
            if slot.start < hi:
                found.append(
                    (
                        SlotKey(membership.pk, appointment_type.pk, slot.start),
                        slot.end,
                        appointment_type,
                    )
                )
    return found


def _resource(item) -> dict:
    key, end, appointment_type = item
    return slot_resource(
        key, end=end, code=appointment_type.code, display=appointment_type.get_code_display()
    )


def _window(values: list[str]) -> tuple[datetime, datetime]:
    """The [lo, hi) the `start` values bound (ANDed), from now and a week long by default."""
    zone = facts.local_zone()
    lo = hi = None
    for value in values:
        parts = search.split_or(value)
        if len(parts) != 1:
            raise invalid("Slot start takes one range per value: repeat start to bound it.")
        span = search.parse_date(parts[0], zone)
        starts = {"eq": span.start, "ap": span.start, "ge": span.start}
        starts |= {"gt": span.end, "sa": span.end}
        ends = {"eq": span.end, "ap": span.end, "le": span.end, "lt": span.start, "eb": span.start}
        if span.prefix not in starts and span.prefix not in ends:
            raise invalid("Slot start takes eq, ge, gt, sa, le, lt or eb.")
        if span.prefix in starts:
            lo = starts[span.prefix] if lo is None else max(lo, starts[span.prefix])
        if span.prefix in ends:
            hi = ends[span.prefix] if hi is None else min(hi, ends[span.prefix])
    lo = max(lo or timezone.now(), timezone.now())
    if hi is None:
        hi = lo + timedelta(days=DEFAULT_DAYS)
    if hi - lo > timedelta(days=MAX_DAYS):
        raise invalid(
            f"Slot searches cover at most {MAX_DAYS} days from now on: bound start "
            "(start=geYYYY-MM-DD&start=ltYYYY-MM-DD).",
            expression=["start"],
        )
    return lo, hi


def _schedule_ids(values: list[str]) -> set[int]:
    if not values:
        raise invalid("A Slot search needs schedule=Schedule/<id>.", expression=["schedule"])
    wanted = None
    for value in values:
        ids = set()
        for part in search.split_or(value):
            ident = search.parse_reference(part, "Schedule")
            if ident.isascii() and ident.isdigit() and len(ident) <= 18:
                ids.add(int(ident))
        wanted = ids if wanted is None else wanted & ids
    if len(wanted) > MAX_SCHEDULES:
        raise invalid(f"At most {MAX_SCHEDULES} schedules per Slot search.")
    return wanted


def _codes(values: list[str]) -> set[str] | None:
    """The type codes `service-type` allows (None: any)."""
    allowed = None
    for value in values:
        codes = set()
        for part in search.split_or(value):
            system, code = search.parse_token(part)
            if system in (None, APPOINTMENT_TYPE_SYSTEM):
                codes.add(code)
        allowed = codes if allowed is None else allowed & codes
    return allowed


def search_slots(user, query) -> Page:
    ids = _schedule_ids(query.params.get("schedule", []))
    lo, hi = _window(query.params.get("start", []))
    codes = _codes(query.params.get("service-type", []))
    statuses = [
        {search.parse_token(part)[1] for part in search.split_or(value)}
        for value in query.params.get("status", [])
    ]
    found = []
    if ids and lo < hi and all("free" in wanted for wanted in statuses):
        zone = facts.local_zone()
        first, last = (
            lo.astimezone(zone).date(),
            (hi - timedelta(microseconds=1)).astimezone(zone).date(),
        )
        memberships = list(visible_schedules(user).filter(pk__in=sorted(ids)).order_by("pk"))
        types = AppointmentType.objects.filter(
            clinic_id__in={m.clinic_id for m in memberships}, is_active=True
        ).order_by("code")
        if codes is not None:
            types = types.filter(code__in=sorted(codes))
        types = list(types)
        for membership in memberships:
            mine = eligible_types(membership, types, first)
            found += free(membership, mine, first, last, lo=lo, hi=hi)
    found.sort(key=lambda item: (item[0].start, item[0].schedule, item[2].code))
    # `_id` (every type takes it): the slots among those free whose ids are asked for.
    for value in query.params.get("_id", []):
        asked = set(search.split_or(value))
        found = [item for item in found if _resource(item)["id"] in asked]
    offset = query.cursor[1] if query.cursor else 0
    chosen = found[offset : offset + query.count]
    more = query.count > 0 and offset + query.count < len(found)
    return Page(
        resources=[_resource(item) for item in chosen],
        next_cursor=(0, offset + query.count) if more else None,
        total=len(found) if query.total != "none" else None,
    )


def read_slot(user, ident: str) -> dict | None:
    key = parse_slot_id(ident)
    if key is None or abs(key.start - timezone.now()) > facts.REACH:
        return None
    membership = visible_schedules(user).filter(pk=key.schedule).first()
    if membership is None:
        return None
    appointment_type = AppointmentType.objects.filter(
        pk=key.type_id, clinic_id=membership.clinic_id, is_active=True
    ).first()
    if appointment_type is None:
        return None
    day = key.start.astimezone(facts.local_zone()).date()
    mine = eligible_types(membership, [appointment_type], day)
    lo, hi = key.start, key.start + timedelta(minutes=1)
    for item in free(membership, mine, day, day, lo=lo, hi=hi):
        if item[0] == key:
            return _resource(item)
    return None


SLOT = register(
    ResourceType(
        name="Slot",
        documentation=(
            "Free times, computed from the practitioners' hours, breaks, leave, the clinic's "
            "hours and closures and the bookings (never stored). Search by schedule (required, "
            f"at most {MAX_SCHEDULES}) over start (from now, a week by default, at most "
            f"{MAX_DAYS} days). Reading a Slot re-checks it: one taken since is 404."
        ),
        audited=False,
        sources=(),
        computed=Computed(search=search_slots, read=read_slot),
        params=(
            SearchParam(
                "_id",
                "token",
                "The slot's id (among the free slots the other parameters find).",
                "http://hl7.org/fhir/SearchParameter/Resource-id",
            ),
            SearchParam("schedule", "reference", "The Schedule (required).", SP + "Slot-schedule"),
            SearchParam(
                "start",
                "date",
                f"When it starts: eq, ge, gt, sa, le, lt, eb; at most {MAX_DAYS} days.",
                SP + "Slot-start",
            ),
            SearchParam("status", "token", "free (the only status served).", SP + "Slot-status"),
            SearchParam(
                "service-type",
                "token",
                f"The appointment type ({APPOINTMENT_TYPE_SYSTEM}).",
                SP + "Slot-service-type",
            ),
        ),
    )
)
