"""My data (issue 22): download everything the clinics hold about me (JSON, and a PDF in my
language), see who opened my record, ask for a correction or an erasure and follow it, and say
on which channels each clinic may contact me. Every read is audited; every write goes through
a service with the patient as acting user."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mesoclinic.audit.models import AuditEvent
from mesoclinic.care import pdf
from mesoclinic.clinics import scoping
from mesoclinic.core.pages import add_service_errors, keyset_cursor
from mesoclinic.notifications import contacts
from mesoclinic.notifications.models import ConsentMethod, ContactChannel
from mesoclinic.portal import mydata_selectors as data
from mesoclinic.portal import mydata_services as services
from mesoclinic.portal import selectors
from mesoclinic.portal.models import DataRequest
from mesoclinic.portal.views.common import VIA, PatientView, audit_list, audit_view

ACCESS_PAGE = 25


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


class MyDataView(PatientView):
    """The hub: the downloads, the access log, the requests and the contact answers."""

    def get(self, request):
        records = list(selectors.my_records(request.user))
        requests = list(
            DataRequest.objects.for_user(request.user).select_related("clinic").order_by("-id")[:20]
        )
        audit_list(request.user, DataRequest, count=len(requests))
        context = {"nav": "my_data", "records": records, "requests": requests}
        return render(request, "portal/mydata/index.html", context)


def _filename(extension: str) -> str:
    return f"my-data-{timezone.localdate().isoformat()}.{extension}"


class ExportJsonView(PatientView):
    """Everything, as one JSON file (photos by file name)."""

    def get(self, request):
        export = data.gather(request.user)
        services.audit_export(
            acting_user=request.user,
            records=[r.patient for r in export.records],
            via=VIA,
            form="json",
        )
        body = json.dumps(data.as_json(export), ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
        return _no_store(response)


class ExportPdfView(PatientView):
    """Everything, as a PDF to read, in the page's language (Urdu in Nastaliq, printed by
    Chromium like the consents)."""

    def get(self, request):
        export = data.gather(request.user)
        context = {
            "export": export,
            "font": pdf.nastaliq_data_uri(),
            "bidi": translation.get_language_bidi(),
            "language": translation.get_language(),
        }
        try:
            document = pdf.print_pdf(render_to_string("portal/mydata/export_pdf.html", context))
        except pdf.PdfUnavailable:
            response = render(request, "portal/mydata/pdf_unavailable.html", status=503)
            response["Retry-After"] = "60"
            return response
        services.audit_export(
            acting_user=request.user,
            records=[r.patient for r in export.records],
            via=VIA,
            form="pdf",
        )
        response = HttpResponse(document, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{_filename("pdf")}"'
        return _no_store(response)


class AccessLogView(PatientView):
    """Who opened my record and when, newest first, a page at a time."""

    def get(self, request):
        before = keyset_cursor(request.GET.get("before"))
        entries, cursor = data.access_entries(request.user, before=before, size=ACCESS_PAGE)
        audit_list(request.user, AuditEvent, count=len(entries))
        context = {
            "nav": "my_data",
            "entries": entries,
            "next_cursor": cursor,
            "first": before is None,
        }
        return render(request, "portal/mydata/access.html", context)


class RecordChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.registered_clinic.name


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What do you ask for?"),
        choices=DataRequest.Kind.choices,
        widget=forms.RadioSelect,
    )
    record = RecordChoice(label=gettext_lazy("Which clinic?"), queryset=None, empty_label=None)
    details = forms.CharField(
        label=gettext_lazy("What should change? (in your words)"),
        required=False,
        max_length=services.DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The patient's own records only: another id is "not one of the choices".
        self.fields["record"].queryset = selectors.my_records(user)


class DataRequestNewView(PatientView):
    def _page(self, request, form, status=200):
        context = {"nav": "my_data", "form": form, "kept": services.always_kept()}
        return render(request, "portal/mydata/request_new.html", context, status=status)

    def get(self, request):
        kind = request.GET.get("kind")
        initial = {"kind": kind} if kind in DataRequest.Kind.values else {}
        return self._page(request, DataRequestForm(user=request.user, initial=initial))

    def post(self, request):
        form = DataRequestForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                made = services.ask(
                    acting_user=request.user,
                    patient=form.cleaned_data["record"],
                    kind=form.cleaned_data["kind"],
                    details=form.cleaned_data["details"],
                    via=VIA,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your request was sent to the clinic."))
                return redirect("portal:data_request", pk=made.pk)
        for name in form.errors:
            if name in form.fields:
                form.fields[name].widget.attrs["aria-describedby"] = f"{name}-error"
                form.fields[name].widget.attrs["aria-invalid"] = "true"
        return self._page(request, form, status=400)


def my_request(user, pk) -> DataRequest:
    """One of the patient's requests, or 404 (another patient's looks like a missing one; the
    attempt is audited)."""
    found = DataRequest.objects.for_user(user).select_related("clinic").filter(pk=pk).first()
    if found is None:
        raise scoping.denied(user, DataRequest, pk, via=VIA)
    return found


class DataRequestView(PatientView):
    def get(self, request, pk):
        found = my_request(request.user, pk)
        audit_view(request.user, found)
        context = {
            "nav": "my_data",
            "item": found,
            "kept": services.kept_words(found.kept),
            "always_kept": services.always_kept(),
        }
        return render(request, "portal/mydata/request.html", context)


CHANNEL_WORDS = {
    ContactChannel.SMS.value: gettext_lazy("SMS"),
    ContactChannel.WHATSAPP.value: gettext_lazy("WhatsApp"),
    ContactChannel.EMAIL.value: gettext_lazy("E-mail"),
}


class ContactPrefsView(PatientView):
    """Each clinic's current answer per channel, and a yes/no button for each."""

    def _page(self, request, status=200, error=""):
        records = list(selectors.my_records(request.user))
        answers = data.contact_answers(records)
        rows = [
            {
                "record": record,
                "channels": [
                    {"code": code, "label": CHANNEL_WORDS[code], "answer": answers[record.pk][code]}
                    for code in ContactChannel.values
                ],
            }
            for record in records
        ]
        audit_list(request.user, contacts.ContactConsent, count=len(records))
        context = {"nav": "my_data", "rows": rows, "error": error}
        return render(request, "portal/mydata/contact.html", context, status=status)

    def get(self, request):
        return self._page(request)

    def post(self, request):
        record = selectors.my_record(request.user, request.POST.get("record", ""))
        channel, answer = request.POST.get("channel"), request.POST.get("answer")
        if channel not in ContactChannel.values or answer not in ("yes", "no"):
            return self._page(request, status=400, error=_("Choose a channel and an answer."))
        contacts.record_consent(
            patient_id=record.pk,
            clinic_id=record.registered_clinic_id,
            channel=channel,
            opted_in=answer == "yes",
            method=ConsentMethod.PORTAL,
            acting_user=request.user,
            via=VIA,
        )
        messages.success(request, _("Saved. The clinic will follow your answer from now on."))
        return redirect("portal:contact_prefs")
