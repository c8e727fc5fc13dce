"""Check-ins on the clinic's side: recorded by phone or at a visit, reviewed by a clinician
(each effect's CTCAE grade and when it resolved), and the check-in's photo, served only here."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.aftercare import labels
from mesoclinic.aftercare.models import CheckIn, SideEffect
from mesoclinic.aftercare.selectors import get_check_in_for_user
from mesoclinic.aftercare.services import checkins
from mesoclinic.aftercare.staff_forms import ReviewForm, StaffCheckInForm
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care import access, selectors
from mesoclinic.care.views.common import (
    ClinicalReadMixin,
    ClinicalWriteMixin,
    audit_shown,
    no_store,
)
from mesoclinic.clinics import scoping
from mesoclinic.core.pages import submit

logger = logging.getLogger(__name__)
VIA = Interface.WEB


def _check_in(user, pk, *, audit=True) -> CheckIn:
    """The check-in, or the audited 404."""
    try:
        found = get_check_in_for_user(user, int(pk))
    except (Http404, ValueError, TypeError):
        raise scoping.denied(user, CheckIn, pk, via=VIA) from None
    if audit:
        record_event(actor=user, action=Action.VIEW, via=VIA, instance=found)
    return found


class RecordCheckInView(ClinicalWriteMixin, View):
    """Staff record a check by phone or at a visit, in the patient form's structure: a due
    check-in (`?check_in=<id>`, from the overdue list) is answered; otherwise a new report."""

    def _due(self, request, session):
        raw = request.GET.get("check_in") or request.POST.get("check_in")
        if not raw:
            return None
        found = _check_in(request.user, raw, audit=False)
        if found.session_id != session.pk:
            raise scoping.denied(request.user, CheckIn, raw, via=VIA)
        return found

    def _render(self, request, session, due, form, status=200):
        context = {
            "session": session,
            "patient": session.patient,
            "due": due,
            "form": form,
            "rows": form.effect_rows(),
        }
        return no_store(render(request, "aftercare/record_check_in.html", context, status=status))

    def get(self, request, session_id):
        session = selectors.get_session_for_user(request.user, session_id, via=VIA)
        return self._render(request, session, self._due(request, session), StaffCheckInForm())

    def post(self, request, session_id):
        session = selectors.get_session_for_user(request.user, session_id, via=VIA, audit=False)
        due = self._due(request, session)
        form = StaffCheckInForm(request.POST, request.FILES)

        def save(_data):
            if due is not None:
                decision = checkins.answer_check_in(
                    acting_user=request.user,
                    via=VIA,
                    check_in=due,
                    answers=form.answers(),
                    channel=form.cleaned_data["channel"],
                )
                return due, decision
            return checkins.report(
                acting_user=request.user,
                via=VIA,
                session=session,
                answers=form.answers(),
                channel=form.cleaned_data["channel"],
            )

        saved = submit(form, save)
        if saved is None:
            audit_shown(request.user, session)
            return self._render(request, session, due, form, status=400)
        check_in, decision = saved
        if decision.escalate:
            messages.warning(
                request,
                _("Recorded. It escalates: an adverse event is open and the course is paused."),
            )
        else:
            messages.success(request, _("Recorded. Review and grade each effect."))
        return redirect("aftercare:review", pk=check_in.pk)


class ReviewView(ClinicalReadMixin, View):
    """A check-in with each effect, the patient's rating and the clinician's grade (CTCAE v5
    definitions in the choices), and when it resolved; saving confirms the grades, which
    escalates when one reaches the clinic's threshold."""

    def _render(self, request, check_in, form, status=200):
        context = {
            "check_in": check_in,
            "patient": check_in.patient,
            "form": form,
            "rows": form.rows(),
            "effects": labels.EFFECTS,
            "ratings": labels.SELF_RATING,
            "grades": labels.GRADES,
            # Only an answered check-in has answers to grade.
            "can_review": access.can_record_clinical(request.user)
            and check_in.status == CheckIn.Status.ANSWERED,
        }
        return no_store(render(request, "aftercare/review.html", context, status=status))

    def _effects(self, check_in):
        return list(SideEffect.objects.filter(check_in=check_in).select_related("graded_by"))

    def get(self, request, pk):
        check_in = _check_in(request.user, pk)
        form = ReviewForm(effects=self._effects(check_in))
        return self._render(request, check_in, form)

    def post(self, request, pk):
        if not access.can_record_clinical(request.user):
            raise PermissionDenied
        check_in = _check_in(request.user, pk, audit=False)
        if check_in.status != CheckIn.Status.ANSWERED:
            messages.error(request, _("This check-in has not been answered yet."))
            return redirect("aftercare:review", pk=check_in.pk)
        form = ReviewForm(request.POST, effects=self._effects(check_in))
        decision = submit(
            form,
            lambda _data: checkins.confirm_grades(
                acting_user=request.user,
                via=VIA,
                check_in=check_in,
                grades=form.grades(),
                resolved=form.resolved(),
            ),
        )
        if decision is None:
            audit_shown(request.user, check_in)
            return self._render(request, check_in, form, status=400)
        if decision.escalate:
            messages.warning(request, _("Reviewed. It escalates: the adverse event is open."))
            check_in.refresh_from_db(fields=["adverse_event"])
            if check_in.adverse_event_id:
                return redirect("aftercare:event", pk=check_in.adverse_event_id)
        else:
            messages.success(request, _("Reviewed."))
        return redirect("aftercare:queue", clinic_id=check_in.clinic_id)


class CheckInPhotoView(ClinicalReadMixin, View):
    """A check-in's photo, only through here: access checked, read audited, never cached."""

    def get(self, request, pk):
        check_in = _check_in(request.user, pk)
        if not check_in.photo:
            raise Http404("No photo.")
        try:
            handle = check_in.photo.open("rb")
        except OSError as exc:  # missing or unreadable: never a 500
            logger.warning(
                "check-in %s: cannot open its photo (%s)", check_in.pk, type(exc).__name__
            )
            raise Http404("The photo file is missing.") from None
        content_type = "image/png" if check_in.photo.name.endswith(".png") else "image/jpeg"
        response = FileResponse(handle, content_type=content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Disposition"] = "inline"
        return no_store(response)
