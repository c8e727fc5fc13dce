"""Booking a consultation from the public clinic page, confirmed by a one-time code.

The visitor picks a free slot (`free_days`), gives a name and a mobile number and agrees to be
contacted; `request_code` records the request (`VisitorBooking`) and queues a six-digit code to
that number through the outbox. Nothing is held yet: `confirm_code` checks the code and only
then, in one transaction, records the enquiry and books the slot through `services.book`, which
re-checks the book like any booking (on PostgreSQL the exclusion constraints have the last
word). A slot taken meanwhile loses nothing: the number is proven, so `repick` books another
free time without a new code.

The code is never stored or logged, only its keyed hash; the outbox row that carries it to the
phone is the one place it exists, and it is blanked there once the code is used. Wrong codes
are counted (at most `MAX_ATTEMPTS`), a code lasts `CODE_VALID`, and requests are rate-limited
per number and per client address by counting the rows themselves (settings VISITOR_*), so the
limits need no cache and hold on both databases.
"""

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from mesoclinic.appointments import selectors, series, services, slots
from mesoclinic.appointments.models import AppointmentType, VisitorBooking
from mesoclinic.audit.services import Action, Interface, record_event, save_audited
from mesoclinic.core.phones import normalize_mobile
from mesoclinic.core.text import InvalidIdentifier, fold_digits
from mesoclinic.notifications import services as notifications
from mesoclinic.patients import services as patient_services

#: How far ahead the public page offers consultations (days, today included).
BOOKING_DAYS = 14
CODE_DIGITS = 6
#: How long a code may be used, and how many wrong tries it survives.
CODE_VALID = timedelta(minutes=10)
MAX_ATTEMPTS = 5
#: After the code is confirmed but the slot was taken, how long the visitor may pick another.
REPICK_WINDOW = timedelta(minutes=30)
#: The defaults of the rate limits (settings override them).
LIMITS = {
    "VISITOR_CODES_PER_MOBILE_HOUR": 3,
    "VISITOR_CODES_PER_MOBILE_DAY": 10,
    "VISITOR_REQUESTS_PER_ADDRESS_HOUR": 10,
}


class VisitorRefused(ValidationError):
    """A request that cannot go ahead (a time that is not offered, a bad number): nothing was
    written. The message is for the visitor."""


class RateLimited(VisitorRefused):
    """Too many codes for this number or requests from this address: the page answers 429."""


def limit(name: str) -> int:
    return int(getattr(settings, name, LIMITS[name]))


# --- what the page offers ----------------------------------------------------------------


def consultation_type(clinic) -> AppointmentType | None:
    return selectors.type_of(clinic.pk, AppointmentType.Code.CONSULTATION)


def free_days(appointment_type, *, today: date | None = None) -> dict[date, list[slots.Slot]]:
    """The free consultation starts of the next BOOKING_DAYS days, one per start, grouped by
    Karachi date in time order (days without a free start are left out)."""
    first = today or timezone.localdate()
    found = selectors.find_slots(
        appointment_type=appointment_type,
        first=first,
        last=first + timedelta(days=BOOKING_DAYS - 1),
        one_per_start=True,
    )
    days: dict[date, list[slots.Slot]] = defaultdict(list)
    for slot in found:
        days[timezone.localtime(slot.start).date()].append(slot)
    return dict(days)


def offered_slot(appointment_type, start: datetime) -> slots.Slot | None:
    """The free slot starting at `start`, if the page would offer it now: on the grid, in the
    booking range, in hours, not past, not closed, not taken."""
    day = timezone.localtime(start).date()
    today = timezone.localdate()
    if not today <= day < today + timedelta(days=BOOKING_DAYS):
        return None
    for slot in selectors.find_slots(
        appointment_type=appointment_type, first=day, last=day, one_per_start=True
    ):
        if slot.start == start:
            return slot
    return None


def nearest_slots(appointment_type, start: datetime, *, count: int = 5) -> list[slots.Slot]:
    """The free starts closest to `start` in the booking range, in time order."""
    found = [slot for day in free_days(appointment_type).values() for slot in day]
    return sorted(series.nearest(found, start, count), key=lambda slot: slot.start)


# --- hashes ------------------------------------------------------------------------------


def code_hash(token: str, code: str) -> str:
    return salted_hmac("mesoclinic.visitor-code", f"{token}:{code}", algorithm="sha256").hexdigest()


def address_hash(address: str) -> str:
    return salted_hmac("mesoclinic.visitor-address", address or "-", algorithm="sha256").hexdigest()


def code_key(booking) -> str:
    """The outbox key of a request's code message."""
    return f"visitor-code-{booking.pk}"


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


# --- requesting a code --------------------------------------------------------------------


def _serialize(*keys: str) -> None:
    """Queue concurrent requests for the same number or address (PostgreSQL: transaction
    advisory locks, always taken in the same order; SQLite already runs one writer at a time),
    so two requests cannot both pass a limit with one row to spare."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(keys):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])


def _check_limits(*, mobile: str, hashed_address: str, now: datetime) -> None:
    # visitorbooking_mobile_idx / visitorbooking_address_idx: three index range counts.
    mine = VisitorBooking.objects.filter(mobile=mobile)
    if mine.filter(created_at__gte=now - timedelta(hours=1)).count() >= limit(
        "VISITOR_CODES_PER_MOBILE_HOUR"
    ) or mine.filter(created_at__gte=now - timedelta(days=1)).count() >= limit(
        "VISITOR_CODES_PER_MOBILE_DAY"
    ):
        raise RateLimited(
            _(
                "Too many codes were sent to this number recently. Please try again later, "
                "or call the clinic."
            )
        )
    recent = VisitorBooking.objects.filter(
        address_hash=hashed_address, created_at__gte=now - timedelta(hours=1)
    )
    if recent.count() >= limit("VISITOR_REQUESTS_PER_ADDRESS_HOUR"):
        raise RateLimited(
            _("Too many booking requests came from your connection. Please try again in an hour.")
        )


def request_code(
    *, clinic, start: datetime, name: str, mobile: str, language: str, client_address: str
) -> VisitorBooking:
    """Record a visitor's request for the consultation at `start` and queue its code by SMS, or
    refuse (`VisitorRefused`, `RateLimited`) with nothing written. The slot is not held."""
    appointment_type = consultation_type(clinic)
    slot = offered_slot(appointment_type, start) if appointment_type else None
    if slot is None:
        raise VisitorRefused(_("That time is not free for a consultation. Choose another."))
    try:
        mobile = normalize_mobile(mobile)
    except InvalidIdentifier as exc:
        raise VisitorRefused(_("Enter a mobile number, like 0300-1234567.")) from exc
    if language not in ("en", "ur"):
        language = "en"
    hashed_address = address_hash(client_address)
    code = _new_code()
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        _serialize(f"visitor-mobile:{mobile}", f"visitor-address:{hashed_address}")
        now = timezone.now()
        _check_limits(mobile=mobile, hashed_address=hashed_address, now=now)
        booking = VisitorBooking.objects.create(
            token=token,
            clinic=clinic,
            type=appointment_type,
            starts_at=slot.start,
            practitioner_id=slot.practitioner,
            name=name[:120],
            mobile=mobile,
            language=language,
            code_hash=code_hash(token, code),
            expires_at=now + CODE_VALID,
            address_hash=hashed_address,
            agreed_at=now,
            created_at=now,
        )
        record_event(actor=None, action=Action.CREATE, via=Interface.PUBLIC, instance=booking)
        notifications.enqueue(
            key=code_key(booking),
            channel="sms",
            address=mobile,
            language=language,
            template="booking-code",
            values={
                "code": code,
                "clinic": clinic.name,
                "minutes": int(CODE_VALID.total_seconds() // 60),
            },
            urgent=True,  # asked for this minute: quiet hours do not apply
            clinic_id=clinic.pk,
            subject=f"appointments.visitorbooking:{booking.pk}",
            via=Interface.PUBLIC,
        )
    return booking


# --- confirming ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What became of a code or a re-pick: "booked", "wrong" (with `tries_left`), "expired"
    (start again), "used" (the code was already spent), "taken" (the time went meanwhile:
    `alternatives` are the nearest free ones and `reasons` say why)."""

    status: str
    booking: VisitorBooking | None = None
    tries_left: int = 0
    alternatives: tuple = field(default=())
    reasons: tuple[str, ...] = ()


def get_booking(token: str) -> VisitorBooking | None:
    if not token or len(token) > 40:
        return None
    return (
        VisitorBooking.objects.select_related("clinic", "type", "appointment")
        .filter(token=token)
        .first()
    )


def _locked(token: str) -> VisitorBooking | None:
    if not token or len(token) > 40:
        return None
    return (
        VisitorBooking.objects.select_for_update()
        .select_related("clinic", "type")
        .filter(token=token)
        .first()
    )


def _book(booking: VisitorBooking, start: datetime) -> Outcome:
    """Record the enquiry and book `start`, under a savepoint: a refused booking leaves neither
    and answers with the nearest free times."""
    try:
        with transaction.atomic():
            enquiry = patient_services.record_booked_enquiry(
                clinic=booking.clinic,
                data={
                    "name": booking.name,
                    "mobile": booking.mobile,
                    "preferred_language": booking.language,
                    "concern": "",
                    "preferred_time": "any",
                    "message": "",
                },
            )
            appointment = services.book(
                acting_user=None,
                clinic=booking.clinic,
                appointment_type=booking.type,
                start=start,
                enquiry=enquiry,
                via=Interface.PUBLIC,
            )
            booking.appointment = appointment
            booking.starts_at = start
            booking.practitioner_id = appointment.practitioner_id
            save_audited(
                booking,
                actor=None,
                via=Interface.PUBLIC,
                fields=["appointment", "starts_at", "practitioner"],
            )
    except services.BookingRefused as refused:
        return Outcome(
            "taken",
            booking,
            alternatives=tuple(nearest_slots(booking.type, start)),
            reasons=tuple(r.message for r in refused.refusals),
        )
    return Outcome("booked", booking)


def confirm_code(*, token: str, code: str) -> Outcome:
    """Check the visitor's code and, when right, book the requested time (one transaction: the
    code is spent, the enquiry recorded, the appointment booked). A wrong code counts a try."""
    code = "".join(ch for ch in fold_digits(str(code or "")) if ch in "0123456789")
    code = code[: CODE_DIGITS + 1]
    with transaction.atomic():
        booking = _locked(token)
        if booking is None:
            return Outcome("expired")
        if booking.confirmed_at is not None:
            return Outcome("used", booking)
        now = timezone.now()
        if now >= booking.expires_at or booking.attempts >= MAX_ATTEMPTS:
            return Outcome("expired", booking)
        if not constant_time_compare(code_hash(booking.token, code), booking.code_hash):
            booking.attempts += 1
            booking.save(update_fields=["attempts"])
            left = MAX_ATTEMPTS - booking.attempts
            if not left:  # spent: its copy in the outbox is blanked too
                notifications.redact(key=code_key(booking), names=("code",), via=Interface.PUBLIC)
            return Outcome("wrong" if left else "expired", booking, tries_left=left)
        booking.confirmed_at = now
        save_audited(booking, actor=None, via=Interface.PUBLIC, fields=["confirmed_at"])
        # The code is spent: its copy in the outbox (values, and the body as sent) is blanked.
        notifications.redact(key=code_key(booking), names=("code",), via=Interface.PUBLIC)
        return _book(booking, booking.starts_at)


def may_repick(booking: VisitorBooking) -> bool:
    return (
        booking.confirmed_at is not None
        and booking.appointment_id is None
        and timezone.now() < booking.confirmed_at + REPICK_WINDOW
    )


def repick(*, token: str, start: datetime) -> Outcome:
    """Book another time for a visitor whose number is proven and whose first choice was taken
    (within REPICK_WINDOW of the code): no new code, the same details."""
    with transaction.atomic():
        booking = _locked(token)
        if booking is None or not may_repick(booking):
            return Outcome("expired", booking)
        if offered_slot(booking.type, start) is None:
            return Outcome(
                "taken",
                booking,
                alternatives=tuple(nearest_slots(booking.type, start)),
                reasons=(_("That time is not free for a consultation. Choose another."),),
            )
        return _book(booking, start)


def redact_spent_codes(now=None) -> int:
    """Blank the outbox's copy of every code that can no longer be used: requests expired in
    the last two days (the scheduler runs this hourly, so each is swept many times over; a code
    still being sent is skipped and caught by a later run). Confirmed and exhausted codes are
    blanked at once by `confirm_code`. How many messages were changed."""
    now = now or timezone.now()
    spent = VisitorBooking.objects.filter(
        expires_at__lte=now, expires_at__gt=now - timedelta(days=2)
    ).only("pk", "token")
    return sum(
        notifications.redact(key=code_key(booking), names=("code",), via=Interface.CLI)
        for booking in spent.iterator()
    )
