"""Registering and editing patients. Every write goes through here, in one transaction with its
audit row, whichever interface (staff page, API, admin, seed) asked for it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.roles import is_administrator
from mesoclinic.audit.services import Action, Interface, record_event, save_audited, user_or_none
from mesoclinic.core.links import absolute_url
from mesoclinic.notifications import contacts
from mesoclinic.notifications import services as notifications
from mesoclinic.notifications.models import ConsentMethod
from mesoclinic.patients.identifiers import make_mrn
from mesoclinic.patients.models import Enquiry, Patient
from mesoclinic.patients.signals import patient_archived

#: Fields a person may set when registering or editing a patient. The Fitzpatrick skin type is
#: not one of them: it is asked once, by a clinician at the consultation, which keeps the
#: patient's record in step (a receptionist cannot judge a skin type).
EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "name_ur",
    "date_of_birth",
    "sex",
    "cnic",
    "mobile",
    "email",
    "preferred_language",
    "emergency_contact_name",
    "emergency_contact_relation",
    "emergency_contact_phone",
)

#: Said when the database refuses a row the checks above let through (a race we cannot name).
_CONFLICT = {
    "__all__": ["This patient conflicts with a record saved a moment ago; check and try again."]
}


def duplicate_errors(
    *, user, via: str, data: dict, exclude_pk: int | None = None
) -> dict[str, list[str]]:
    """Field errors for a patient who is already registered, by CNIC or name + birth date + mobile.

    The existing MRN is named only when `user` may see that patient; otherwise the message says
    the patient is registered at another clinic, and that disclosure is audited as `denied`.
    Names are lower-cased by the database on both sides, exactly as the unique constraint does.
    """
    errors: dict[str, list[str]] = {}
    others = Patient.objects.exclude(pk=exclude_pk) if exclude_pk else Patient.objects.all()
    columns = ("pk", "mrn", "registered_clinic_id", "archived_at")
    if data.get("cnic"):
        match = others.filter(cnic=data["cnic"]).values(*columns).first()
        if match:
            errors["cnic"] = [_duplicate_message(user, via, match, _("this CNIC"))]
    if data.get("first_name") and data.get("date_of_birth") and data.get("mobile"):
        match = (
            others.alias(first_lower=Lower("first_name"), last_lower=Lower("last_name"))
            .filter(
                first_lower=Lower(Value(data["first_name"])),
                last_lower=Lower(Value(data.get("last_name") or "")),
                date_of_birth=data["date_of_birth"],
                mobile=data["mobile"],
            )
            .values(*columns)
            .first()
        )
        if match:
            errors["__all__"] = [
                _duplicate_message(user, via, match, _("this name, date of birth and mobile"))
            ]
    return errors


def _duplicate_message(user, via: str, match: dict, what: str) -> str:
    if Patient.objects.for_user(user, archived=True).filter(pk=match["pk"]).exists():
        if match["archived_at"] is not None:
            return _(
                "A patient with %(what)s is registered but archived: %(mrn)s. Ask an "
                "administrator to restore the record instead of registering them again."
            ) % {"what": what, "mrn": match["mrn"]}
        return _("A patient with %(what)s is already registered: %(mrn)s.") % {
            "what": what,
            "mrn": match["mrn"],
        }
    # The refusal tells this user the person is a patient somewhere in the chain: recorded like
    # any other attempt at a record outside their clinics.
    record_event(
        actor=user,
        action=Action.DENIED,
        via=via,
        object_type=Patient._meta.label_lower,
        object_id=match["pk"],
        clinic_id=match["registered_clinic_id"],
        detail={"duplicate_check": True},
    )
    return _(
        "A patient with %(what)s is already registered at another clinic of the chain; "
        "ask an administrator to give you access instead of registering them again."
    ) % {"what": what}


def register_patient(*, acting_user, via: str, clinic, data: dict, opt_in_channels=()) -> Patient:
    """Create a patient at `clinic` with a new MRN, refusing duplicates. `data` is validated.
    `opt_in_channels` are the channels the patient agreed to be messaged by, recorded (in
    person) in the same transaction.

    The duplicate check runs before the transaction so that its audit rows survive a refusal.
    """
    fields = {name: data[name] for name in EDITABLE_FIELDS if name in data}
    errors = duplicate_errors(user=acting_user, via=via, data=fields)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            patient = Patient(
                **fields, registered_clinic=clinic, created_by=user_or_none(acting_user)
            )
            patient.save()
            patient.mrn = make_mrn(patient.pk)
            patient.save(update_fields=["mrn"])
            record_event(
                actor=acting_user,
                action=Action.CREATE,
                via=via,
                instance=patient,
                changed_fields=sorted(fields),
            )
            for channel in opt_in_channels:
                contacts.opt_in(
                    patient_id=patient.pk,
                    clinic_id=clinic.pk,
                    channel=channel,
                    method=ConsentMethod.IN_PERSON,
                    acting_user=acting_user,
                    via=via,
                )
    except IntegrityError as exc:
        # A concurrent registration won the race past the check above: same answer as the check.
        raise ValidationError(
            duplicate_errors(user=acting_user, via=via, data=fields) or _CONFLICT
        ) from exc
    return patient


#: What a portal sign-in proves: a record stops being the account's when either changes.
PORTAL_IDENTITY_FIELDS = frozenset({"mobile", "date_of_birth"})


def _unlink_portal_if_identity_changed(current: Patient, changed: list[str]) -> list[str]:
    """Unlink the portal account from a record whose mobile or date of birth just changed (the
    next sign-in links it again if the person proves the new ones); the fields to save."""
    if current.portal_user_id is None or not PORTAL_IDENTITY_FIELDS & set(changed):
        return []
    current.portal_user = None
    return ["portal_user"]


def update_patient(*, acting_user, via: str, patient: Patient, data: dict) -> list[str]:
    """Apply validated changes; returns the names of the fields that really changed.

    Compares with the row as stored, locked for the transaction, not with `patient`, which a
    bound ModelForm may already have changed in memory; two clerks saving at once cannot lose
    each other's edits. `patient` is updated to match what was saved. A refusal raises after
    the transaction ends, so the audit rows of the duplicate check are kept.
    """
    errors: dict = {}
    try:
        with transaction.atomic():
            current = Patient.objects.select_for_update().get(pk=patient.pk)
            changed = [
                name
                for name in EDITABLE_FIELDS
                if name in data and getattr(current, name) != data[name]
            ]
            if not changed:
                return []
            candidate = {name: data.get(name, getattr(current, name)) for name in EDITABLE_FIELDS}
            errors = duplicate_errors(
                user=acting_user, via=via, data=candidate, exclude_pk=patient.pk
            )
            if not errors:
                for name in changed:
                    setattr(current, name, data[name])
                unlinked = _unlink_portal_if_identity_changed(current, changed)
                current.save(update_fields=[*changed, *unlinked, "updated_at"])
                record_event(
                    actor=acting_user,
                    action=Action.UPDATE,
                    via=via,
                    instance=current,
                    changed_fields=changed,
                )
    except IntegrityError as exc:
        raise ValidationError(
            duplicate_errors(user=acting_user, via=via, data=candidate, exclude_pk=patient.pk)
            or _CONFLICT
        ) from exc
    if errors:
        raise ValidationError(errors)
    for name in (*changed, "updated_at"):
        setattr(patient, name, getattr(current, name))
    return changed


#: What a visitor may put into an appointment request.
ENQUIRY_FIELDS = ("name", "mobile", "preferred_language", "concern", "preferred_time", "message")


#: Open requests one mobile number may have at one clinic: a double-click or an impatient
#: visitor makes one row, not ten.
OPEN_ENQUIRIES_PER_MOBILE = 1


def submit_enquiry(*, clinic, data: dict, notify_url: str = "", via: str = Interface.PUBLIC):
    """Record a visitor's appointment request for `clinic` and queue the clinic's e-mail notice.

    A number that already has an open ("new") request at this clinic does not add another:
    the existing one is returned, so staff call once. The notice carries no name or number,
    only a link to the staff inbox (`notify_url`, or the inbox on PUBLIC_BASE_URL): mail leaves
    our control, the inbox is scoped and audited. It is queued in the request's transaction
    (the outbox), so a rolled-back request sends none, and the worker sends it; a fault while
    queueing it never refuses the visitor, since staff see the request in the inbox anyway.
    """
    with transaction.atomic():
        open_requests = Enquiry.objects.filter(
            clinic=clinic, mobile=data["mobile"], status=Enquiry.Status.NEW
        )
        existing = open_requests.order_by("-id").first()
        if existing is not None and open_requests.count() >= OPEN_ENQUIRIES_PER_MOBILE:
            return existing
        enquiry = Enquiry.objects.create(
            clinic=clinic, **{field: data.get(field) or "" for field in ENQUIRY_FIELDS}
        )
        record_event(actor=None, action=Action.CREATE, via=via, instance=enquiry)
        if clinic.email:
            subject = f"patients.enquiry:{enquiry.pk}"
            with notifications.never_blocking(subject):
                notifications.enqueue(
                    key=f"enquiry-{enquiry.pk}-notice",
                    channel="email",
                    address=clinic.email,
                    language="en",
                    template="enquiry-notice",
                    values={
                        "clinic": clinic.name,
                        "inbox_url": notify_url or absolute_url(reverse("patients:enquiries")),
                    },
                    clinic_id=clinic.pk,
                    subject=subject,
                    via=via,
                )
    return enquiry


def record_booked_enquiry(*, clinic, data: dict, via: str = Interface.PUBLIC) -> Enquiry:
    """The enquiry behind a visitor's own booking from the public page (status "booked"):
    the appointment needs someone to be for before the visitor is registered as a patient, and
    the inbox shows staff who booked. Call it inside the booking's transaction."""
    with transaction.atomic():
        enquiry = Enquiry.objects.create(
            clinic=clinic,
            status=Enquiry.Status.BOOKED,
            **{field: data.get(field) or "" for field in ENQUIRY_FIELDS},
        )
        record_event(actor=None, action=Action.CREATE, via=via, instance=enquiry)
    return enquiry


def set_enquiry_status(*, acting_user, via: str, enquiry, status: str) -> None:
    """Move an enquiry along (new → contacted → booked or closed), remembering who handled it."""
    with transaction.atomic():
        enquiry.status = status
        enquiry.handled_by = acting_user
        enquiry.handled_at = timezone.now()
        save_audited(
            enquiry,
            actor=acting_user,
            via=via,
            fields=["status", "handled_by", "handled_at"],
        )


# --- archiving: a patient is never deleted ---------------------------------------------------

#: Fields archiving and restoring change, as the audit row lists them.
ARCHIVE_FIELDS = ["archived_at", "archived_by", "archive_reason"]


def archive_patient(*, acting_user, via: str, patient: Patient, reason: str) -> Patient:
    """Take a patient out of the day's work (search, lists, pickers, the API, new records)
    without losing a line of their record: a duplicate registered by mistake, someone who asked
    to leave, a record kept only because the law says so. Administrators only; the reason is
    required and kept on the row, the audit row says who and when (never the reason's words).
    In the same transaction, their appointments still to come are cancelled and their
    messages not yet sent are cancelled, so someone who asked to leave hears nothing more."""
    if not is_administrator(acting_user):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the patient is archived.")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("Keep the reason under 500 characters.")]})
    with transaction.atomic():
        current = Patient.objects.select_for_update().get(pk=patient.pk)
        if current.archived_at is not None:
            raise ValidationError({"__all__": [_("This patient is already archived.")]})
        current.archived_at = timezone.now()
        current.archived_by = acting_user
        current.archive_reason = reason
        current.save(update_fields=[*ARCHIVE_FIELDS, "updated_at"])
        record_event(
            actor=acting_user,
            action=Action.SECURITY,
            via=via,
            instance=current,
            changed_fields=ARCHIVE_FIELDS,
            detail={"code": "patient_archived"},
        )
        # What they had booked is cancelled (appointments listens, its own service and audit),
        # then every message still waiting for them, the cancellation notices included.
        patient_archived.send(sender=Patient, patient=current, acting_user=acting_user, via=via)
        notifications.cancel_queued_for_patient(
            patient_id=current.pk, reason="patient archived", acting_user=acting_user, via=via
        )
    for name in (*ARCHIVE_FIELDS, "updated_at"):
        setattr(patient, name, getattr(current, name))
    return patient


def restore_patient(*, acting_user, via: str, patient: Patient) -> Patient:
    """Bring an archived patient back into search and lists, as they were. Administrators
    only; audited like the archiving."""
    if not is_administrator(acting_user):
        raise PermissionDenied
    with transaction.atomic():
        current = Patient.objects.select_for_update().get(pk=patient.pk)
        if current.archived_at is None:
            raise ValidationError({"__all__": [_("This patient is not archived.")]})
        current.archived_at, current.archived_by, current.archive_reason = None, None, ""
        current.save(update_fields=[*ARCHIVE_FIELDS, "updated_at"])
        record_event(
            actor=acting_user,
            action=Action.SECURITY,
            via=via,
            instance=current,
            changed_fields=ARCHIVE_FIELDS,
            detail={"code": "patient_restored"},
        )
    for name in (*ARCHIVE_FIELDS, "updated_at"):
        setattr(patient, name, getattr(current, name))
    return patient
