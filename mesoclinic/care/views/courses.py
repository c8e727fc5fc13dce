"""Plans, session charting behind the gate, aftercare and the patient's chart."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.audit.services import Interface
from mesoclinic.care import access, course, gate, labels, pdf, selectors
from mesoclinic.care.forms import CourseForm, SessionForm, SessionLineFormSet
from mesoclinic.care.models import Course
from mesoclinic.care.services import courses, sessions
from mesoclinic.care.views.common import (
    ClinicalReadMixin,
    ClinicalWriteMixin,
    audit_shown,
    no_store,
    pdf_unavailable,
    submit,
)
from mesoclinic.care.vocabulary import PROCEDURE_FOR_INDICATION
from mesoclinic.clinics.models import Practitioner
from mesoclinic.formulary.models import Lot, ProtocolVersion
from mesoclinic.patients.selectors import get_patient_for_user


def _approved_versions(indication):
    return ProtocolVersion.objects.filter(
        status=ProtocolVersion.Status.APPROVED, protocol__indication=indication
    ).select_related("protocol")


class CourseCreateView(ClinicalWriteMixin, View):
    """Plan a course: the approved protocol for the latest screening's indication, its
    schedule (defaults at the protocol's lower bounds) and the volume of each component."""

    def _context(self, request, patient, form=None, status=200, version=None):
        consultation = selectors.latest_consultation(patient)
        versions = list(_approved_versions(consultation.indication)) if consultation else []
        if version is None and versions:
            wanted = request.GET.get("version") or request.POST.get("version")
            version = next((v for v in versions if str(v.pk) == wanted), versions[0])
        if form is None and version is not None:
            form = CourseForm(version=version)
        context = {
            "patient": patient,
            "consultation": consultation,
            "versions": versions,
            "version": version,
            "form": form,
            "indication_label": consultation
            and labels.INDICATIONS.get(consultation.indication, ""),
        }
        return render(request, "care/course_form.html", context, status=status)

    def get(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB)
        return self._context(request, patient)

    def post(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB, action="")
        version = ProtocolVersion.objects.filter(
            pk=request.POST.get("version") if str(request.POST.get("version")).isdigit() else None,
            status=ProtocolVersion.Status.APPROVED,
        ).first()
        if version is None:
            messages.error(request, _("Choose an approved protocol."))
            return redirect("care:course_new", patient_pk=patient.pk)
        form = CourseForm(request.POST, version=version)
        created = submit(
            form,
            lambda data: courses.create_course(
                acting_user=request.user,
                via=Interface.WEB,
                patient=patient,
                version=version,
                plan=course.Plan(data["sessions"], data["interval_days"], data["maintenance_days"]),
                start_date=data["start_date"],
                components=[
                    courses.PlannedComponent(c, data[f"volume_{c.pk}"]) for c in form.components
                ],
                override_reason=data["override_reason"],
            ),
        )
        if created is not None:
            messages.success(request, _("Treatment plan saved."))
            return redirect("care:course", pk=created.pk)
        audit_shown(request.user, patient)
        return self._context(request, patient, form, status=400, version=version)


class CourseDetailView(ClinicalReadMixin, View):
    def get(self, request, pk):
        plan = selectors.get_course_for_user(request.user, pk, via=Interface.WEB)
        done = {s.number: s for s in plan.sessions.all()}
        schedule = [
            {"number": n, "target": date.fromisoformat(day), "session": done.get(n)}
            for n, day in enumerate(plan.session_dates, start=1)
        ]
        context = {
            "course": plan,
            "patient": plan.patient,
            "schedule": schedule,
            "can_chart": access.can_record_clinical(request.user)
            and plan.status == Course.Status.ACTIVE,
            "can_record": access.can_record_clinical(request.user),
        }
        return no_store(render(request, "care/course.html", context))


class CourseStatusView(ClinicalWriteMixin, View):
    def post(self, request, pk):
        plan = selectors.get_course_for_user(request.user, pk, via=Interface.WEB, audit=False)
        try:
            courses.set_course_status(
                acting_user=request.user,
                via=Interface.WEB,
                course=plan,
                status=request.POST.get("status", ""),
                reason=request.POST.get("reason", "")[:200],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Course status changed."))
        return redirect("care:course", pk=plan.pk)


def _lots(plan):
    """The clinic's usable lots of the products the plan may use."""
    return (
        Lot.objects.filter(
            clinic_id=plan.clinic_id,
            status=Lot.Status.AVAILABLE,
            balance__gt=0,
            product__in=sessions.planned_product_ids(plan),
        )
        .select_related("product")
        .order_by("product__brand", "expires_on")
    )


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
    """Chart a session. Before anything is typed, the page lists what the gate already
    refuses (consent, patch tests, credential …), so the practitioner learns it first."""

    def _render(self, request, plan, form, formset, status=200):
        procedure = PROCEDURE_FOR_INDICATION[plan.indication]
        practitioner = Practitioner.objects.filter(user=request.user).first()
        preview = sessions.SessionInput(
            lines=[],
            points=1,
            technique="",
            depth="",
            needle="",
            started_at=None,
            ended_at=None,
            pregnant_today=False,
            breastfeeding_today=False,
        )
        known = [
            sessions.gate_message(failure)
            for failure in gate.check(
                sessions.gather(plan, practitioner, preview, planned_cocktail=True)
            )
        ]
        context = {
            "course": plan,
            "patient": plan.patient,
            "form": form,
            "formset": formset,
            "procedure": procedure,
            "zone_labels": labels.ZONES,
            "known_failures": known,
            "number": plan.sessions.count() + 1,
        }
        return render(request, "care/session_form.html", context, status=status)

    def _forms(self, plan, data=None):
        procedure = PROCEDURE_FOR_INDICATION[plan.indication]
        lots = _lots(plan)
        kwargs = {"lots": lots, "procedure": procedure}
        # The first line starts from the plan: its volume, and the lot when only one fits.
        planned = plan.components.all()[:1]
        first = {"volume": planned[0].volume_per_session} if planned else {}
        only = list(lots[:2])
        if len(only) == 1:
            first["lot"] = only[0].pk
        return (
            SessionForm(data, course=plan),
            SessionLineFormSet(data, prefix="lines", form_kwargs=kwargs, initial=[first]),
        )

    def get(self, request, pk):
        plan = selectors.get_course_for_user(request.user, pk, via=Interface.WEB)
        form, formset = self._forms(plan)
        return self._render(request, plan, form, formset)

    def post(self, request, pk):
        plan = selectors.get_course_for_user(request.user, pk, via=Interface.WEB, audit=False)
        form, formset = self._forms(plan, request.POST)
        if formset.is_valid():
            session = submit(
                form,
                lambda data: sessions.record_session(
                    acting_user=request.user,
                    via=Interface.WEB,
                    course=plan,
                    data=sessions.SessionInput.from_mapping(
                        {
                            **data,
                            "pregnant_today": data["pregnant_today"] == "yes",
                            "breastfeeding_today": data["breastfeeding_today"] == "yes",
                        },
                        _line_input(formset),
                    ),
                ),
            )
            if session is not None:
                messages.success(request, _("Session charted."))
                return redirect("care:session", pk=session.pk)
        else:
            form.is_valid()
        audit_shown(request.user, plan)
        return self._render(request, plan, form, formset, status=400)


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


class ChartView(ClinicalReadMixin, View):
    def get(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB)
        context = {
            "patient": patient,
            "entries": selectors.chart(patient),
            "decision_labels": labels.DECISIONS,
            "zone_labels": labels.ZONES,
        }
        return no_store(render(request, "care/chart.html", context))
