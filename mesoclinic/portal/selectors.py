"""What the portal reads: the signed-in patient's own records, through the one scoping rule.

Every read goes through a model's `for_user`, whose patient branch (`clinics.scoping`) keeps a
patient to the records linked to their account; nothing here filters by patient id itself, so
a guessed id for another patient's row is simply not found (404).
"""

from django.http import Http404

from mesoclinic.patients.models import Patient


def my_records(user):
    """The patient's records, one per clinic that keeps one, with the clinic (one query)."""
    return Patient.objects.for_user(user).select_related("registered_clinic").order_by("pk")


def my_record(user, pk) -> Patient:
    """One of the patient's records, or 404 (another patient's id looks like a missing one)."""
    try:
        return my_records(user).get(pk=int(pk))
    except (Patient.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404 from exc
