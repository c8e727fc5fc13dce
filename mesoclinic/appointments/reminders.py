"""The patient's messages about an appointment, queued through the outbox in the booking's
transaction: confirmation, 24 h and 2 h before, cancellation, a no-show follow-up. Each has an
idempotency key carrying the appointment's version, so a reschedule replaces the reminders
rather than adding to them.

(Filled in by the reminders slice of issue 18; the hooks are called by `services`.)
"""


def after_booking(appointment, *, via: str) -> None:
    """Queue the confirmation and the reminders of a new appointment."""


def after_change(appointment, *, previous_version: int, via: str) -> None:
    """A reschedule: cancel the previous version's pending reminders and queue the new ones."""


def after_status(appointment, *, via: str) -> None:
    """A cancellation or a no-show: cancel pending reminders; tell the patient."""
