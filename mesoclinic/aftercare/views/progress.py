"""A course's progress (sessions done and to come, the score over time drawn by the server,
adverse events, the maintenance date) and the course summary PDF for the patient."""

import base64
import logging

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.views import View

from mesoclinic.aftercare import labels, progress, selectors
from mesoclinic.aftercare.services import photos as photo_services
from mesoclinic.audit.services import Interface
from mesoclinic.care import pdf
from mesoclinic.care.views.common import ClinicalReadMixin, no_store, pdf_unavailable

logger = logging.getLogger(__name__)

LANGUAGES = ("en", "ur")


def _charts(series, *, rtl: bool) -> list[dict]:
    # chart.svg escapes every text it draws, so its output is safe to place as it is.
    return [
        {"series": s, "svg": mark_safe(s.svg(rtl=rtl, ident=f"chart-{i}"))}  # noqa: S308
        for i, s in enumerate(series, start=1)
    ]


class ProgressView(ClinicalReadMixin, View):
    """Queries: the user's roles; the course (patient, clinic, consultation, protocol); its
    sessions; their products with lots; the scores; the photos; the adverse events; the
    standing marketing consent; the audit row. The same whatever the number of sessions,
    scores or photos."""

    def get(self, request, course_id):
        course = progress.course_for_progress(request.user, course_id, via=Interface.WEB)
        series = progress.series_of(course, selectors.scores_of_course(request.user, course))
        context = {
            "course": course,
            "patient": course.patient,
            "schedule": progress.schedule_of(course),
            "charts": _charts(series, rtl=translation.get_language_bidi()),
            "photo_count": len(progress.course_photos(request.user, course)),
            "events": progress.course_events(request.user, course),
            "marketing": progress.marketing_consent(course),
        }
        return no_store(render(request, "aftercare/progress.html", context))


def _data_uri(photo) -> str | None:
    try:
        with photo.thumbnail.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError) as exc:
        logger.warning("course photo %s: no thumbnail (%s)", photo.pk, type(exc).__name__)
        return None
    return f"data:{photo.content_type};base64," + base64.b64encode(data).decode("ascii")


def summary_html(user, course, language: str) -> str:
    """The summary as the printer reads it, in `language`: sessions with products and lots,
    the scores, the photos (baseline and latest of each view) if the patient agreed to
    treatment photos, what to watch for, the maintenance date, the clinic's number."""
    with translation.override(language):
        series = progress.series_of(course, selectors.scores_of_course(user, course))
        pictures = []
        if photo_services.photo_answer_on(course):
            shown = progress.course_photos(user, course)
            for pair in progress.comparison(course, shown, series):
                for moment in ("baseline", "latest"):
                    photo = pair[moment]
                    if photo is not None and (uri := _data_uri(photo)):
                        pictures.append(
                            {
                                "view": labels.VIEWS[pair["view"]],
                                "photo": photo,
                                "uri": uri,
                                "moment": moment,
                            }
                        )
        rtl = language == "ur"
        return render_to_string(
            "aftercare/summary_pdf.html",
            {
                "course": course,
                "patient": course.patient,
                "clinic": course.clinic,
                "sessions": list(course.sessions.all()),
                "charts": _charts(series, rtl=rtl),
                "pictures": pictures,
                "language": language,
                "rtl": rtl,
                "font": pdf.nastaliq_data_uri(),
            },
        )


class SummaryPdfView(ClinicalReadMixin, View):
    """The course summary for the patient, in `?language=ur|en` (the patient's own by
    default), printed by Chromium so its Urdu reads back. Audited as a read of the course."""

    def get(self, request, course_id):
        course = progress.course_for_progress(
            request.user, course_id, via=Interface.WEB, part="summary_pdf"
        )
        language = request.GET.get("language")
        if language not in LANGUAGES:
            language = (
                course.patient.preferred_language
                if course.patient.preferred_language in LANGUAGES
                else "en"
            )
        try:
            data = pdf.print_pdf(summary_html(request.user, course, language))
        except pdf.PdfUnavailable:
            return pdf_unavailable(request)
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="course-summary-{course.patient.mrn}-{course.pk}-{language}.pdf"'
        )
        return no_store(response)
