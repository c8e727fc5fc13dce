"""A clinic's aftercare lists: the queue (refreshing itself), the overdue check-ins and the
adverse-event register. Clinical pages: a receptionist gets 403 (`ClinicalReadMixin`, as care's
pages), staff of another clinic 404, and each list naming patients is audited."""

from django.conf import settings
from django.shortcuts import render
from django.utils.http import urlencode
from django.views import View

from mesoclinic.accounts.roles import Role, is_administrator, roles_of
from mesoclinic.aftercare import clinic_reads, labels
from mesoclinic.care import access
from mesoclinic.care.models import AdverseEvent
from mesoclinic.care.views.common import ClinicalReadMixin, no_store
from mesoclinic.core.pages import keyset_cursor
from mesoclinic.restapi.params import as_database_id


def _sees_alerts(user) -> bool:
    """Managers (and administrators) act on cluster alerts; the queue shows them theirs."""
    return is_administrator(user) or Role.CLINIC_MANAGER in roles_of(user)


class QueueView(ClinicalReadMixin, View):
    """What needs a clinician now. htmx asks for the fragment every 30 s, so a patient's severe
    answer appears within a minute; without JavaScript a reload shows it."""

    def get(self, request, clinic_id):
        clinic = clinic_reads.clinic_for_user(request.user, clinic_id)
        found = clinic_reads.queue(request.user, clinic, with_alerts=_sees_alerts(request.user))
        clinic_reads.audit_listing(
            request.user, count=found.total, clinic_id=clinic.pk, what="queue"
        )
        context = {
            "clinic": clinic,
            "queue": found,
            "triggers": labels.TRIGGERS,
            "effects": labels.EFFECTS,
            "can_record": access.can_record_clinical(request.user),
            # 30 s: a patient's answer reaches the queue within a minute (tests shorten it).
            "refresh_seconds": getattr(settings, "AFTERCARE_QUEUE_REFRESH_SECONDS", 30),
        }
        template = "aftercare/queue.html"
        if getattr(request, "htmx", False):
            template = "aftercare/_queue.html"
        return no_store(render(request, template, context))


class OverdueView(ClinicalReadMixin, View):
    """Check-ins nobody answered, oldest first, each with the way to record it by phone."""

    def get(self, request, clinic_id):
        clinic = clinic_reads.clinic_for_user(request.user, clinic_id)
        after = clinic_reads.overdue_cursor(request.GET.get("after"))
        rows, cursor = clinic_reads.overdue(request.user, clinic, after=after)
        clinic_reads.audit_listing(
            request.user, count=len(rows), clinic_id=clinic.pk, what="checkin"
        )
        context = {
            "clinic": clinic,
            "rows": rows,
            "next_cursor": cursor,
            "can_record": access.can_record_clinical(request.user),
        }
        return no_store(render(request, "aftercare/overdue.html", context))


def _filters(request) -> tuple[clinic_reads.RegisterFilters, dict]:
    """The register's filters from the query string; a value that is not one is ignored (and
    said), never a 500."""
    ignored = {}
    grade = request.GET.get("grade") or ""
    if grade and grade not in {"1", "2", "3", "4", "5"}:
        ignored["grade"] = grade
        grade = ""
    status = request.GET.get("status") or ""
    if status and status not in AdverseEvent.Status.values:
        ignored["status"] = status
        status = ""
    ids = {}
    for name in ("lot", "product"):
        raw = request.GET.get(name) or ""
        ids[name] = as_database_id(raw) if raw else None
        if raw and ids[name] is None:
            ignored[name] = raw
    filters = clinic_reads.RegisterFilters(
        grade=int(grade) if grade else None, lot=ids["lot"], product=ids["product"], status=status
    )
    return filters, ignored


class RegisterView(ClinicalReadMixin, View):
    """The adverse-event register: a clinic's (`clinic_id`), or every clinic's the user reads
    (the formulary's product page links here filtered by product). Filters by grade, lot,
    product and status; keyset pages on id; a fixed number of queries."""

    def get(self, request, clinic_id=None):
        clinic = None
        if clinic_id is not None:
            clinic = clinic_reads.clinic_for_user(request.user, clinic_id)
        filters, ignored = _filters(request)
        rows, cursor = clinic_reads.register(
            request.user,
            clinic=clinic,
            filters=filters,
            before=keyset_cursor(request.GET.get("before")),
        )
        lots, products = clinic_reads.register_choices(request.user, clinic)
        clinic_reads.audit_listing(
            request.user,
            count=len(rows),
            clinic_id=clinic and clinic.pk,
            what="register",
        )
        query = filters.query()
        context = {
            "clinic": clinic,
            "rows": rows,
            "filters": filters,
            "ignored": ignored,
            "lots": lots,
            "products": products,
            "grades": labels.GRADES,
            "statuses": AdverseEvent.Status.choices,
            "triggers": labels.TRIGGERS,
            "next_query": urlencode({**query, "before": cursor}) if cursor else "",
        }
        return no_store(render(request, "aftercare/register.html", context))
