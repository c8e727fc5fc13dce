"""Whom a patient agreed to be reached by, and how: consent to be contacted, per channel.

The policy (issue 17: messages go "only to people who agreed"): no message to a patient on a
channel without a recorded opt-in on that channel (WhatsApp requires it by Meta's rules; we
apply it to SMS and e-mail too); once they opt out, never, until they opt in again. A message
to the clinic itself (no patient) needs no consent. The check itself is `rules.check`, fed by
`compose.prepare` at send time; this module keeps the history and answers from it.

Every patient message carries a signed opt-out link (`opt_out_url`): it names the patient and
the channel, needs no login, and does not expire (a message read months later must still be
able to stop the next one). Its signature is salted for this purpose only, so no other signed
value of the project can pass for it.
"""

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from mesoclinic.audit.services import Action, record_event
from mesoclinic.notifications import selectors
from mesoclinic.notifications.models import ConsentMethod, ContactChannel, ContactConsent

OPT_OUT_SALT = "mesoclinic.notifications.opt-out"
NOTE_MAX = ContactConsent._meta.get_field("note").max_length


class BadOptOutToken(Exception):
    """A link whose signature does not match, or that names nothing we send by."""


# --- recording ------------------------------------------------------------------------------


def record_consent(
    *,
    patient_id: int,
    clinic_id: int | None,
    channel: str,
    opted_in: bool,
    method: str,
    note: str = "",
    acting_user,
    via: str,
) -> ContactConsent:
    """Append the patient's answer for one channel, audited in the same transaction (the audit
    row names the channel, the answer and how it came, never the address)."""
    errors = {}
    if channel not in ContactChannel.values:
        errors["channel"] = [_("Choose SMS, WhatsApp or e-mail.")]
    if method not in ConsentMethod.values:
        errors["method"] = [_("Choose how the patient told us.")]
    elif method == ConsentMethod.OPT_OUT_LINK and opted_in:
        errors["method"] = [_("The opt-out link only stops messages.")]
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [_("Keep the note under %(n)s characters.") % {"n": NOTE_MAX}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = ContactConsent.objects.create(
            patient_id=patient_id,
            clinic_id=clinic_id,
            channel=channel,
            opted_in=opted_in,
            method=method,
            note=note,
            recorded_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        record_event(
            actor=acting_user,
            action=Action.CREATE,
            via=via,
            instance=consent,
            detail={"channel": channel, "opted_in": opted_in, "method": method},
        )
    return consent


def opt_in(*, patient_id, clinic_id, channel, method, note="", acting_user, via):
    return record_consent(
        patient_id=patient_id,
        clinic_id=clinic_id,
        channel=channel,
        opted_in=True,
        method=method,
        note=note,
        acting_user=acting_user,
        via=via,
    )


def opt_out(*, patient_id, clinic_id, channel, method, note="", acting_user, via):
    return record_consent(
        patient_id=patient_id,
        clinic_id=clinic_id,
        channel=channel,
        opted_in=False,
        method=method,
        note=note,
        acting_user=acting_user,
        via=via,
    )


# --- reading --------------------------------------------------------------------------------


def current_consent(*, patient_id: int, channel: str) -> ContactConsent | None:
    """The patient's newest answer for one channel, or None if never asked (one query,
    contactconsent_latest_idx)."""
    return (
        ContactConsent.objects.filter(patient_id=patient_id, channel=channel)
        .order_by("-id")
        .first()
    )


def current_consents(*, patient_id: int) -> dict[str, ContactConsent]:
    """The newest answer per channel for one patient, by channel (one query: the newest id per
    channel, by contactconsent_latest_idx, as a sub-select)."""
    newest = _newest_ids(ContactConsent.objects.filter(patient_id=patient_id))
    rows = ContactConsent.objects.filter(id__in=newest).select_related("recorded_by")
    return {row.channel: row for row in rows}


def _newest_ids(answers):
    """The id of the newest of `answers` per (patient, channel), as a sub-select
    (contactconsent_latest_idx): the current answers."""
    return answers.values("patient_id", "channel").annotate(newest=Max("id")).values("newest")


def preferred_channel(*, patient_id: int) -> str:
    """The channel a patient's messages go by: WhatsApp when they opted in to it, else SMS."""
    return preferred_channels(patient_ids=[patient_id])[patient_id]


def preferred_channels(*, patient_ids) -> dict[int, str]:
    """`preferred_channel` for many patients in one query (a scan's batch): whose current
    WhatsApp answer is yes."""
    ids = list(patient_ids)
    newest = _newest_ids(
        ContactConsent.objects.filter(patient_id__in=ids, channel=ContactChannel.WHATSAPP)
    )
    on_whatsapp = set(
        ContactConsent.objects.filter(id__in=newest, opted_in=True).values_list(
            "patient_id", flat=True
        )
    )
    return {
        patient_id: (
            ContactChannel.WHATSAPP.value if patient_id in on_whatsapp else ContactChannel.SMS.value
        )
        for patient_id in ids
    }


def last_inbound_at(channel: str, address: str) -> datetime | None:
    """When the person at `address` last wrote to us on `channel` (WhatsApp's 24-hour window
    is counted from it), or None: the providers' inbound callbacks record it (InboundContact)."""
    return selectors.last_inbound_at(channel, address)


# --- the opt-out link -----------------------------------------------------------------------


#: One letter per channel keeps the link short: in an Urdu SMS every 67 characters cost a segment.
_CHANNEL_LETTERS = {"sms": "s", "whatsapp": "w", "email": "e"}
_LETTER_CHANNELS = {letter: channel for channel, letter in _CHANNEL_LETTERS.items()}


def opt_out_token(*, patient_id: int, channel: str, clinic_id: int | None = None) -> str:
    """A signed, URL-safe token naming the patient, the channel and their clinic, such as
    "41.w.7:<signature>" (no timestamp: the link does not expire)."""
    value = f"{int(patient_id)}.{_CHANNEL_LETTERS[channel]}.{int(clinic_id or 0)}"
    return signing.Signer(salt=OPT_OUT_SALT).sign(value)


def read_opt_out_token(token: str) -> tuple[int, str, int | None]:
    """(patient_id, channel, clinic_id) from a token, or BadOptOutToken."""
    try:
        value = signing.Signer(salt=OPT_OUT_SALT).unsign(token)
    except signing.BadSignature as error:
        raise BadOptOutToken from error
    parts = value.split(".")
    if len(parts) != 3 or parts[1] not in _LETTER_CHANNELS:
        raise BadOptOutToken
    patient, letter, clinic = parts
    if not (patient.isascii() and patient.isdigit() and clinic.isascii() and clinic.isdigit()):
        raise BadOptOutToken
    if int(patient) < 1 or len(patient) > 19 or len(clinic) > 19:
        raise BadOptOutToken
    return int(patient), _LETTER_CHANNELS[letter], int(clinic) or None


def opt_out_url(
    *, patient_id: int, channel: str, language: str, clinic_id: int | None = None
) -> str:
    """The absolute opt-out link for a message, in the message's language (PUBLIC_BASE_URL:
    the worker that writes the message has no request to take a host from)."""
    token = opt_out_token(patient_id=patient_id, channel=channel, clinic_id=clinic_id)
    with translation.override(language):
        path = reverse("messages_public:opt_out", args=[token])
    return settings.PUBLIC_BASE_URL.rstrip("/") + path
