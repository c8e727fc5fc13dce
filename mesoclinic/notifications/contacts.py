"""Whom a patient agreed to be reached by, and how (consent to be contacted per channel).

The first cut only answers which channel a patient's messages go by; the consent records,
opt-out links and the send-time check arrive with them (issue 17)."""


def preferred_channel(*, patient_id: int) -> str:
    """The channel a patient's messages go by: WhatsApp when they opted in to it, else SMS."""
    return "sms"
