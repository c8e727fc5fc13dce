"""An adverse event and a cluster alert, as the clinic works them.

The event page: triggers, effects, grade (care's `set_grade`), the check-ins that reported it,
the work-up checklist (`tick_step`), the lots injected in the course up to its session, the
course's state, a follow-up booking, and the closing form (`close_adverse_event`): the care
services decide; a refusal is shown beside its field and nothing is stored.

The alert page: the events counted, the lot, the formulary's recall of it, and acknowledging.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.aftercare import clinic_reads, labels
from mesoclinic.aftercare.services.events import acknowledge_alert
from mesoclinic.aftercare.staff_forms import CloseForm, GradeForm, StepForm
from mesoclinic.audit.services import Interface
from mesoclinic.care import access
from mesoclinic.care.services.adverse_events import close_adverse_event, set_grade, tick_step
from mesoclinic.care.views.common import ClinicalReadMixin, audit_shown, no_store
from mesoclinic.core.pages import refuse_with_messages, submit
from mesoclinic.formulary import access as formulary_access

VIA = Interface.WEB


def _checklist(event) -> list[dict]:
    """The steps in words, with who ticked each and when (one query for the names)."""
    ids = {step.get("done_by") for step in event.checklist if step.get("done_by")}
    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids)} if ids else {}
    return [
        {
            "code": step["code"],
            "label": labels.STEPS.get(step["code"], step["code"]),
            "done_at": step.get("done_at"),
            "done_by": people.get(step.get("done_by")),
        }
        for step in event.checklist
    ]


class EventView(ClinicalReadMixin, View):
    def _render(self, request, event, *, grade_form=None, close_form=None, status=200):
        user = request.user
        can_record = access.can_record_clinical(user)
        context = {
            "event": event,
            "patient": event.patient,
            "course": event.course,
            "triggers": [labels.TRIGGERS.get(code, code) for code in event.triggers],
            "effects": [labels.EFFECTS.get(code, code) for code in event.effects],
            "grade_label": labels.GRADES.get(event.grade),
            "grades": labels.GRADES,
            "check_ins": clinic_reads.event_check_ins(user, event),
            "checklist": _checklist(event),
            "lots": clinic_reads.lots_before(event),
            "can_record": can_record,
            "grade_form": grade_form or GradeForm(initial={"grade": event.grade}),
            "close_form": close_form or CloseForm(),
            "effect_labels": labels.EFFECTS,
        }
        return no_store(render(request, "aftercare/event.html", context, status=status))

    def get(self, request, pk):
        event = clinic_reads.get_event_for_user(request.user, pk)
        return self._render(request, event)

    def post(self, request, pk):
        if not access.can_record_clinical(request.user):
            raise PermissionDenied
        event = clinic_reads.get_event_for_user(request.user, pk, audit=False)
        action = request.POST.get("action")
        if action == "grade":
            form = GradeForm(request.POST)
            done = submit(
                form,
                lambda data: set_grade(
                    acting_user=request.user, via=VIA, event=event, grade=data["grade"]
                ),
            )
            if done is None:
                audit_shown(request.user, event)
                return self._render(request, event, grade_form=form, status=400)
            messages.success(request, _("Grade saved."))
        elif action == "step":
            form = StepForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("This event has no such step."))
            else:
                try:
                    tick_step(
                        acting_user=request.user,
                        via=VIA,
                        event=event,
                        code=form.cleaned_data["code"],
                        done=form.cleaned_data["done"],
                    )
                except ValidationError as exc:
                    refuse_with_messages(request, exc)
        elif action == "close":
            form = CloseForm(request.POST)
            closed = submit(
                form,
                lambda data: close_adverse_event(
                    acting_user=request.user,
                    via=VIA,
                    event=event,
                    outcome=data["outcome"],
                    note=data["note"],
                    resume_course=data["resume_course"],
                ),
            )
            if closed is None:
                audit_shown(request.user, event)
                return self._render(request, event, close_form=form, status=400)
            messages.success(request, _("Adverse event %(ref)s closed.") % {"ref": event.reference})
        else:
            messages.error(request, _("Nothing was changed."))
        return redirect("aftercare:event", pk=event.pk)


class AlertView(ClinicalReadMixin, View):
    """A cluster alert for the managers and practitioners of its clinic (404 to anyone else):
    the events, the lot and its recall, and "acknowledge" (managers)."""

    def get(self, request, pk):
        alert = clinic_reads.get_alert_for_user(request.user, pk)
        context = {
            "alert": alert,
            "events": clinic_reads.alert_events(request.user, alert),
            "triggers": labels.TRIGGERS,
            "can_recall": alert.lot_id is not None
            and formulary_access.can_manage_lots(request.user),
        }
        return no_store(render(request, "aftercare/alert.html", context))

    def post(self, request, pk):
        alert = clinic_reads.get_alert_for_user(request.user, pk)
        try:
            acknowledge_alert(acting_user=request.user, via=VIA, alert=alert)
        except PermissionDenied:
            messages.error(request, _("Only a manager of this clinic may acknowledge the alert."))
        else:
            messages.success(request, _("Alert acknowledged."))
        return redirect("aftercare:alert", pk=alert.pk)
