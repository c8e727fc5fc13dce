"""What "My data" reads: everything the clinics hold about the signed-in patient, who opened it,
their requests and their answers about being contacted (issue 22).

Every row comes through a model's `for_user` (the patient's branch of the one scoping rule) or,
for the floors below `patients` that hold plain patient ids (the outbox, contact consents), by
the ids of the records `for_user` gave: nothing here takes a patient id from the request.
Each kind is one query (a few prefetches beside), so the export costs the same number of queries
for one session or a hundred (`EXPORT_QUERIES`, asserted by the tests).
"""

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import CharField, Max, Prefetch, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.accounts.roles import Role, role_labels
from mesoclinic.aftercare.models import (
    CheckIn,
    CoursePhoto,
    MarketingConsent,
    OutcomeScore,
    SideEffect,
)
from mesoclinic.appointments.models import Appointment, Series
from mesoclinic.audit.models import AuditEvent
from mesoclinic.care.models import (
    AdverseEvent,
    Allergy,
    BaselinePhoto,
    Consent,
    Consultation,
    Course,
    PatchTest,
    PatchTestItem,
    SessionProduct,
    TreatmentSession,
)
from mesoclinic.clinics.models import Practitioner
from mesoclinic.notifications.models import ContactChannel, ContactConsent, Message
from mesoclinic.portal import selectors
from mesoclinic.portal.models import DataRequest

#: The queries `gather` runs at most, whatever the data (one per kind, the prefetches, the
#: people's names and the access log).
EXPORT_QUERIES = 30

#: Rows of the access log the export carries (the newest); the page pages through all of them.
EXPORT_ACCESS_ROWS = 1000

#: Columns never exported: internal keys and what only the software needs (digests, leases,
#: the signature's strokes, the outbox's rendered text, which holds one-time codes and links).
HIDDEN = frozenset(
    {
        "id",
        "patient",
        "portal_user",
        "clinic",
        "facts_digest",
        "plan_digest",
        "pdf_sha256",
        "sha256",
        "signature",
        "thumbnail",
        "course",
        "session",
        "consultation",
        "check_in",
        "patch_test",
        "adverse_event",
        "movement",
        "override",
        "series",
        "enquiry",
        "component",
        "protocol_component",
        "version",
        "blocked_from",
        "blocked_until",
        "course_id",
        "patient_id",
        "clinic_id",
    }
)

#: The outbox's columns a patient gets: what was sent, by which channel, when and how it went;
#: never the address, the values or the body (sign-in codes and signed links are in them).
MESSAGE_FIELDS = (
    "template",
    "channel",
    "language",
    "status",
    "created_at",
    "sent_at",
    "delivered_at",
)

#: Record types the access log follows, each with the patient's rows of it and its words.
RECORD_KINDS = {
    "patients.patient": _("your details"),
    "care.consultation": _("a consultation"),
    "care.allergy": _("an allergy"),
    "care.baselinephoto": _("a photo"),
    "care.patchtest": _("a patch test"),
    "care.consent": _("a consent"),
    "care.course": _("a treatment plan"),
    "care.treatmentsession": _("a treatment session"),
    "care.adverseevent": _("a side-effect report"),
    "aftercare.checkin": _("a check-in"),
    "aftercare.sideeffect": _("a side effect"),
    "aftercare.coursephoto": _("a photo"),
    "aftercare.outcomescore": _("a score"),
    "aftercare.marketingconsent": _("a photo-use consent"),
    "appointments.appointment": _("an appointment"),
    "appointments.series": _("a set of bookings"),
    "notifications.contactconsent": _("how we may contact you"),
    "portal.datarequest": _("a request about your data"),
}

ACTION_WORDS = {
    AuditEvent.Action.VIEW: _("Opened"),
    AuditEvent.Action.LIST: _("Looked through"),
    AuditEvent.Action.CREATE: _("Added"),
    AuditEvent.Action.UPDATE: _("Changed"),
    AuditEvent.Action.DELETE: _("Removed"),
    AuditEvent.Action.DENIED: _("Was refused"),
}


# --- one row, as the export and the PDF show it --------------------------------------------


@dataclass
class Row:
    """One record: `data` for the JSON (field name -> plain value), `shown` for the PDF
    (label -> text in the page's language)."""

    data: dict
    shown: list
    children: dict = field(default_factory=dict)  # a session's products, a test's lots


def _plain(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _text(value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(_plain(value))


def row(obj, names: "People", *, only=None) -> Row:
    """`obj` as a Row: its columns but the hidden ones, choices in words, people by name,
    files by name only, products and lots by what they are."""
    data, shown = {}, []
    for f in obj._meta.concrete_fields:
        if (only is not None and f.name not in only) or (only is None and f.name in HIDDEN):
            continue
        label = str(f.verbose_name)
        if f.is_relation:
            related_id = getattr(obj, f.attname)
            if f.related_model is get_user_model():
                value = shown_value = names.user(related_id)
            elif f.related_model is Practitioner:
                value = shown_value = names.practitioner(related_id)
            elif related_id is None:
                value, shown_value = None, None
            else:
                related = getattr(obj, f.name)
                value = shown_value = getattr(related, "name", None) or str(related)
        elif f.get_internal_type() in ("FileField", "ImageField"):
            name = getattr(obj, f.attname)
            value = shown_value = os.path.basename(str(name)) if name else ""
        else:
            value = getattr(obj, f.attname)
            shown_value = getattr(obj, f"get_{f.name}_display")() if f.choices else value
        data[f.name] = _plain(value)
        shown.append((label, _text(shown_value)))
    return Row(data=data, shown=shown)


class People:
    """The names of the people the records mention, read in two queries for the whole
    export (users, practitioners) after every row is loaded."""

    def __init__(self):
        self.user_ids: set[int] = set()
        self.practitioner_ids: set[int] = set()
        self.users: dict[int, str] = {}
        self.practitioners: dict[int, str] = {}

    def note(self, objects) -> None:
        for obj in objects:
            for f in obj._meta.concrete_fields:
                if not f.is_relation or getattr(obj, f.attname) is None:
                    continue
                if f.related_model is get_user_model():
                    self.user_ids.add(getattr(obj, f.attname))
                elif f.related_model is Practitioner:
                    self.practitioner_ids.add(getattr(obj, f.attname))

    def load(self) -> None:
        for p in Practitioner.objects.filter(pk__in=self.practitioner_ids).values("pk", "user_id"):
            self.user_ids.add(p["user_id"])
            self.practitioners[p["pk"]] = p["user_id"]
        User = get_user_model()
        for u in User.objects.filter(pk__in=self.user_ids).only(
            "first_name", "last_name", "username"
        ):
            self.users[u.pk] = display_name(u)
        self.practitioners = {k: self.users.get(v, "") for k, v in self.practitioners.items()}

    def user(self, pk):
        return self.users.get(pk) if pk is not None else None

    def practitioner(self, pk):
        return self.practitioners.get(pk) if pk is not None else None


def display_name(user) -> str:
    """A person's name as the patient sees it: staff by name; a patient account (named by a
    random username) as "a patient"."""
    full = user.get_full_name().strip()
    if full:
        return full
    if user.username.startswith("patient-"):
        return str(_("a patient"))
    return user.username


# --- the export ----------------------------------------------------------------------------


#: Each section of a clinic's record: its key, heading, and how its rows are read.
SECTIONS = (
    ("consultations", _("Consultations and screenings")),
    ("allergies", _("Allergies")),
    ("patch_tests", _("Patch tests")),
    ("consents", _("Consents")),
    ("courses", _("Treatment plans")),
    ("sessions", _("Treatment sessions")),
    ("check_ins", _("Check-ins")),
    ("side_effects", _("Side effects")),
    ("scores", _("Scores")),
    ("photos", _("Photos")),
    ("adverse_events", _("Side-effect reports")),
    ("appointments", _("Appointments")),
    ("marketing_consents", _("Consent to use photos")),
    ("contact_consents", _("Consent to be contacted")),
    ("messages", _("Messages sent to you")),
    ("requests", _("Your requests")),
)


def _querysets(user, ids):
    """Each section's rows for the patient, one queryset per kind (all `for_user`, but the
    outbox and contact consents, which stand below patients and are read by the ids
    `for_user` gave)."""
    items = Prefetch("items", queryset=PatchTestItem.objects.select_related("lot__product"))
    products = Prefetch(
        "products", queryset=SessionProduct.objects.select_related("lot__product").order_by("pk")
    )
    return {
        "consultations": Consultation.objects.for_user(user),
        "allergies": Allergy.objects.for_user(user).select_related("ingredient", "patch_test"),
        "patch_tests": PatchTest.objects.for_user(user).prefetch_related(items),
        "consents": Consent.objects.for_user(user).select_related("text"),
        "courses": Course.objects.for_user(user).select_related("protocol_version__protocol"),
        "sessions": TreatmentSession.objects.for_user(user)
        .select_related("aftercare")
        .prefetch_related(products),
        "check_ins": CheckIn.objects.for_user(user),
        "side_effects": SideEffect.objects.for_user(user),
        "scores": OutcomeScore.objects.for_user(user),
        "photos": [
            *BaselinePhoto.objects.for_user(user).select_related("consultation"),
            *CoursePhoto.objects.for_user(user),
        ],
        "adverse_events": AdverseEvent.objects.for_user(user),
        "appointments": Appointment.objects.for_user(user).select_related("type", "room"),
        "marketing_consents": MarketingConsent.objects.for_user(user),
        "contact_consents": ContactConsent.objects.filter(patient_id__in=ids),
        "messages": Message.objects.filter(patient_id__in=ids).only(
            "patient_id", "clinic_id", *MESSAGE_FIELDS
        ),
        "requests": DataRequest.objects.for_user(user),
    }


def _patient_of(obj) -> int | None:
    if isinstance(obj, BaselinePhoto):
        return obj.patient_id
    return getattr(obj, "patient_id", None)


@dataclass
class ClinicRecord:
    patient: object  # the Patient row at this clinic
    details: Row
    sections: dict  # key -> list of Row

    @property
    def in_order(self) -> list:
        """(heading, rows) for each section that has rows, in the export's order."""
        return [(heading, self.sections[key]) for key, heading in SECTIONS if self.sections[key]]


@dataclass
class Export:
    records: list  # ClinicRecord, one per clinic that keeps one
    access: list  # AccessEntry, newest first (at most EXPORT_ACCESS_ROWS)
    made_at: datetime


def gather(user) -> Export:
    """Everything the clinics hold about `user`'s patient records, by clinic (a bounded number
    of queries: `EXPORT_QUERIES`)."""
    patients = list(selectors.my_records(user))
    ids = [p.pk for p in patients]
    loaded = {key: list(rows) for key, rows in _querysets(user, ids).items()}
    names = People()
    names.note(patients)
    for rows in loaded.values():
        names.note(rows)
    names.load()
    records = []
    for patient in patients:
        sections = {}
        for key, _heading in SECTIONS:
            mine = [obj for obj in loaded[key] if _patient_of(obj) == patient.pk]
            sections[key] = [_section_row(key, obj, names) for obj in mine]
        details = row(patient, names)
        records.append(ClinicRecord(patient=patient, details=details, sections=sections))
    access = access_entries(user, size=EXPORT_ACCESS_ROWS)[0]
    return Export(records=records, access=access, made_at=timezone.now())


def _section_row(key, obj, names) -> Row:
    if key == "messages":
        return row(obj, names, only=MESSAGE_FIELDS)
    result = row(obj, names)
    if key == "sessions":
        result.children["products"] = [
            Row(
                data={
                    "product": p.lot.product.brand,
                    "lot_number": p.lot.lot_number,
                    "expires_on": _plain(p.lot.expires_on),
                    "volume_ml": _plain(p.volume),
                    "zones": p.zones,
                },
                shown=[
                    (str(_("Product")), p.lot.product.brand),
                    (str(_("Lot number")), p.lot.lot_number),
                    (str(_("Expires")), _text(p.lot.expires_on)),
                    (str(_("Volume (mL)")), _text(p.volume)),
                ],
            )
            for p in obj.products.all()
        ]
    if key == "patch_tests":
        result.children["lots"] = [
            Row(
                data={"product": i.lot.product.brand, "lot_number": i.lot.lot_number},
                shown=[
                    (str(_("Product")), i.lot.product.brand),
                    (str(_("Lot number")), i.lot.lot_number),
                ],
            )
            for i in obj.items.all()
        ]
    return result


def as_json(export: Export) -> dict:
    """The export as one JSON document (plain values; files by name only)."""
    return {
        "format": "mesoclinic-my-data/1",
        "made_at": _plain(export.made_at),
        "records": [
            {
                "clinic": {
                    "name": r.patient.registered_clinic.name,
                    "city": r.patient.registered_clinic.city,
                    "phone": r.patient.registered_clinic.phone,
                },
                "patient": r.details.data,
                **{
                    key: [
                        {**item.data, **{k: [c.data for c in v] for k, v in item.children.items()}}
                        for item in r.sections[key]
                    ]
                    for key, _heading in SECTIONS
                },
            }
            for r in export.records
        ],
        "access_log": [entry.as_dict() for entry in export.access],
        "access_log_note": f"The newest {EXPORT_ACCESS_ROWS} entries at most.",
    }


# --- who opened my record ------------------------------------------------------------------


def record_refs(user) -> dict[str, list[str]]:
    """The patient's records as the audit trail names them: record type -> ids (as text). One
    query: a UNION ALL of each kind's `for_user` ids."""
    parts = [
        ("patients.patient", selectors.my_records(user)),
        ("care.consultation", Consultation.objects.for_user(user)),
        ("care.allergy", Allergy.objects.for_user(user)),
        ("care.baselinephoto", BaselinePhoto.objects.for_user(user)),
        ("care.patchtest", PatchTest.objects.for_user(user)),
        ("care.consent", Consent.objects.for_user(user)),
        ("care.course", Course.objects.for_user(user)),
        ("care.treatmentsession", TreatmentSession.objects.for_user(user)),
        ("care.adverseevent", AdverseEvent.objects.for_user(user)),
        ("aftercare.checkin", CheckIn.objects.for_user(user)),
        ("aftercare.sideeffect", SideEffect.objects.for_user(user)),
        ("aftercare.coursephoto", CoursePhoto.objects.for_user(user)),
        ("aftercare.outcomescore", OutcomeScore.objects.for_user(user)),
        ("aftercare.marketingconsent", MarketingConsent.objects.for_user(user)),
        ("appointments.appointment", Appointment.objects.for_user(user)),
        ("appointments.series", Series.objects.for_user(user)),
        ("portal.datarequest", DataRequest.objects.for_user(user)),
    ]
    querysets = [
        qs.order_by()
        .annotate(record_type=Value(label, output_field=CharField()))
        .annotate(record_id=Cast("pk", output_field=CharField()))
        .values_list("record_type", "record_id")
        for label, qs in parts
    ]
    refs: dict[str, list[str]] = {}
    for label, pk in querysets[0].union(*querysets[1:], all=True).order_by():
        refs.setdefault(label, []).append(pk)
    return refs


@dataclass(frozen=True)
class AccessEntry:
    """One line of "who opened my record": when, who (a name, or "you"), their role, what they
    did and to which kind of record, in words; never an id."""

    at: datetime
    who: str
    role: str
    action: str
    record: str
    yours: bool
    cursor: int  # the keyset cursor of the page (not shown)

    def as_dict(self) -> dict:
        return {
            "at": _plain(self.at),
            "who": self.who,
            "role": self.role,
            "action": self.action,
            "record": self.record,
        }


def access_events(user, refs: dict[str, list[str]]):
    """The audit rows about the patient's records, and their own portal actions, newest first.
    Each (type, ids) pair is a range of audit_object_idx (object_type, object_id, -id), the
    patient's own rows one of audit_actor_idx: PostgreSQL ORs the index scans (BitmapOr) and
    sorts the few rows a patient has."""
    condition = Q(actor=user)
    for label, ids in refs.items():
        condition |= Q(object_type=label, object_id__in=ids)
    return AuditEvent.objects.filter(condition).select_related("actor").order_by("-id")


def access_entries(user, *, before: int | None = None, size: int = 25):
    """One keyset page of the access log as AccessEntry lines, and the next page's cursor
    (queries: the refs, the page, the people's roles)."""
    events = access_events(user, record_refs(user))
    if before is not None:
        events = events.filter(id__lt=before)
    rows = list(events.prefetch_related("actor__groups")[: size + 1])
    cursor = rows[size - 1].pk if len(rows) > size else None
    return [_entry(event, user) for event in rows[:size]], cursor


def _entry(event, user) -> AccessEntry:
    actor = event.actor
    yours = actor is not None and actor.pk == user.pk
    if yours:
        who, role = str(_("You")), ""
    elif actor is None:
        who, role = str(_("The system")), ""
    else:
        groups = {g.name for g in actor.groups.all()}
        role = ", ".join(role_labels(groups))
        # Another patient's account has no name to show (and must not be shown one).
        who = str(_("Another patient")) if groups == {Role.PATIENT.value} else display_name(actor)
    action = ACTION_WORDS.get(event.action) or event.get_action_display()
    record = RECORD_KINDS.get(event.object_type)
    return AccessEntry(
        at=event.at,
        who=who,
        role=role,
        action=str(action),
        record=str(record) if record else "",
        yours=yours,
        cursor=event.pk,
    )


# --- consent to be contacted ---------------------------------------------------------------


def contact_answers(records) -> dict[int, dict[str, ContactConsent | None]]:
    """Each record's current answer per channel (record id -> channel -> newest row or None),
    in one query: the newest id per (patient, channel), by contactconsent_latest_idx."""
    ids = [r.pk for r in records]
    newest = (
        ContactConsent.objects.filter(patient_id__in=ids)
        .order_by()
        .values("patient_id", "channel")
        .annotate(newest=Max("id"))
        .values("newest")
    )
    answers = {pk: dict.fromkeys(ContactChannel.values) for pk in ids}
    for consent in ContactConsent.objects.filter(id__in=newest):
        answers[consent.patient_id][consent.channel] = consent
    return answers
