"""The messages care sends a patient, queued in the transaction of their cause through the one
door (`notifications.services.enqueue`): the aftercare message after a charted session.

No clinical detail goes into a message: the clinic's name and number, and a signed link to the
aftercare page (`care.aftercare_link`), which shows the instructions in the patient's language.
"""

from mesoclinic.care import aftercare_link
from mesoclinic.notifications import contacts
from mesoclinic.notifications import services as notifications


def address_for(patient, channel: str) -> str:
    """Where `channel` reaches the patient: their e-mail for e-mail, else their mobile."""
    return patient.email if channel == "email" else patient.mobile


def queue_aftercare(*, acting_user, via: str, session, patient, clinic) -> str | None:
    """Queue the aftercare message for a session just charted, when its procedure has aftercare
    text. Call inside record_session's transaction: the message exists exactly when the session
    does. A fault here (a contact rule, a value) loses the message, logged, and never the
    session (`never_blocking`). Returns the patient's preferred channel when it was read (the
    check-ins' messages go by it too), else None."""
    if session.aftercare_id is None:
        return None
    subject = f"care.session:{session.pk}"
    channel = None
    with notifications.never_blocking(subject):
        channel = contacts.preferred_channel(patient_id=patient.pk)
        if not channel:
            return channel
        notifications.enqueue(
            key=f"session-{session.pk}-aftercare",
            channel=channel,
            address=address_for(patient, channel),
            language=patient.preferred_language,
            template="aftercare",
            values={
                "clinic": clinic.name,
                "link": aftercare_link.public_url(session.pk, patient.preferred_language),
                "phone": clinic.phone_display,
            },
            clinic_id=clinic.pk,
            patient_id=patient.pk,
            subject=subject,
            acting_user=acting_user,
            via=via,
        )
    return channel
