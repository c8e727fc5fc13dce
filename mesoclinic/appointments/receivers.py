"""Appointments listen to patients: an archived patient's appointments still to come are
cancelled, in the archiving's transaction (`patients.signals.patient_archived`)."""

from django.dispatch import receiver
from django.utils import timezone

from mesoclinic.appointments import services
from mesoclinic.appointments.models import Appointment, Status
from mesoclinic.patients.signals import patient_archived

#: The reason kept on each cancelled appointment (a code, not the archiving's own words).
REASON = "patient archived"


@receiver(patient_archived, dispatch_uid="appointments.cancel_for_archived_patient")
def on_patient_archived(sender, *, patient, acting_user, via, **kwargs):
    """Through `services.cancel`, so each one is audited and its reminders are ended; the
    notices a cancellation queues are cancelled by the archiving with the rest of the
    patient's outbox."""
    upcoming = Appointment.objects.filter(
        patient_id=patient.pk,
        status__in=(Status.BOOKED, Status.CHECKED_IN),
        starts_at__gte=timezone.now(),
    ).order_by("starts_at", "id")
    for appointment in upcoming:
        services.cancel(acting_user=acting_user, appointment=appointment, reason=REASON, via=via)
