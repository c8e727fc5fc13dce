"""Starting, charting and reading a session; aftercare to hand over.

A session is started before the needle: the practitioner asks today's two questions and the
safety gate judges everything it can without the lots (screening, contraindications with
today's answers, consent, patch tests for the planned cocktail, credential, course). Only a
passed start opens the charting form, which carries the start as a signed token; saving runs
the whole gate again, lots included, in the same transaction as the stock is drawn.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.audit.services import Interface
from mesoclinic.care import labels, pdf, selectors
from mesoclinic.care.forms import SessionForm, SessionLineFormSet, SessionStartForm
from mesoclinic.care.forms.sessions import read_start_token, start_token
from mesoclinic.care.services import sessions
from mesoclinic.care.services.gate_facts import check_start, start_preview
from mesoclinic.care.views.common import (
    ClinicalReadMixin,
    ClinicalWriteMixin,
    audit_shown,
    no_store,
    pdf_unavailable,
)
from mesoclinic.care.vocabulary import PROCEDURE_FOR_INDICATION
from mesoclinic.core.pages import submit


def _known_failures(request, plan) -> list[str]:
    """What the gate already refuses whatever today's answers (consent, patch tests,
    credential …), so the practitioner learns it before asking them."""
    return [
        sessions.gate_message(failure)
        for failure in start_preview(acting_user=request.user, course=plan)
    ]


class SessionStartView(ClinicalWriteMixin, View):
    """Before the needle: today's answers, then the gate. A refusal names every failing
    condition and saves nothing; a pass opens the charting form."""

    def _render(self, request, plan, form, *, refused=(), status=200):
        context = {
            "course": plan,
            "patient": plan.patient,
            "form": form,
            "known_failures": [] if refused else _known_failures(request, plan),
            "refused": refused,
            "number": plan.sessions.count() + 1,
        }
        return no_store(render(request, "care/session_start.html", context, status=status))

    def get(self, request, pk):
        plan = selectors.get_course_for_user(request.user, pk, via=Interface.WEB)
        return self._render(request, plan, SessionStartForm())

    def post(self, request, pk):
        plan = selectors.get_course_for_user(request.user, pk, via=Interface.WEB, audit=False)
        form = SessionStartForm(request.POST)
        if not form.is_valid():
            audit_shown(request.user, plan)
            return self._render(request, plan, form, status=400)
        pregnant = form.cleaned_data["pregnant_today"] == "yes"
        breastfeeding = form.cleaned_data["breastfeeding_today"] == "yes"
        failures = check_start(
            acting_user=request.user,
            via=Interface.WEB,
            course=plan,
            pregnant_today=pregnant,
            breastfeeding_today=breastfeeding,
            override_reason=form.cleaned_data["override_reason"],
        )
        if failures:
            refused = [sessions.gate_message(failure) for failure in failures]
            return self._render(request, plan, form, refused=refused, status=409)
        token = start_token(
            course=plan,
            user=request.user,
            number=plan.sessions.count() + 1,
            pregnant=pregnant,
            breastfeeding=breastfeeding,
            checked_at=timezone.now(),
            override_reason=form.cleaned_data["override_reason"],
        )
        url = reverse("care:session_new", args=[plan.pk])
        return redirect(f"{url}?{urlencode({'start': token})}")


def _line_input(formset) -> list[sessions.Line]:
    return [
        sessions.Line(
            lot=f.cleaned_data["lot"],
            volume=f.cleaned_data["volume"],
            zones=list(f.cleaned_data.get("zones") or []),
        )
        for f in formset.forms
        if f.cleaned_data
    ]


class SessionCreateView(ClinicalWriteMixin, View):
    """Chart the session the start check opened (the signed `start` token); without a valid
    one, back to the start."""

    def _render(self, request, plan, form, formset, start, status=200):
        context = {
            "course": plan,
            "patient": plan.patient,
            "form": form,
            "formset": formset,
            "start": start,
            "procedure": PROCEDURE_FOR_INDICATION[plan.indication],
            "zone_labels": labels.ZONES,
            "number": plan.sessions.count() + 1,
        }
        return no_store(render(request, "care/session_form.html", context, status=status))

    def _forms(self, request, plan, start, data=None):
        procedure = PROCEDURE_FOR_INDICATION[plan.indication]
        now = timezone.now()
        # Read once for every line: usable lots first, first-expiring first (FEFO).
        lots = selectors.session_lot_options(plan, sessions.planned_product_ids(plan), now=now)
        kwargs = {"lots": lots, "clinic_id": plan.clinic_id, "procedure": procedure, "now": now}
        # The first line starts from the plan: its volume, and the lot when only one fits.
        planned = plan.components.all()[:1]
        first = {"volume": planned[0].volume_per_session} if planned else {}
        usable = [option.lot for option in lots if option.usable]
        if len(usable) == 1:
            first["lot"] = usable[0].pk
        form = SessionForm(
            data,
            course=plan,
            user=request.user,
            start=start,
            initial={"start": request.GET.get("start", "")},
        )
        formset = SessionLineFormSet(data, prefix="lines", form_kwargs=kwargs, initial=[first])
        return form, formset

    def get(self, request, pk):
        plan = selectors.get_course_for_user(request.user, pk, via=Interface.WEB)
        start = read_start_token(request.GET.get("start", ""), course=plan, user=request.user)
        if start is None:
            return redirect("care:session_start", pk=plan.pk)
        form, formset = self._forms(request, plan, start)
        return self._render(request, plan, form, formset, start)

    def post(self, request, pk):
        # Its sessions are not read: the service counts them under the course's lock.
        plan = selectors.get_course_for_user(
            request.user, pk, via=Interface.WEB, audit=False, sessions=False
        )
        start = read_start_token(request.POST.get("start", ""), course=plan, user=request.user)
        form, formset = self._forms(request, plan, start, request.POST)
        if formset.is_valid():
            session = submit(
                form,
                lambda _data: sessions.record_session(
                    acting_user=request.user,
                    via=Interface.WEB,
                    course=plan,
                    data=sessions.SessionInput.from_mapping(
                        form.session_data(), _line_input(formset)
                    ),
                ),
            )
            if session is not None:
                messages.success(request, _("Session charted."))
                return redirect("care:session", pk=session.pk)
        else:
            form.is_valid()
        audit_shown(request.user, plan)
        return self._render(request, plan, form, formset, start, status=400)


class SessionDetailView(ClinicalReadMixin, View):
    def get(self, request, pk):
        session = selectors.get_session_for_user(request.user, pk, via=Interface.WEB)
        context = {
            "session": session,
            "patient": session.patient,
            "zone_labels": labels.ZONES,
        }
        return no_store(render(request, "care/session.html", context))


def _aftercare_context(session):
    text = session.aftercare
    if text is None:
        raise Http404("No aftercare text for this procedure.")
    urdu_first = session.patient.preferred_language == "ur"
    return {"session": session, "patient": session.patient, "text": text, "urdu_first": urdu_first}


class AftercareView(ClinicalReadMixin, View):
    """Aftercare to print or hand over, in both languages (the patient's own first)."""

    def get(self, request, pk):
        session = selectors.get_session_for_user(request.user, pk, via=Interface.WEB)
        return no_store(render(request, "care/aftercare.html", _aftercare_context(session)))


class AftercarePdfView(ClinicalReadMixin, View):
    def get(self, request, pk):
        session = selectors.get_session_for_user(request.user, pk, via=Interface.WEB)
        context = {**_aftercare_context(session), "font": pdf.nastaliq_data_uri()}
        try:
            data = pdf.print_pdf(render_to_string("care/aftercare_pdf.html", context))
        except pdf.PdfUnavailable:
            return pdf_unavailable(request)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="aftercare-{session.patient.mrn}-{session.pk}.pdf"'
        )
        return no_store(response)
