"""Aftercare listens to care: a charted session lays out its check-ins, in the session's
transaction (`care.signals.session_charted`)."""

from django.dispatch import receiver

from mesoclinic.aftercare.services.checkins import schedule_check_ins
from mesoclinic.care.signals import session_charted


@receiver(session_charted, dispatch_uid="aftercare.schedule_check_ins")
def on_session_charted(sender, *, session, patient, clinic, acting_user, via, **kwargs):
    schedule_check_ins(
        acting_user=acting_user,
        via=via,
        session=session,
        patient=patient,
        clinic=clinic,
        channel=kwargs.get("channel"),
    )
