"""Reads of patients: scoped through `Patient.objects.for_user`, prefetched, keyset-paginated."""

from dataclasses import dataclass

from django.db.models import Q

from mesoclinic.accounts.roles import is_administrator
from mesoclinic.audit.services import Action, record_event
from mesoclinic.clinics import scoping
from mesoclinic.core.pages import keyset_page
from mesoclinic.notifications.models import Message
from mesoclinic.patients.models import Enquiry, Patient
from mesoclinic.patients.search import classify_query

PAGE_SIZE = 25


@dataclass
class PatientPage:
    patients: list[Patient]
    next_cursor: int | None
    kind: str


def search_patients(user, query: str = "", clinic: str = ""):
    """Visible patients matching the search box (and a clinic's slug, if given), newest first
    (ORDER BY id DESC for keyset pagination)."""
    patients = Patient.objects.for_user(user).select_related("registered_clinic")
    if clinic:
        patients = patients.filter(registered_clinic__slug=clinic)
    kind, value = classify_query(query)
    if kind == "mrn":
        patients = patients.filter(mrn=value)  # unique index on mrn
    elif kind == "cnic":
        patients = patients.filter(cnic=value)  # unique index on cnic
    elif kind == "cnic_prefix":
        patients = patients.filter(cnic__startswith=value)
    elif kind == "mobile":
        patients = patients.filter(mobile=value)  # index on mobile
    elif kind == "digits":
        patients = patients.none()
    elif kind == "name":
        # The user's clinics again, as values: for_user's sub-select is a join to PostgreSQL,
        # while a plain `IN (1)` lets each name condition use (clinic, UPPER(name)) prefix
        # indexes, or the clinic's newest patients when a name is everywhere. Visibility is
        # still decided by for_user alone; this only repeats it.
        clinic_ids = scoping.clinic_ids(user, scoping.Kind.PATIENT)
        if clinic_ids is not None:
            patients = patients.filter(registered_clinic_id__in=clinic_ids)
        for token in value.split():
            patients = patients.filter(
                Q(first_name__istartswith=token)
                | Q(last_name__istartswith=token)
                # Urdu script has no case: a plain LIKE, served by patient_name_ur_trgm,
                # without upper-casing every candidate's Urdu name to compare it.
                | Q(name_ur__contains=token)
            )
    return patients.order_by("-id"), kind


def patient_page(
    user, *, query: str = "", clinic: str = "", before: int | None = None, size: int = PAGE_SIZE
):
    """One page of the patient list (one query): `before` is the last id of the previous page."""
    patients, kind = search_patients(user, query, clinic)
    rows, next_cursor = keyset_page(patients, before, size)
    return PatientPage(patients=rows, next_cursor=next_cursor, kind=kind)


def get_patient_for_user(user, pk, *, via: str, action: str = Action.VIEW) -> Patient:
    """The patient if `user` may see them, with the read audited; otherwise 404, audited as denied.

    A missing patient and another clinic's patient look the same from outside. So does an
    archived patient to clinic staff: the desk must not book, record or message a record taken
    out of use by mistake. Administrators, who archive and restore, open it (the page says
    "Archived"), since the record is kept for them to answer the audit and the law.
    """
    try:
        patient = (
            Patient.objects.for_user(user, archived=is_administrator(user))
            .select_related("registered_clinic", "created_by")
            .get(pk=int(pk))
        )
    except (Patient.DoesNotExist, ValueError, TypeError):
        raise scoping.denied(user, Patient, pk, via=via, message="No patient found.") from None
    if action:
        record_event(actor=user, action=action, via=via, instance=patient)
    return patient


@dataclass
class EnquiryPage:
    enquiries: list
    next_cursor: int | None


def enquiry_page(user, *, status: str = "", before: int | None = None, size: int = PAGE_SIZE):
    """One page of the enquiries inbox, newest first (one query; enquiry_clinic_status_idx)."""
    enquiries = Enquiry.objects.for_user(user).select_related("clinic").order_by("-id")
    if status:
        enquiries = enquiries.filter(status=status)
    rows, next_cursor = keyset_page(enquiries, before, size)
    return EnquiryPage(enquiries=rows, next_cursor=next_cursor)


def get_enquiry_for_user(user, pk: int, *, via: str):
    """One enquiry, or 404 whether it is missing or another clinic's (the attempt is audited)."""
    enquiry = Enquiry.objects.for_user(user).select_related("clinic").filter(pk=pk).first()
    if enquiry is None:
        raise scoping.denied(user, Enquiry, pk, via=via, message="No such enquiry")
    return enquiry


# --- the messages sent: a clinic's outbox and delivery log, a patient's messages -------------
#
# A message says how a patient (or the clinic) is reached: its address, and when and by which
# channel they were contacted. That is a record of Kind.PATIENT, which receptionists read (they
# call the patients back), judged by the clinic that sent it (`Message.clinic_id`, a plain
# integer: the outbox stands below clinics). It is not CLINICAL: the bodies carry no clinical
# detail by design (notifications/catalogue.py). The values a message was rendered from are
# never read here (`defer`): they are the sender's, not the staff's.

MESSAGE_PAGE_SIZE = 25


@dataclass
class MessagePage:
    messages: list[Message]
    next_cursor: int | None


def messages_for_user(user):
    """The messages `user` may see: those sent by the clinics where they read patients."""
    messages = Message.objects.defer("values")
    return scoping.restrict(messages, user, scoping.Kind.PATIENT, clinic="clinic_id")


def clinic_message_page(
    user, *, clinic_id: int, status: str = "", before=None, size: int = MESSAGE_PAGE_SIZE
) -> MessagePage:
    """One page of a clinic's outbox and delivery log, newest first (one query;
    message_clinic_idx, or message_clinic_status_idx with a status)."""
    messages = messages_for_user(user).filter(clinic_id=clinic_id).order_by("-id")
    if status:
        messages = messages.filter(status=status)
    rows, next_cursor = keyset_page(messages, before, size)
    return MessagePage(messages=rows, next_cursor=next_cursor)


def patient_message_page(
    user, *, patient_id: int, before=None, size: int = MESSAGE_PAGE_SIZE
) -> MessagePage:
    """One page of the messages sent to a patient, newest first (one query;
    message_patient_idx). The caller has shown the patient is `user`'s to see."""
    messages = messages_for_user(user).filter(patient_id=patient_id).order_by("-id")
    rows, next_cursor = keyset_page(messages, before, size)
    return MessagePage(messages=rows, next_cursor=next_cursor)


def get_message_for_user(user, pk, *, via: str) -> Message:
    """One message, or 404 whether it is missing or another clinic's (the attempt audited)."""
    try:
        return messages_for_user(user).get(pk=int(pk))
    except (Message.DoesNotExist, ValueError, TypeError, OverflowError):
        raise scoping.denied(user, Message, pk, via=via, message="No such message.") from None
