"""Real local servers standing in for the providers in tests (never mocks of our own code):
`providers.py` (the SMS gateway and the WhatsApp Cloud API over HTTP), `smtp.py` (aiosmtpd),
their pytest fixtures (`fixtures.py`), and `enqueue_patient_message`, a due message to a
patient who agreed to the channel, as the clinic's flows write them. Nothing outside tests
imports this package."""

from datetime import datetime

PATIENT_ID = 42
VALUES = {"clinic": "Blue Area Clinic", "phone": "051-1234567"}


def agrees_to(patient_id: int, channel: str, *, clinic_id=None, method="in_person") -> None:
    """Record the patient's opt-in on `channel` unless they already answered: the send-time
    check sends a patient nothing on a channel they never agreed to."""
    from mesoclinic.notifications import contacts

    if contacts.current_consent(patient_id=patient_id, channel=channel) is None:
        contacts.opt_in(
            patient_id=patient_id,
            clinic_id=clinic_id,
            channel=channel,
            method=method,
            acting_user=None,
            via="cli",
        )


def enqueue_patient_message(
    key: str,
    channel: str = "sms",
    *,
    language: str = "en",
    due_at: datetime | None = None,
    urgent: bool = False,
    values: dict | None = None,
):
    """A maintenance recall (catalogue wording) to patient 42 on `channel`, after recording
    their opt-in on it (the send-time check refuses a patient who never agreed). Imports at
    call time: the worker subprocess's settings module lives in this package, and is read
    before Django's apps are ready."""
    from mesoclinic.notifications import services

    agrees_to(PATIENT_ID, channel, method="staff")
    return services.enqueue(
        key=key,
        channel=channel,
        address="+923001234567",
        language=language,
        template="maintenance-recall",
        values=values or VALUES,
        due_at=due_at,
        urgent=urgent,
        patient_id=PATIENT_ID,
    )
