"""The audit log page: administrators only, filterable, keyset-paginated (newest first).

A desk page, not audit's: its filter offers the clinics (clinics stands above audit), and the
trail itself is read through `audit.selectors`."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from mesoclinic.accounts.access import AdministratorRequiredMixin
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.selectors import filter_events
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
            "desk/audit_log.html",
            {
                "form": form,
                "events": rows[:PAGE_SIZE],
                "next_cursor": next_cursor,
                "params": params.urlencode(),
            },
        )
