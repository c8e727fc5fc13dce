"""The clinic's reads of aftercare: its queue, its overdue check-ins, its adverse-event register,
an event with the lots before it, and a cluster alert. Every row comes through the one scoping
rule (`for_user`, `clinics.scoping`); each function returns rows already joined, in a fixed
number of queries however many there are (the pages assert it).

Kept apart from `aftercare.selectors` (settings and the check-in every slice reads) so the
clinic's pages grow without touching the shared module.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone

from mesoclinic.aftercare.models import CheckIn, ClusterAlert, SideEffect
from mesoclinic.aftercare.selectors import settings_for
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care.models import AdverseEvent, SessionProduct
from mesoclinic.clinics import scoping
from mesoclinic.clinics.models import Clinic
from mesoclinic.formulary.models import Lot, Product

#: Rows the queue shows of each list (the oldest waiting are never hidden: open events and
#: escalated check-ins sort first).
QUEUE_SIZE = 50
#: Rows per page of the overdue list and the register.
PAGE_SIZE = 50


def clinic_for_user(user, clinic_id) -> Clinic:
    """The clinic, if `user` reads its clinical records; else the audited 404."""
    clinic = scoping.restrict(
        Clinic.objects.filter(pk=clinic_id), user, scoping.Kind.CLINICAL, clinic="pk"
    ).first()
    if clinic is None:
        raise scoping.denied(user, Clinic, clinic_id, via=Interface.WEB, message="No clinic found.")
    return clinic


def audit_listing(user, *, count: int, clinic_id, what: str) -> None:
    """A list naming patients with clinical detail is a read of patient data: one LIST row."""
    if count:
        record_event(
            actor=user,
            action=Action.LIST,
            via=Interface.WEB,
            object_type=f"aftercare.{what}",
            clinic_id=clinic_id,
            detail={"results": count},
        )


def _events():
    return AdverseEvent.objects.select_related("patient", "session", "course")


@dataclass
class Queue:
    events: list
    check_ins: list
    alerts: list

    @property
    def total(self) -> int:
        return len(self.events) + len(self.check_ins) + len(self.alerts)


def queue(user, clinic: Clinic, *, with_alerts: bool) -> Queue:
    """Open adverse events (highest grade first, then oldest), answered check-ins not yet
    reviewed (escalated first, newest first) and, for managers, unacknowledged cluster alerts.
    Three queries, four with alerts."""
    events = list(
        # adverseevent_clinic_idx; open events are few
        _events()
        .for_user(user)
        .filter(clinic=clinic, status=AdverseEvent.Status.OPEN)
        .order_by(F("grade").desc(nulls_last=True), "opened_at", "id")[:QUEUE_SIZE]
    )
    check_ins = list(
        # checkin_review_idx: answered, unreviewed, by clinic and answered_at
        CheckIn.objects.for_user(user)
        .filter(clinic=clinic, status=CheckIn.Status.ANSWERED, reviewed_at__isnull=True)
        .select_related("patient", "session", "adverse_event")
        .prefetch_related(Prefetch("effects", SideEffect.objects.order_by("id")))
        .order_by("-escalated", "-answered_at", "-id")[:QUEUE_SIZE]
    )
    alerts = []
    if with_alerts:
        alerts = list(
            alerts_for_user(user)
            .filter(clinic=clinic, acknowledged_at__isnull=True)
            .select_related("lot__product")
            .order_by("-raised_at")[:QUEUE_SIZE]
        )
    return Queue(events=events, check_ins=check_ins, alerts=alerts)


def overdue_cursor(value) -> tuple[datetime, int] | None:
    """The position after which the next overdue page starts ("<microseconds>-<id>"), or None
    for the first page (and for anything forged)."""
    try:
        micros, pk = (int(part) for part in str(value or "").split("-"))
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros), pk
    except (ValueError, OverflowError):
        return None


def _cursor_of(check_in) -> str:
    delta = check_in.due_at - datetime(1970, 1, 1, tzinfo=UTC)
    micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}-{check_in.pk}"


def overdue(user, clinic: Clinic, *, after=None, now=None) -> tuple[list, str | None]:
    """Check-ins still unanswered `overdue_after_hours` after they were due, oldest first,
    keyset on (due_at, id): a page and the cursor of the next (None on the last). Two queries
    (the clinic's settings, the page)."""
    now = now or timezone.now()
    limit = now - timedelta(hours=settings_for(clinic.pk).overdue_after_hours)
    rows = (
        # checkin_due_idx: (clinic, due_at) where status = due
        CheckIn.objects.for_user(user)
        .filter(clinic=clinic, status=CheckIn.Status.DUE, due_at__lt=limit)
        .select_related("patient", "session")
        .order_by("due_at", "id")
    )
    if after is not None:
        due_at, pk = after
        rows = rows.filter(Q(due_at__gt=due_at) | Q(due_at=due_at, id__gt=pk))
    found = list(rows[: PAGE_SIZE + 1])
    cursor = _cursor_of(found[PAGE_SIZE - 1]) if len(found) > PAGE_SIZE else None
    return found[:PAGE_SIZE], cursor


@dataclass(frozen=True)
class RegisterFilters:
    grade: int | None = None
    lot: int | None = None
    product: int | None = None
    status: str = ""

    def query(self) -> dict:
        """The filters as query-string values, for the next page's link."""
        values = {"grade": self.grade, "lot": self.lot, "product": self.product}
        return {k: v for k, v in {**values, "status": self.status}.items() if v}


def events_for_user(user, *, clinic_id: int | None, filters: RegisterFilters):
    """The adverse events `user` may see (at one clinic, or at every clinic they read) that
    match the filters, with patient, session and the session's lots joined, newest first. The
    lot and product filters are EXISTS over the sessions' products, so no row repeats. The
    register page and the API list read this one queryset."""
    events = _events().for_user(user)
    if clinic_id is not None:
        events = events.filter(clinic_id=clinic_id)  # adverseevent_clinic_idx (clinic, -id)
    if filters.grade is not None:
        events = events.filter(grade=filters.grade)
    if filters.status:
        events = events.filter(status=filters.status)
    if filters.lot is not None:
        events = events.filter(
            Exists(SessionProduct.objects.filter(session=OuterRef("session"), lot=filters.lot))
        )
    if filters.product is not None:
        events = events.filter(
            Exists(
                SessionProduct.objects.filter(
                    session=OuterRef("session"), lot__product=filters.product
                )
            )
        )
    return events.prefetch_related(
        Prefetch("session__products", SessionProduct.objects.select_related("lot__product"))
    ).order_by("-id")


def register(user, *, clinic: Clinic | None, filters: RegisterFilters, before: int | None):
    """One page of the register, keyset on id, and the next cursor (None on the last). Two
    queries: the page and the lots of the events on it."""
    events = events_for_user(user, clinic_id=clinic and clinic.pk, filters=filters)
    if before is not None:
        events = events.filter(id__lt=before)
    rows = list(events[: PAGE_SIZE + 1])
    cursor = rows[PAGE_SIZE - 1].pk if len(rows) > PAGE_SIZE else None
    return rows[:PAGE_SIZE], cursor


def register_choices(user, clinic: Clinic | None) -> tuple[list, list]:
    """The lots and products the register's filters offer: those used in the sessions of the
    adverse events the user sees (at the clinic). Driven from the events, which are few, never
    from every session's products. Two queries."""
    events = AdverseEvent.objects.for_user(user)
    if clinic is not None:
        events = events.filter(clinic=clinic)
    used = SessionProduct.objects.filter(session_id__in=events.values("session_id"))
    lots = list(
        Lot.objects.filter(pk__in=used.values("lot_id"))
        .select_related("product")
        .order_by("lot_number", "id")
    )
    products = list(
        Product.objects.filter(pk__in={lot.product_id for lot in lots}).order_by("brand", "id")
    )
    return lots, products


def get_event_for_user(user, pk, *, audit: bool = True) -> AdverseEvent:
    """The adverse event, or the audited 404 (missing and another clinic's look the same)."""
    try:
        event = (
            AdverseEvent.objects.for_user(user)
            .select_related(
                "patient__registered_clinic",
                "clinic",
                "session",
                "course__protocol_version__protocol",
                "opened_by",
                "closed_by",
                "dermatologist__user",
            )
            .get(pk=int(pk))
        )
    except (AdverseEvent.DoesNotExist, ValueError, TypeError):
        raise scoping.denied(user, AdverseEvent, pk, via=Interface.WEB) from None
    if audit:
        record_event(
            actor=user,
            action=Action.VIEW,
            via=Interface.WEB,
            instance=event,
            clinic_id=event.clinic_id,
        )
    return event


def event_check_ins(user, event: AdverseEvent) -> list:
    """The check-ins that reported the event, oldest first, with their effects (two queries)."""
    return list(
        CheckIn.objects.for_user(user)
        .filter(adverse_event=event)
        .prefetch_related(Prefetch("effects", SideEffect.objects.order_by("id")))
        .order_by("answered_at", "id")
    )


def lots_before(event: AdverseEvent) -> list:
    """What was injected in the patient's sessions of the event's course up to and including
    the event's session: one row per product line, with lot, product and session (one query).
    The work-up and any report to the supplier or DRAP start from these lots."""
    return list(
        SessionProduct.objects.filter(
            session__course_id=event.course_id, session__number__lte=event.session.number
        )
        .select_related("lot__product", "session")
        .order_by("session__number", "id")
    )


def alerts_for_user(user):
    """Cluster alerts of the clinics whose clinical records `user` reads (managers and
    practitioners there, administrators): the one rule, by the alert's clinic."""
    return scoping.restrict(
        ClusterAlert.objects.all(), user, scoping.Kind.CLINICAL, clinic="clinic_id"
    )


def get_alert_for_user(user, pk) -> ClusterAlert:
    try:
        alert = (
            alerts_for_user(user)
            .select_related("clinic", "lot__product", "acknowledged_by")
            .get(pk=int(pk))
        )
    except (ClusterAlert.DoesNotExist, ValueError, TypeError):
        raise scoping.denied(user, ClusterAlert, pk, via=Interface.WEB) from None
    record_event(
        actor=user, action=Action.VIEW, via=Interface.WEB, instance=alert, clinic_id=alert.clinic_id
    )
    return alert


def alert_events(user, alert: ClusterAlert) -> list:
    """The events the alert counts that `user` may see, newest first (one query)."""
    return list(_events().for_user(user).filter(pk__in=list(alert.events)).order_by("-id"))
