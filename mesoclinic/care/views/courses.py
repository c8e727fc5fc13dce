"""Plans, session charting behind the gate, aftercare and the patient's chart."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.audit.services import Interface
from mesoclinic.care import course, gate, labels, selectors
from mesoclinic.care.forms import CourseForm
from mesoclinic.care.models import Course
from mesoclinic.care.services import course_status, courses
from mesoclinic.care.views.common import (
    ClinicalReadMixin,
    ClinicalWriteMixin,
    audit_shown,
    no_store,
    refusal,
    steps_for,
)
from mesoclinic.clinics.credentials import Step
from mesoclinic.core.pages import refuse_with_messages, submit
from mesoclinic.core.text import is_database_id
from mesoclinic.formulary import doses
from mesoclinic.formulary import selectors as formulary_selectors
from mesoclinic.formulary.services.protocols import dose_problems
from mesoclinic.patients.selectors import get_patient_for_user


def _plan_from(form, data) -> dict:
    """The plan, first date, cocktail and override reason the plan form gives a service."""
    return {
        "plan": course.Plan(data["sessions"], data["interval_days"], data["maintenance_days"]),
        "start_date": data["start_date"],
        "components": [
            courses.PlannedComponent(c, data[f"volume_{c.pk}"]) for c in form.components
        ],
        "override_reason": data["override_reason"],
    }


class CourseCreateView(ClinicalWriteMixin, View):
    """Plan a course: the approved protocol for the latest screening's indication, its
    schedule (defaults at the protocol's lower bounds) and the volume of each component."""

    def _context(self, request, patient, form=None, status=200, version=None, refused=()):
        consultation = selectors.latest_consultation(patient)
        versions = (
            list(formulary_selectors.approved_versions(consultation.indication))
            if consultation
            else []
        )
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
            "refusal": refused,
        }
        return render(request, "care/course_form.html", context, status=status)

    def get(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB)
        return self._context(
            request,
            patient,
            refused=refusal(request.user, patient.registered_clinic_id, Step.PLAN),
        )

    def post(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB, action="")
        wanted = request.POST.get("version")
        version = formulary_selectors.find_version(
            wanted if is_database_id(wanted) else None, approved=True
        )
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
                **_plan_from(form, data),
            ),
        )
        if created is not None:
            messages.success(request, _("Treatment plan saved."))
            return redirect("care:course", pk=created.pk)
        audit_shown(request.user, patient)
        return self._context(request, patient, form, status=400, version=version)


class CourseEditView(ClinicalWriteMixin, View):
    """Change a plan under way, within its protocol version's limits."""

    def _render(self, request, plan, form, status=200):
        context = {
            "course": plan,
            "patient": plan.patient,
            "version": plan.protocol_version,
            "form": form,
            "charted": plan.sessions.count(),
        }
        return no_store(render(request, "care/course_edit.html", context, status=status))

    def _form(self, plan, data=None):
        initial = {
            "sessions": plan.sessions_planned,
            "interval_days": plan.interval_days,
            "maintenance_days": plan.maintenance_days,
            "start_date": plan.start_date,
            **{
                f"volume_{c.protocol_component_id}": c.volume_per_session
                for c in plan.components.all()
            },
        }
        return CourseForm(data, version=plan.protocol_version, initial=initial)

    def get(self, request, pk):
        plan = selectors.get_course_for_user(request.user, pk, via=Interface.WEB)
        return self._render(request, plan, self._form(plan))

    def post(self, request, pk):
        plan = selectors.get_course_for_user(request.user, pk, via=Interface.WEB, audit=False)
        form = self._form(plan, request.POST)
        changed = submit(
            form,
            lambda data: courses.update_course(
                acting_user=request.user,
                via=Interface.WEB,
                course_to_change=plan,
                **_plan_from(form, data),
            ),
        )
        if changed is not None:
            messages.success(request, _("Treatment plan changed."))
            return redirect("care:course", pk=plan.pk)
        audit_shown(request.user, plan)
        return self._render(request, plan, form, status=400)


class CoursePreviewView(ClinicalWriteMixin, View):
    """The plan as typed so far (htmx, on every change): the target dates and maintenance
    recall, or which values fall outside the protocol version, and every dose limit crossed.
    Nothing is saved and no patient data is read."""

    def post(self, request, version_pk):
        version = formulary_selectors.find_version(version_pk)
        if version is None:
            raise Http404("No such protocol version.")
        form = CourseForm(request.POST, version=version)
        form.is_valid()  # partial data is fine: only complete fields are used
        data = getattr(form, "cleaned_data", {})
        context = {"complete": False, "problems": [], "doses": []}
        if all(data.get(name) for name in ("sessions", "interval_days", "maintenance_days")):
            plan = course.Plan(data["sessions"], data["interval_days"], data["maintenance_days"])
            context["problems"] = [
                {"label": form[problem.field].label, "low": problem.low, "high": problem.high}
                for problem in course.problems(plan, courses.ranges_of(version))
            ]
            if data.get("start_date") and not context["problems"]:
                try:
                    laid_out = course.dates(data["start_date"], plan)
                except OverflowError:  # a start near the end of the calendar
                    context["bad_start"] = True
                else:
                    context.update(
                        complete=True, dates=laid_out.sessions, due=laid_out.maintenance_due
                    )
        for component in form.components:
            volume = data.get(f"volume_{component.pk}")
            if volume:
                amount = doses.Amount(total=volume)
                context["doses"].extend(dose_problems(component, amount))
        return render(request, "care/_course_preview.html", context)


class CourseDetailView(ClinicalReadMixin, View):
    def get(self, request, pk):
        plan = selectors.get_course_for_user(request.user, pk, via=Interface.WEB)
        done = {s.number: s for s in plan.sessions.all()}
        schedule = [
            {"number": n, "target": date.fromisoformat(day), "session": done.get(n)}
            for n, day in enumerate(plan.session_dates, start=1)
        ]
        last = max(done.values(), key=lambda session: session.number, default=None)
        context = {
            "course": plan,
            "patient": plan.patient,
            "schedule": schedule,
            # What the gate will hold the next session to: the protocol's minimum interval
            # from the last session as it happened.
            "earliest_next": gate.earliest_next(
                timezone.localdate(last.started_at) if last is not None else None,
                plan.protocol_version.interval_days_min,
            ),
            "may": (may := steps_for(request.user, plan.clinic_id)),
            "can_chart": bool(may.get("session")) and plan.status == Course.Status.ACTIVE,
            "can_record": bool(may.get("plan")),
        }
        return no_store(render(request, "care/course.html", context))


class CourseStatusView(ClinicalWriteMixin, View):
    def post(self, request, pk):
        plan = selectors.get_course_for_user(request.user, pk, via=Interface.WEB, audit=False)
        try:
            course_status.set_course_status(
                acting_user=request.user,
                via=Interface.WEB,
                course=plan,
                status=request.POST.get("status", ""),
                reason=request.POST.get("reason", "")[:200],
            )
        except ValidationError as exc:
            refuse_with_messages(request, exc)
        else:
            messages.success(request, _("Course status changed."))
        return redirect("care:course", pk=plan.pk)


class ChartView(ClinicalReadMixin, View):
    def get(self, request, patient_pk):
        patient = get_patient_for_user(request.user, patient_pk, via=Interface.WEB)
        context = {
            "patient": patient,
            "entries": selectors.chart(request.user, patient),
            "decision_labels": labels.DECISIONS,
            "zone_labels": labels.ZONES,
        }
        return no_store(render(request, "care/chart.html", context))
