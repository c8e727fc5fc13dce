"""The clinic's side of "My data" (issue 22): its managers (and administrators) read the
patients' requests to correct or erase their data and answer each one, done or refused with
the reason. A staff page of the portal app, not of desk: the request is the portal's record,
and nothing below the top floor may import the portal (desk stands beside it)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.accounts.roles import Role, is_administrator, roles_of
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.clinics import scoping
from mesoclinic.core.pages import add_service_errors, keyset_cursor, keyset_page
from mesoclinic.portal import mydata_services as services
from mesoclinic.portal.models import DataRequest

PAGE = 50


class ManagerRequiredMixin(StaffRequiredMixin):
    """Clinic managers (their clinics' requests, through the scoping rule) and administrators."""

    def has_access(self, user) -> bool:
        return is_administrator(user) or Role.CLINIC_MANAGER.value in roles_of(user)


def requests_for(user):
    """The requests `user` reaches, with the patient and clinic (one query a page)."""
    return DataRequest.objects.for_user(user).select_related("patient", "clinic").order_by("-id")


class RequestListView(ManagerRequiredMixin, View):
    def get(self, request):
        status = request.GET.get("status", DataRequest.Status.OPEN)
        rows = requests_for(request.user)
        if status in DataRequest.Status.values:
            rows = rows.filter(status=status)
        else:
            status = ""
        page, cursor = keyset_page(rows, keyset_cursor(request.GET.get("before")), PAGE)
        record_event(
            actor=request.user,
            action=Action.LIST,
            via=Interface.WEB,
            object_type=DataRequest._meta.label_lower,
            detail={"results": len(page), "status": status or "all"},
        )
        context = {
            "page": page,
            "next_cursor": cursor,
            "status": status,
            "statuses": DataRequest.Status.choices,
        }
        return render(request, "portal/staff/requests.html", context)


class AnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Answer"),
        choices=[
            (DataRequest.Status.DONE.value, gettext_lazy("Done")),
            (DataRequest.Status.REFUSED.value, gettext_lazy("Refused")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=gettext_lazy("What to tell the patient (required for a refusal: the reason)"),
        required=False,
        max_length=services.DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _request_for(user, pk) -> DataRequest:
    found = requests_for(user).filter(pk=pk).first()
    if found is None:
        raise scoping.denied(user, DataRequest, pk, via=Interface.WEB)
    return found


class RequestDetailView(ManagerRequiredMixin, View):
    def _page(self, request, item, form, status=200):
        context = {
            "item": item,
            "form": form,
            "kept": services.kept_words(item.kept),
            "always_kept": services.always_kept(),
        }
        return render(request, "portal/staff/request.html", context, status=status)

    def get(self, request, pk):
        item = _request_for(request.user, pk)
        record_event(actor=request.user, action=Action.VIEW, via=Interface.WEB, instance=item)
        return self._page(request, item, AnswerForm())

    def post(self, request, pk):
        item = _request_for(request.user, pk)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.answer(
                    acting_user=request.user,
                    request=item,
                    status=form.cleaned_data["status"],
                    answer=form.cleaned_data["answer"],
                    via=Interface.WEB,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Answered. The patient sees it in the portal."))
                return redirect("portal_requests:detail", pk=item.pk)
        return self._page(request, item, form, status=400)
