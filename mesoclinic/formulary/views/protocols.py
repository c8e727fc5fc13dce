"""Staff pages for protocols: versions, the draft editor, approval and the dose check."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.audit.services import Interface
from mesoclinic.core.pages import add_service_errors, refuse_with_messages
from mesoclinic.formulary import access, selectors, services
from mesoclinic.formulary.forms import ComponentFormSet, DoseCheckForm, VersionForm
from mesoclinic.formulary.services.protocols import COMPONENT_FIELDS, VERSION_FIELDS

VIA = Interface.WEB


class ProtocolListView(StaffRequiredMixin, View):
    def get(self, request):
        return render(
            request,
            "formulary/protocols.html",
            {
                "protocols": selectors.protocols(),
                "can_edit": access.can_change_protocols(request.user),
            },
        )


class VersionView(StaffRequiredMixin, View):
    """One version: its cocktail and limits, a dose check, and what editors may do with it."""

    def get(self, request, pk):
        version = selectors.get_version(pk)
        form = DoseCheckForm(request.GET or None, version=version)
        problems = None
        if form.is_bound and form.is_valid():
            problems = services.dose_problems(form.cleaned_data["component"], form.amount())
        context = {
            "version": version,
            "form": form,
            "problems": problems,
            "can_edit": access.can_change_protocols(request.user),
            "can_approve": access.credentialed_dermatologist(request.user) is not None,
        }
        context["unverified"] = version.unverified or any(
            c.unverified for c in version.components.all()
        )
        template = "formulary/_dose_result.html" if request.htmx else "formulary/version.html"
        return render(request, template, context)


class NewVersionView(StaffRequiredMixin, View):
    def has_access(self, user):
        return access.can_change_protocols(user)

    def post(self, request, pk):
        protocol = selectors.get_protocol(pk)
        draft = services.start_new_version(acting_user=request.user, via=VIA, protocol=protocol)
        return redirect("formulary:edit_version", pk=draft.pk)


def _revision(request) -> int:
    """The draft revision the form was opened at (0, never a real one, when missing)."""
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return 0


class EditVersionView(StaffRequiredMixin, View):
    def has_access(self, user):
        return access.can_change_protocols(user)

    def get(self, request, pk):
        version = selectors.get_version(pk)
        if not version.is_editable:
            messages.error(request, _("Only a draft can be edited; start a new version."))
            return redirect("formulary:version", pk=version.pk)
        form = VersionForm(instance=version)
        components = ComponentFormSet(
            initial=[
                {n: getattr(c, n) for n in COMPONENT_FIELDS} for c in version.components.all()
            ],
            prefix="components",
        )
        return self.render_editor(request, version, form, components)

    def post(self, request, pk):
        version = selectors.get_version(pk)
        form = VersionForm(request.POST, instance=version)
        components = ComponentFormSet(request.POST, prefix="components")
        if form.is_valid() and components.is_valid():
            rows = [
                c.cleaned_data
                for c in components.forms
                if c.cleaned_data and not c.cleaned_data.get("DELETE")
            ]
            try:
                services.save_draft(
                    acting_user=request.user,
                    via=VIA,
                    version=version,
                    data={n: form.cleaned_data[n] for n in VERSION_FIELDS},
                    components=rows,
                    revision=_revision(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("formulary:version", pk=version.pk)
        return self.render_editor(request, version, form, components, status=400)

    def render_editor(self, request, version, form, components, status=200):
        return render(
            request,
            "formulary/edit_version.html",
            {"version": version, "form": form, "components": components},
            status=status,
        )


class VersionActionView(StaffRequiredMixin, View):
    """Approve (credentialed dermatologists) or retire (editors) a version."""

    def post(self, request, pk, action):
        version = selectors.get_version(pk)
        service = {"approve": services.approve_version, "retire": services.retire_version}.get(
            action
        )
        if service is None:
            raise Http404("No such action.")
        extra = {}
        if action == "approve":
            extra["confirmed_unverified"] = request.POST.get("confirm_unverified") == "on"
            extra["revision"] = _revision(request)
        try:
            service(acting_user=request.user, via=VIA, version=version, **extra)
        except ValidationError as exc:
            refuse_with_messages(request, exc)
        else:
            done = _("Approved.") if action == "approve" else _("Retired.")
            messages.success(request, done)
        return redirect("formulary:version", pk=version.pk)
