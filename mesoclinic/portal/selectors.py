"""What the portal reads: the signed-in patient's own records, through the one scoping rule.

Every read goes through a model's `for_user`, whose patient branch (`clinics.scoping`) keeps a
patient to the records linked to their account; nothing here filters by patient id itself, so
a guessed id for another patient's row is simply not found (404).
"""

from contextlib import suppress

from mesoclinic.aftercare.models import CheckIn
from mesoclinic.audit.services import Interface
from mesoclinic.care.models import TreatmentSession
from mesoclinic.clinics import scoping
from mesoclinic.patients.models import Patient


def my_records(user):
    """The patient's records, one per clinic that keeps one, with the clinic (one query)."""
    return Patient.objects.for_user(user).select_related("registered_clinic").order_by("pk")


def my_record(user, pk) -> Patient:
    """One of the patient's records, or 404 (another patient's id looks like a missing one)."""
    try:
        return my_records(user).get(pk=int(pk))
    except (Patient.DoesNotExist, ValueError, OverflowError) as exc:
        # Audited like every refused id: a guessed record leaves a DENIED row.
        raise scoping.denied(user, Patient, pk, via=Interface.PORTAL) from exc


# Report a side effect (sidefx): the sessions a report can be about, and the reports made.

#: The sessions the report form offers, most recent first (an older one is reached by its id).
RECENT_SESSIONS = 6


def my_recent_sessions(user, *, limit: int = RECENT_SESSIONS) -> list:
    """The patient's latest sessions at every clinic, most recent first, each with its clinic
    (one query; session_patient_idx narrows to the patient's records)."""
    return list(
        TreatmentSession.objects.for_user(user)
        .select_related("clinic")
        .order_by("-started_at", "-id")[:limit]
    )


def my_session(user, pk) -> TreatmentSession:
    """One of the patient's sessions, or 404; the attempt at anyone else's is audited."""
    found = None
    with suppress(ValueError, TypeError, OverflowError):  # not an id: found nowhere
        found = (
            TreatmentSession.objects.for_user(user)
            .select_related("clinic")
            .filter(pk=int(pk))
            .first()
        )
    if found is None:
        raise scoping.denied(user, TreatmentSession, pk, via=Interface.PORTAL)
    return found


def my_report(user, pk) -> CheckIn:
    """A report the patient made (answered, from their link or the portal) with its session,
    clinic and effects, or 404; the attempt at anyone else's is audited."""
    found = None
    with suppress(ValueError, TypeError, OverflowError):  # not an id: found nowhere
        found = (
            CheckIn.objects.for_user(user)
            .filter(pk=int(pk), kind=CheckIn.Kind.PATIENT, status=CheckIn.Status.ANSWERED)
            .select_related("session", "clinic")
            .prefetch_related("effects")
            .first()
        )
    if found is None:
        raise scoping.denied(user, CheckIn, pk, via=Interface.PORTAL)
    return found
