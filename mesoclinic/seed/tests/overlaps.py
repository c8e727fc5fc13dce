"""Shared by the seed tests: overlapping active appointments, found in Python so the check
does not lean on the database constraints it is meant to confirm."""

from mesoclinic.appointments.models import ACTIVE, Appointment

FIELDS = ("id", "practitioner_id", "room_id", "patient_id", "blocked_from", "blocked_until")


def active_rows():
    return list(Appointment.objects.filter(status__in=ACTIVE).values(*FIELDS))


def overlapping(rows, key):
    """Pairs of appointments on one `key` (practitioner_id, room_id, patient_id) that overlap."""
    by_key = {}
    for row in rows:
        if row[key] is not None:
            by_key.setdefault(row[key], []).append(row)
    found = []
    for held in by_key.values():
        held.sort(key=lambda r: r["blocked_from"])
        until, holder = None, None
        for row in held:  # each against the latest-ending one before it
            if until is not None and row["blocked_from"] < until:
                found.append((holder, row["id"]))
            if until is None or row["blocked_until"] > until:
                until, holder = row["blocked_until"], row["id"]
    return found
