"""The audit log page: administrators only, filterable, keyset-paginated (newest first)."""

from django import forms
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from mesoclinic.accounts.access import AdministratorRequiredMixin
from mesoclinic.audit.models import AuditEvent
from mesoclinic.clinics.models import Clinic
from mesoclinic.core.db_router import replica_reads

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Username"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "—"), *AuditEvent.Action.choices]
    )
    interface = forms.ChoiceField(
        label=_("Interface"), required=False, choices=[("", "—"), *AuditEvent.Interface.choices]
    )
    clinic = forms.ModelChoiceField(
        label=_("Clinic"), required=False, queryset=Clinic.objects.all()
    )
    object_type = forms.CharField(label=_("Record type"), required=False)
    object_id = forms.CharField(label=_("Record id"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.IntegerField(required=False, widget=forms.HiddenInput)


def filter_events(data: dict):
    events = AuditEvent.objects.select_related("actor", "clinic")
    if data.get("actor"):
        User = get_user_model()
        events = events.filter(**{f"actor__{User.USERNAME_FIELD}": data["actor"]})
    for name in ("action", "interface", "object_type", "object_id"):
        if data.get(name):
            events = events.filter(**{name: data[name]})
    if data.get("clinic"):
        events = events.filter(clinic=data["clinic"])
    if data.get("since"):
        events = events.filter(at__date__gte=data["since"])
    if data.get("until"):
        events = events.filter(at__date__lte=data["until"])
    if data.get("before"):
        events = events.filter(id__lt=data["before"])
    return events.order_by("-id")


class AuditLogView(AdministratorRequiredMixin, View):
    def get(self, request):
        # A report: it may lag the primary by a moment (core/db_router.py).
        with replica_reads():
            return self._page(request)

    def _page(self, request):
        form = AuditFilterForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        rows = list(filter_events(data)[: PAGE_SIZE + 1])
        next_cursor = rows[PAGE_SIZE - 1].pk if len(rows) > PAGE_SIZE else None
        params = request.GET.copy()
        params.pop("before", None)
        return render(
            request,
            "audit/list.html",
            {
                "form": form,
                "events": rows[:PAGE_SIZE],
                "next_cursor": next_cursor,
                "params": params.urlencode(),
            },
        )
