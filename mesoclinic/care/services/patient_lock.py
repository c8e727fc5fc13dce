"""The patient row every clinical write locks first.

A write that depends on the patient's clinical state (a screening, a consent, a plan, a patch
test, a session) takes the patient's row lock before reading it, so two writes for one patient
run one after the other and each sees what the other wrote. Every care service takes it first
(then the course, then the lots), so two writers cannot deadlock.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mesoclinic.patients.models import Patient


def locked_patient(acting_user, patient) -> Patient:
    """The patient row, locked, if `acting_user` may see them; otherwise a field error (the
    pages answer 404 before this; the service refuses on its own too). Call inside the
    service's transaction."""
    locked = Patient.objects.for_user(acting_user).select_for_update().filter(pk=patient.pk).first()
    if locked is None:
        raise ValidationError({"patient": _("This patient is not registered at your clinics.")})
    return locked
