"""The wording of messages: which version a message is written from, the checks a clinic's
edit must pass, a new version saved (audited), and the admin's preview with sample values.

Choosing a text for (clinic, code, language), first found wins:
1. the clinic's newest version in that language;
2. the chain's newest version in that language;
3. the clinic's newest English version, then the chain's (the fallback: recorded on the
   message through the version's language);
4. the built-in catalogue (`catalogue.py`), when no version is stored at all (a database
   emptied by a test, before the data migration ran).
The chain's defaults carry both languages, so step 3 is reached only for a code the chain has
no Urdu text for.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.notifications import rules
from mesoclinic.notifications.catalogue import DEFAULT_TEMPLATES
from mesoclinic.notifications.models import Language, MessageTemplate

FALLBACK_LANGUAGE = "en"

#: What the admin's preview fills the placeholders with (no real patient, clinic or link).
SAMPLE_VALUES = {
    "clinic": "mesoclinic Islamabad F-7",
    "phone": "051-2650100",
    "link": "https://clinic.example.pk/ur/aftercare/AbC123xYz/",
    "opt_out": "https://clinic.example.pk/ur/messages/stop/AbC123xYz/",
    "inbox_url": "https://clinic.example.pk/patients/enquiries/",
    "when": "Mon 14 Dec 2026, 10:00",
}


@dataclass(frozen=True)
class Wording:
    """The text a message is written from, and where it came from."""

    text: str
    title: str
    whatsapp_template: str
    whatsapp_parameters: tuple[str, ...]
    language: str  # of the text: English when the patient's language had none
    version: MessageTemplate | None  # None: the built-in catalogue

    @property
    def fell_back(self) -> bool:
        return self.version is not None and self.version.language != self.language


def _from_version(row: MessageTemplate) -> Wording:
    return Wording(
        text=row.text,
        title=row.title,
        whatsapp_template=row.whatsapp_template,
        whatsapp_parameters=tuple(row.whatsapp_parameters or ()),
        language=row.language,
        version=row,
    )


def choose(*, code: str, clinic_id: int | None, language: str) -> Wording | None:
    """The wording for a message (one query), or None for a code nobody knows."""
    languages = [language] if language == FALLBACK_LANGUAGE else [language, FALLBACK_LANGUAGE]
    owners = Q(clinic_id__isnull=True)
    if clinic_id is not None:
        owners |= Q(clinic_id=clinic_id)
    # template_pick_idx: code, language, clinic_id, version DESC. A handful of rows (every
    # version of one code in two languages for one clinic and the chain).
    rows = list(
        MessageTemplate.objects.filter(owners, code=code, language__in=languages).order_by(
            "-version", "-id"
        )
    )
    for wanted in languages:
        for owner in ([clinic_id] if clinic_id is not None else []) + [None]:
            for row in rows:
                if row.language == wanted and row.clinic_id == owner:
                    return _from_version(row)
    default = DEFAULT_TEMPLATES.get(code)
    if default is None:
        return None
    chosen = language if language in default.text else FALLBACK_LANGUAGE
    return Wording(
        text=default.text[chosen],
        title=default.title.get(chosen, ""),
        whatsapp_template=default.whatsapp_template,
        whatsapp_parameters=default.whatsapp_parameters,
        language=chosen,
        version=None,
    )


def _braced(name: str) -> str:
    return "{" + name + "}"


def declared_placeholders(code: str) -> frozenset[str]:
    """The names the catalogue's default for `code` uses (in either language)."""
    default = DEFAULT_TEMPLATES[code]
    names: set[str] = set()
    for text in default.text.values():
        names |= rules.placeholders(text)
    return frozenset(names)


def validate(
    *, code: str, text: str, title: str = "", whatsapp_parameters=(), language: str = "en"
) -> None:
    """Refuse wording that could not be sent: an unknown code, a stray brace, a placeholder
    the default does not declare, one it declares left out of the text (the link, the opt-out
    link), WhatsApp parameters that are not placeholders. Raises ValidationError by field."""
    if code not in DEFAULT_TEMPLATES:
        raise ValidationError(
            {
                "code": _("Choose one of the messages mesoclinic sends: %(codes)s.")
                % {"codes": ", ".join(sorted(DEFAULT_TEMPLATES))}
            }
        )
    if language not in Language.values:
        raise ValidationError({"language": _("Choose English or Urdu.")})
    declared = declared_placeholders(code)
    errors: dict[str, list[str]] = {}
    for field, value, exact in (("text", text, True), ("title", title, False)):
        try:
            names = rules.placeholders(value)
        except rules.TemplateError as error:
            errors[field] = [
                _(
                    "These braces are not placeholders: %(pieces)s. Write {name}, or {{ and }} "
                    "for a brace."
                )
                % {"pieces": " ".join(error.problems)}
            ]
            continue
        if unknown := names - declared:
            errors.setdefault(field, []).append(
                _("Unknown placeholders: %(names)s. This message can use: %(declared)s.")
                % {
                    "names": ", ".join(_braced(n) for n in sorted(unknown)),
                    "declared": ", ".join(_braced(n) for n in sorted(declared)),
                }
            )
        if exact and (missing := declared - names):
            errors.setdefault(field, []).append(
                _("The text must keep these placeholders: %(names)s.")
                % {"names": ", ".join(_braced(n) for n in sorted(missing))}
            )
    if not text.strip():
        errors.setdefault("text", []).append(_("Write the message's text."))
    parameters = list(whatsapp_parameters or ())
    if not all(isinstance(name, str) for name in parameters) or set(parameters) - declared:
        errors["whatsapp_parameters"] = [
            _("WhatsApp parameters are placeholder names, in order, among: %(declared)s.")
            % {"declared": ", ".join(sorted(declared))}
        ]
    if errors:
        raise ValidationError(errors)


def save_version(
    *,
    acting_user,
    via: str = Interface.ADMIN,
    clinic_id: int | None,
    code: str,
    language: str,
    text: str,
    title: str = "",
    whatsapp_template: str = "",
    whatsapp_parameters=(),
    source: str = "",
) -> MessageTemplate:
    """A new version of (clinic, code, language), numbered after the newest, audited. Earlier
    versions stay as they were: the messages written from them name them."""
    validate(
        code=code,
        text=text,
        title=title,
        whatsapp_parameters=whatsapp_parameters,
        language=language,
    )
    versions = MessageTemplate.objects.filter(code=code, language=language)
    versions = (
        versions.filter(clinic_id=clinic_id)
        if clinic_id is not None
        else versions.filter(clinic_id__isnull=True)
    )
    for _attempt in range(3):
        latest = versions.aggregate(latest=Max("version"))["latest"] or 0
        try:
            with transaction.atomic():
                row = MessageTemplate.objects.create(
                    clinic_id=clinic_id,
                    code=code,
                    language=language,
                    version=latest + 1,
                    text=text,
                    title=title,
                    whatsapp_template=whatsapp_template,
                    whatsapp_parameters=list(whatsapp_parameters or ()),
                    created_by=acting_user
                    if getattr(acting_user, "is_authenticated", False)
                    else None,
                    source=source,
                )
                record_event(
                    actor=acting_user,
                    action=Action.CREATE,
                    via=via,
                    instance=row,
                    detail={"code": code, "language": language, "version": row.version},
                )
            return row
        except IntegrityError:
            continue  # another editor took this number a moment ago: take the next one
    raise ValidationError(_("Someone else is saving this message; try again."))


@dataclass(frozen=True)
class Preview:
    language: str
    text: str  # rendered with the sample values ("" when it cannot be)
    problem: str
    segments: rules.SegmentCount | None
    version: MessageTemplate | None


def preview(*, code: str, clinic_id: int | None, texts: dict | None = None) -> list[Preview]:
    """The message in both languages with sample values, and its SMS segments: `texts`
    ({language: text}) overrides what is stored (the version being looked at)."""
    previews = []
    for language in Language.values:
        override = (texts or {}).get(language)
        wording = choose(code=code, clinic_id=clinic_id, language=language)
        text = override if override is not None else (wording.text if wording else "")
        version = None if override is not None or wording is None else wording.version
        try:
            body = rules.render(text, SAMPLE_VALUES).text
            problem = ""
        except (rules.TemplateError, rules.MissingValues) as error:
            body, problem = "", str(error)
        previews.append(
            Preview(
                language=language,
                text=body,
                problem=problem,
                segments=rules.sms_segments(body) if body else None,
                version=version,
            )
        )
    return previews
