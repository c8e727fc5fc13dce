"""Escalation's consequences: the adverse event opened (through care, which owns the record the
gate reads), the dermatologist told at once, and the lot and clinic cluster signals checked.
All inside the caller's transaction: the event, its messages and any alert exist together."""

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from mesoclinic.accounts.roles import Role, is_patient_account
from mesoclinic.aftercare import escalation
from mesoclinic.aftercare.models import CheckIn, ClusterAlert
from mesoclinic.aftercare.selectors import settings_for
from mesoclinic.audit.services import Action, record_event, save_audited
from mesoclinic.care.models import AdverseEvent, SessionProduct
from mesoclinic.care.services.adverse_events import open_adverse_event
from mesoclinic.clinics.models import Membership, Practitioner
from mesoclinic.core.links import absolute_url
from mesoclinic.notifications import services as notifications

logger = logging.getLogger("mesoclinic.aftercare")


def escalate(*, acting_user, via: str, check_in: CheckIn, decision: escalation.Decision):
    """Open (or widen) the adverse event for the check-in's session, link the check-in to it,
    tell the dermatologist and check the cluster signals.

    A check-in whose event a dermatologist has closed escalates again only when it says
    something the event did not (a new trigger, a higher grade): reviewing it later to record
    when an effect resolved must not reopen the harm. The dermatologist is told again when an
    open event grows worse (a new trigger, a higher grade), since the patient is told the
    clinic knows."""
    linked = check_in.adverse_event
    if linked is not None and not linked.is_open and not _worse(decision, linked):
        return linked
    before = AdverseEvent.objects.filter(
        session_id=check_in.session_id, status=AdverseEvent.Status.OPEN
    ).first()
    event, created = open_adverse_event(
        acting_user=acting_user,
        via=via,
        session=check_in.session,
        triggers=list(decision.trigger_codes),
        effects=sorted({code for _, code in decision.triggers}),
        grade=decision.highest_grade,
        checklist=list(decision.checklist),
        source=_source(acting_user),
    )
    check_in.escalated = True
    check_in.adverse_event = event
    save_audited(check_in, actor=acting_user, via=via, fields=["escalated", "adverse_event"])
    # Opening merges the decision into the open event: it grew exactly when the decision was
    # worse than the event as it stood.
    if created or (before is not None and _worse(decision, before)):
        notify_dermatologists(acting_user=acting_user, via=via, event=event, first=created)
    if created:
        check_clusters(acting_user=acting_user, via=via, event=event)
    return event


def _source(acting_user) -> str:
    """Who opened it: the patient (their link, no user; or their portal account), or staff."""
    if acting_user is None or is_patient_account(acting_user):
        return AdverseEvent.Source.PATIENT
    return AdverseEvent.Source.STAFF


def _worse(decision: escalation.Decision, event: AdverseEvent) -> bool:
    """Whether the decision says something the event does not: a new trigger, a higher grade."""
    return bool(set(decision.trigger_codes) - set(event.triggers)) or (
        decision.highest_grade or 0
    ) > (event.grade or 0)


def dermatologists_to_tell(clinic_id: int) -> list:
    """Who hears of an adverse event at once: the clinic's supervising dermatologist, or, when
    none is set or they cannot be reached (inactive, no e-mail, no longer credentialed there),
    every credentialed dermatologist who works at the clinic (users with an e-mail address)."""
    members = Membership.objects.filter(clinic_id=clinic_id).values("user_id")
    dermatologists = (
        Practitioner.objects.credentialed()
        .filter(qualification=Practitioner.Qualification.DERMATOLOGIST, user_id__in=members)
        .select_related("user")
    )
    chosen_id = settings_for(clinic_id).supervising_dermatologist_id
    reachable = [p for p in dermatologists if p.user.email and p.user.is_active]
    chosen = [p for p in reachable if p.pk == chosen_id]
    return [p.user for p in chosen or reachable]


def notify_dermatologists(*, acting_user, via: str, event: AdverseEvent, first=True) -> None:
    """An urgent e-mail to each dermatologist to tell: the clinic and a link to the event,
    nothing about the patient or the harm (the page says it, behind sign-in and audit)."""
    url = absolute_url(reverse("aftercare:event", args=[event.pk]))
    people = [(user.pk, user.email) for user in dermatologists_to_tell(event.clinic_id)]
    if not people and event.clinic.email:
        people = [("clinic", event.clinic.email)]  # nobody to name: the clinic's own inbox
    if not people:
        logger.warning("adverse event %s: no dermatologist or clinic address to tell", event.pk)
    # Once per event opened; again, under the event's new state, each time it grows worse.
    state = "opened" if first else f"worse-{len(event.triggers)}t{event.grade or 0}g"
    for recipient, address in people:
        subject = f"care.adverseevent:{event.pk}"
        key = f"ae-{event.pk}-{state}-{recipient}"
        with notifications.never_blocking(subject):
            notifications.enqueue(
                key=key,
                channel="email",
                address=address,
                language="en",
                template="adverse-event-opened",
                values={"clinic": event.clinic.name, "url": url},
                urgent=True,
                clinic_id=event.clinic_id,
                subject=subject,
                acting_user=acting_user,
                via=via,
            )


def check_clusters(*, acting_user, via: str, event: AdverseEvent) -> list[ClusterAlert]:
    """Raise (or add to) an alert when the clinic's threshold of events within its window is
    reached on one of the lots used in the event's session, or at the event's clinic."""
    found = settings_for(event.clinic_id)
    now = timezone.now()
    since = now - timedelta(days=found.cluster_days)
    raised = []
    lot_ids = set(
        SessionProduct.objects.filter(session_id=event.session_id).values_list("lot_id", flat=True)
    )
    subjects = [
        (
            ClusterAlert.Kind.LOT,
            lot_id,
            AdverseEvent.objects.filter(session__products__lot_id=lot_id),
        )
        for lot_id in sorted(lot_ids)
    ]
    subjects.append(
        (ClusterAlert.Kind.CLINIC, None, AdverseEvent.objects.filter(clinic_id=event.clinic_id))
    )
    for kind, lot_id, candidates in subjects:
        # adverseevent_window_idx for a clinic; a lot's through its session products.
        events = list(
            candidates.filter(opened_at__gte=since).distinct().values_list("pk", "opened_at")
        )
        if escalation.cluster_reached(
            [at for _, at in events],
            now=now,
            window_days=found.cluster_days,
            threshold=found.cluster_events,
        ):
            raised.append(_raise(acting_user, via, event, kind, lot_id, events, found))
    return raised


def _raise(acting_user, via, event, kind, lot_id, events, found) -> ClusterAlert:
    ids = sorted(pk for pk, _ in events)
    alert = (
        ClusterAlert.objects.select_for_update()
        .filter(kind=kind, lot_id=lot_id, clinic_id=event.clinic_id, acknowledged_at__isnull=True)
        .first()
    )
    if alert is not None:
        alert.events = sorted(set(alert.events) | set(ids))
        save_audited(alert, actor=acting_user, via=via, fields=["events"])
        return alert
    try:
        with transaction.atomic():
            alert = ClusterAlert.objects.create(
                kind=kind,
                clinic_id=event.clinic_id,
                lot_id=lot_id,
                events=ids,
                window_days=found.cluster_days,
                threshold=found.cluster_events,
            )
    except IntegrityError:  # raised by a concurrent event a moment ago
        return ClusterAlert.objects.get(
            kind=kind, lot_id=lot_id, clinic_id=event.clinic_id, acknowledged_at__isnull=True
        )
    record_event(actor=acting_user, action=Action.CREATE, via=via, instance=alert)
    url = absolute_url(reverse("aftercare:alert", args=[alert.pk]))
    managers = Membership.objects.filter(
        clinic_id=event.clinic_id, user__groups__name=Role.CLINIC_MANAGER.value
    ).select_related("user")
    for membership in managers:
        user = membership.user
        if not user.email or not user.is_active:
            continue
        with notifications.never_blocking(f"aftercare.clusteralert:{alert.pk}"):
            notifications.enqueue(
                key=f"cluster-{alert.pk}-{user.pk}",
                channel="email",
                address=user.email,
                language="en",
                template="cluster-alert",
                values={
                    "clinic": event.clinic.name,
                    "count": str(len(ids)),
                    "days": str(found.cluster_days),
                    "subject": "lot" if kind == ClusterAlert.Kind.LOT else "clinic",
                    "url": url,
                },
                urgent=True,
                clinic_id=event.clinic_id,
                subject=f"aftercare.clusteralert:{alert.pk}",
                acting_user=acting_user,
                via=via,
            )
    return alert


def acknowledge_alert(*, acting_user, via: str, alert: ClusterAlert) -> ClusterAlert:
    """A manager has seen the alert (and recalled the lot, or decided not to): the next event
    past the threshold raises a new one."""
    if not Membership.objects.filter(
        user=acting_user, clinic_id=alert.clinic_id, user__groups__name=Role.CLINIC_MANAGER.value
    ).exists():
        raise PermissionDenied
    with transaction.atomic():
        locked = ClusterAlert.objects.select_for_update().get(pk=alert.pk)
        if locked.acknowledged_at is None:
            locked.acknowledged_at, locked.acknowledged_by = timezone.now(), acting_user
            save_audited(
                locked, actor=acting_user, via=via, fields=["acknowledged_at", "acknowledged_by"]
            )
    return locked
