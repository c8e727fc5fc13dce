"""Writing one message at the moment it would go: the facts gathered for `rules.check` (the
patient's consent on the channel, the address, the wording and its values, WhatsApp's window),
and, when nothing stands in the way, the `Outgoing` value a channel sends.

A refusal is final for this message (`services.send_claimed` cancels it with the reasons): an
opted-out patient, a missing opt-in, an invalid address or a template missing a value will not
mend by waiting, and the clinic must see why it did not go.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from mesoclinic.core.phones import normalize_mobile
from mesoclinic.core.text import InvalidIdentifier
from mesoclinic.notifications import contacts, rules
from mesoclinic.notifications.catalogue import needs_contact_consent
from mesoclinic.notifications.channels import Outgoing
from mesoclinic.notifications.message_templates import Wording, choose
from mesoclinic.notifications.models import MessageTemplate

Channel = rules.Channel


@dataclass(frozen=True)
class Prepared:
    outgoing: Outgoing
    version: MessageTemplate | None  # what the body was written from (None: the catalogue)


@dataclass(frozen=True)
class Refused:
    refusals: tuple[rules.Refusal, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(refusal.reason.value for refusal in self.refusals)

    def summary(self) -> str:
        """For `last_error`: each reason code with its detail (names of values or pieces of
        the template, never personal data), e.g. "opted_out; values_missing: link"."""
        parts = []
        for refusal in self.refusals:
            detail = ", ".join(refusal.detail)
            parts.append(f"{refusal.reason.value}: {detail}" if detail else refusal.reason.value)
        return "; ".join(parts)[:200]


def provider_key(message) -> str:
    """The idempotency key the provider receives: the outbox key, and after a staff resend the
    resend's number (`…~r1`), so the provider takes the new attempt instead of dropping it as
    a repeat of one it already accepted. Crash repeats within one attempt keep one key."""
    if not message.resends:
        return message.idempotency_key
    return f"{message.idempotency_key}~r{message.resends}"


def address_is_valid(channel: str, address: str) -> bool:
    """Whether the channel can use the address: a mobile number for SMS and WhatsApp, an
    e-mail address for e-mail (the console takes anything)."""
    if channel in (Channel.SMS, Channel.WHATSAPP):
        try:
            return normalize_mobile(address) == address
        except InvalidIdentifier:
            return False
    if channel == Channel.EMAIL:
        try:
            validate_email(address)
        except ValidationError:
            return False
        return True
    return True


def _consent(message) -> tuple[bool, bool]:
    """(opted_out, opted_in) on the message's channel. A message to the clinic itself needs no
    consent; nor does the development console; nor a code the patient asked for this minute
    by SMS (the catalogue's one REQUESTER kind, `catalogue.needs_contact_consent`)."""
    if message.patient_id is None or message.channel == Channel.CONSOLE:
        return False, True
    if not needs_contact_consent(message.template, message.channel):
        return False, True
    consent = contacts.current_consent(patient_id=message.patient_id, channel=message.channel)
    if consent is None:
        return False, False
    return not consent.opted_in, consent.opted_in


def _values(message) -> dict:
    values = dict(message.values)
    if (
        message.patient_id is not None
        and message.channel in contacts.ContactChannel.values
        and needs_contact_consent(message.template, message.channel)
    ):
        values["opt_out"] = contacts.opt_out_url(
            patient_id=message.patient_id,
            channel=message.channel,
            language=message.language,
            clinic_id=message.clinic_id,
        )
    return values


def _extra_refusals(wording: Wording, values: dict) -> list[rules.Refusal]:
    """What `rules.check` does not see: the e-mail subject and the WhatsApp parameters."""
    refusals = []
    try:
        rules.render(wording.title, values)
    except rules.TemplateError as error:
        refusals.append(rules.Refusal(rules.Reason.TEMPLATE_INVALID, error.problems))
    except rules.MissingValues as missing:
        refusals.append(rules.Refusal(rules.Reason.VALUES_MISSING, missing.names))
    if absent := tuple(sorted(n for n in wording.whatsapp_parameters if values.get(n) is None)):
        refusals.append(rules.Refusal(rules.Reason.VALUES_MISSING, absent))
    return refusals


def prepare(message, *, now: datetime) -> Prepared | Refused:
    """The message as a channel will receive it, or every reason it may not go."""
    wording = choose(code=message.template, clinic_id=message.clinic_id, language=message.language)
    if wording is None:
        return Refused(
            (rules.Refusal(rules.Reason.TEMPLATE_INVALID, (f"no template {message.template!r}",)),)
        )
    values = _values(message)
    opted_out, opted_in = _consent(message)
    is_whatsapp = message.channel == Channel.WHATSAPP
    is_email = message.channel == Channel.EMAIL
    last_inbound = (
        contacts.last_inbound_at(message.channel, message.address) if is_whatsapp else None
    )
    facts = rules.SendFacts(
        channel=Channel(message.channel),
        opted_out=opted_out,
        opted_in=opted_in,
        address=message.address,
        address_valid=address_is_valid(message.channel, message.address),
        template_text=wording.text,
        values=values,
        now=now,
        whatsapp_opted_in=opted_in,
        last_inbound_at=last_inbound,
        is_template=bool(wording.whatsapp_template),
    )
    refusals = list(rules.check(facts))
    if is_whatsapp or is_email:
        known = {refusal.reason for refusal in refusals}
        refusals += [r for r in _extra_refusals(wording, values) if r.reason not in known]
    if refusals:
        return Refused(tuple(refusals))
    free_text_allowed = (
        rules.in_window(last_inbound, now=now, window_hours=facts.window_hours)
        if is_whatsapp
        else True
    )
    return Prepared(
        outgoing=Outgoing(
            to=message.address,
            body=rules.render(wording.text, values).text,
            idempotency_key=provider_key(message),
            language=wording.language,
            template=message.template,
            values=values,
            title=rules.render(wording.title, values).text if is_email else "",
            provider_template=wording.whatsapp_template if is_whatsapp else "",
            parameters=(
                tuple(str(values[name]) for name in wording.whatsapp_parameters)
                if is_whatsapp
                else ()
            ),
            free_text_allowed=free_text_allowed,
        ),
        version=wording.version,
    )
