"""Scoring a session (`aftercare:score`) and a course's baseline (`aftercare:baseline`).

The page offers the scales that measure the course's indication (`scales.scales_for`); the
value shows as the clinician types (htmx posts the form to `aftercare:score_preview`, which
runs the same pure calculator and reads nothing), and, without JavaScript, after saving.
Saving goes through `services.scores.record_score`, which stores who scored."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.aftercare import labels, scales, selectors
from mesoclinic.aftercare.labels import band_words
from mesoclinic.aftercare.score_forms import ScoreForm
from mesoclinic.aftercare.services.scores import record_score
from mesoclinic.audit.services import Interface
from mesoclinic.care import access
from mesoclinic.care.views.common import ClinicalReadMixin, ClinicalWriteMixin, no_store
from mesoclinic.care.vocabulary import SCALE_SEX


def offered(course) -> list[str]:
    """The scales for the course's indication; hair-loss stages for the patient's sex only."""
    sex = course.patient.sex
    return [s for s in scales.scales_for(course.indication) if SCALE_SEX.get(s, sex) == sex]


class _ScoringPage(ClinicalReadMixin, View):
    """One page for a session's scores and a course's baseline: `target` says which."""

    def target(self, request, pk):  # pragma: no cover - each page defines it
        raise NotImplementedError

    def _scale(self, request, course) -> str:
        choices = offered(course)
        asked = request.GET.get("scale") or request.POST.get("scale")
        return asked if asked in choices else choices[0]

    def _render(self, request, course, session, form, *, status=200):
        stored = selectors.scores_of_course(request.user, course)
        stored = stored.filter(session=session) if session else stored.filter(session__isnull=True)
        context = {
            "course": course,
            "session": session,
            "patient": course.patient,
            "form": form,
            "scale": form.scale,
            "scale_label": labels.SCALES[form.scale],
            "choices": [(s, labels.SCALES[s]) for s in offered(course)],
            "stored": [
                (
                    score,
                    labels.SCALES.get(score.scale, score.scale),
                    band_words(score.scale, score.band),
                )
                for score in stored
            ],
            "may_record": access.can_record_clinical(request.user),
            "screening_baseline": None if session else selectors.baseline_from_screening(course),
            "result": form.result,
            "band": band_words(form.scale, form.result.band) if form.result else "",
        }
        return no_store(render(request, "aftercare/scores.html", context, status=status))

    def get(self, request, pk):
        course, session = self.target(request, pk)
        return self._render(request, course, session, ScoreForm(scale=self._scale(request, course)))

    def post(self, request, pk):
        if not access.can_record_clinical(request.user):
            raise PermissionDenied
        course, session = self.target(request, pk)
        scale = self._scale(request, course)
        form = ScoreForm(request.POST, scale=scale)
        if form.is_valid():
            try:
                record_score(
                    acting_user=request.user,
                    via=Interface.WEB,
                    course=course,
                    session=session,
                    scale=scale,
                    inputs=form.inputs(),
                    rater=form.cleaned_data["rater"],
                )
            except ValidationError as refused:
                for field, problems in refused.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(
                    request,
                    _("Saved: %(scale)s %(value)s.")
                    % {"scale": labels.SCALES[scale], "value": form.result.score},
                )
                return redirect(f"{request.path}?{urlencode({'scale': scale})}")
        return self._render(request, course, session, form, status=400)


class SessionScoresView(_ScoringPage):
    """`aftercare:score`: the scores of one session."""

    def target(self, request, pk):
        session = selectors.get_session_to_score(request.user, pk, via=Interface.WEB)
        return session.course, session


class BaselineScoresView(_ScoringPage):
    """`aftercare:baseline`: the course's baseline scores, before its first session, beside
    the one the screening recorded."""

    def target(self, request, pk):
        return selectors.get_course_to_score(request.user, pk, via=Interface.WEB), None


class ScorePreviewView(ClinicalWriteMixin, View):
    """The value as typed so far (htmx): the calculator on the form's inputs. Reads no record
    and stores nothing; a scale not offered anywhere is a 404."""

    def post(self, request, scale):
        if scale not in scales.SCALES:
            raise Http404
        form = ScoreForm(request.POST, scale=scale)
        form.is_valid()
        context = {
            "result": form.result,
            "band": band_words(scale, form.result.band) if form.result else "",
        }
        return render(request, "aftercare/_score_value.html", context)
