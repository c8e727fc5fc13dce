"""The writes of "My data" (issue 22): a patient's request to correct or erase their data, the
manager's answer, and the audit of an export. Each one transaction with its audit row; the
managers hear of a new request through the outbox (a link, nothing about the patient).

A patient's answer about being contacted is not written here: the view calls
`notifications.contacts.record_consent`, the one record of it, with method "portal".
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.accounts.roles import Role
from mesoclinic.audit.services import Action, record_event, save_audited
from mesoclinic.care.models import (
    AdverseEvent,
    Consent,
    Consultation,
    Course,
    PatchTest,
    PatchTestItem,
    SessionProduct,
    TreatmentSession,
)
from mesoclinic.core.links import absolute_url
from mesoclinic.notifications import services as notifications
from mesoclinic.portal import erasure
from mesoclinic.portal.models import DataRequest

DETAILS_MAX = 2000

#: How the portal names what an erasure keeps, for the patient and the manager alike.
KEPT_WORDS = {
    erasure.AUDIT_TRAIL: lambda: _(
        "The record of who opened or changed your data and when (the audit trail): the law "
        "asks the clinic to be able to show it, and nobody can change it."
    ),
    erasure.LOT_TRACEABILITY: lambda: _(
        "Which batch (lot) of which product was used on you: if a product is recalled, the "
        "clinic must still be able to reach you."
    ),
    erasure.CLINICAL_RECORDS: lambda: _(
        "Your clinical record (consultations, consents, patch tests, treatment plans and "
        "sessions, side-effect reports) for as long as the law requires the clinic to keep it."
    ),
}


def kept_words(kept) -> list[tuple[str, str]]:
    """A request's `kept` list as (sentence, until) pairs in the reader's language."""
    return [(str(KEPT_WORDS[item["code"]]()), item.get("until") or "") for item in kept]


def always_kept() -> list[tuple[str, str]]:
    """What any erasure keeps, said to the patient before they ask for one."""
    return kept_words([{"code": code} for code in KEPT_WORDS])


def ask(*, acting_user, patient, kind: str, details: str, via: str) -> DataRequest:
    """The patient's request about `patient` (one of their own records, found through
    `for_user` by the caller), audited, and the clinic's managers told after commit."""
    details = (details or "").strip()
    errors = {}
    if kind not in DataRequest.Kind.values:
        errors["kind"] = [_("Choose what you are asking for.")]
    if kind == DataRequest.Kind.CORRECTION and not details:
        errors["details"] = [_("Say what is wrong and what it should say.")]
    if len(details) > DETAILS_MAX:
        errors["details"] = [_("Keep it under %(n)s characters.") % {"n": DETAILS_MAX}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = DataRequest.objects.create(
            patient=patient,
            clinic_id=patient.registered_clinic_id,
            kind=kind,
            details=details,
            asked_by=acting_user,
        )
        # Counts and codes only: never what the patient wrote.
        record_event(
            actor=acting_user,
            action=Action.CREATE,
            via=via,
            instance=request,
            detail={"kind": kind},
        )
        _tell_managers(request, acting_user=acting_user, via=via)
    return request


def managers_to_tell(clinic_id: int) -> list[str]:
    """The e-mail addresses of the clinic's active managers (one query)."""
    return list(
        get_user_model()
        .objects.filter(
            memberships__clinic_id=clinic_id,
            groups__name=Role.CLINIC_MANAGER.value,
            is_active=True,
        )
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
        .distinct()
    )


def _tell_managers(request: DataRequest, *, acting_user, via: str) -> None:
    """One e-mail per manager (the clinic's own inbox when it has none), queued in the
    request's transaction: the clinic and a link, nothing about the patient or what they
    asked (the page says it, behind sign-in and audit)."""
    clinic = request.clinic
    addresses = managers_to_tell(clinic.pk) or ([clinic.email] if clinic.email else [])
    url = absolute_url(reverse("portal_requests:list"))
    subject = f"portal.datarequest:{request.pk}"
    for n, address in enumerate(addresses):
        with notifications.never_blocking(subject):
            notifications.enqueue(
                key=f"data-request-{request.pk}-{n}",
                channel="email",
                address=address,
                language="en",
                template="data-request-notice",
                values={"clinic": clinic.name, "url": url},
                clinic_id=clinic.pk,
                subject=subject,
                acting_user=acting_user,
                via=via,
            )


def held_by_clinic(patient) -> erasure.Held:
    """What the clinic holds about `patient` (one record), as the erasure rule reads it."""
    records = sum(
        model.objects.filter(patient=patient).count()
        for model in (Consultation, Consent, Course, TreatmentSession, PatchTest, AdverseEvent)
    )
    lot_uses = (
        SessionProduct.objects.filter(session__patient=patient).count()
        + PatchTestItem.objects.filter(patch_test__patient=patient).count()
    )
    last = TreatmentSession.objects.filter(patient=patient).aggregate(last=Max("started_at"))
    last_consulted = Consultation.objects.filter(patient=patient).aggregate(last=Max("recorded_at"))
    moments = [m for m in (last["last"], last_consulted["last"]) if m is not None]
    last_treated_on = timezone.localdate(max(moments)) if moments else None
    return erasure.Held(
        clinical_records=records, lot_uses=lot_uses, last_treated_on=last_treated_on
    )


def answer(*, acting_user, request: DataRequest, status: str, answer: str, via: str) -> DataRequest:
    """The manager marks `request` done or refused (a refusal with its reason); an erasure's
    answer carries what the clinic keeps, from the erasure rule. One transaction, audited."""
    answer = (answer or "").strip()
    errors = {}
    if status not in (DataRequest.Status.DONE, DataRequest.Status.REFUSED):
        errors["status"] = [_("Choose done or refused.")]
    if status == DataRequest.Status.REFUSED and not answer:
        errors["answer"] = [_("Say why the request is refused.")]
    if len(answer) > DETAILS_MAX:
        errors["answer"] = [_("Keep it under %(n)s characters.") % {"n": DETAILS_MAX}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = DataRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != DataRequest.Status.OPEN:
            raise ValidationError({"status": [_("This request was already answered.")]})
        locked.status = status
        locked.answer = answer
        locked.answered_by = acting_user
        locked.answered_at = timezone.now()
        fields = ["status", "answer", "answered_by", "answered_at"]
        if locked.kind == DataRequest.Kind.ERASURE:
            decision = erasure.decide(held_by_clinic(locked.patient), today=timezone.localdate())
            locked.kept = [
                {"code": k.code, "until": k.until.isoformat() if k.until else ""}
                for k in decision.kept
            ]
            fields.append("kept")
        save_audited(locked, actor=acting_user, via=via, fields=fields, detail={"status": status})
    return locked


def audit_export(*, acting_user, records, via: str, form: str) -> None:
    """The export in the trail (`form`: "json" or "pdf"): one row for the download, with the
    count of records, and one per record exported, in one transaction."""
    records = list(records)
    with transaction.atomic():
        record_event(
            actor=acting_user,
            action=Action.LIST,
            via=via,
            object_type="patients.patient",
            detail={"export": form, "records": len(records)},
        )
        for record in records:
            record_event(
                actor=acting_user,
                action=Action.VIEW,
                via=via,
                instance=record,
                detail={"export": form},
            )
