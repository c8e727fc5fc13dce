"""My treatment: one of the patient's records (one per clinic) with its plan, consents,
aftercare, scores and photos; the signed consent's PDF and the photos, served from the
encrypted private storage to their own patient only (404 otherwise, audited as denied)."""

import logging

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from mesoclinic.aftercare import links
from mesoclinic.audit.services import Action, record_event
from mesoclinic.care import labels as care_labels
from mesoclinic.care import pdf
from mesoclinic.care.services import consents as consent_services
from mesoclinic.care.views.common import pdf_unavailable
from mesoclinic.core.encrypted_storage import UndecryptableFile
from mesoclinic.portal import selectors, treatment
from mesoclinic.portal.views.common import VIA, PatientView

logger = logging.getLogger(__name__)


def _no_store(response):
    """A patient's file is kept by no browser cache and no shared proxy (a phone is shared)."""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _charts(series, *, rtl: bool, course_pk: int) -> list[dict]:
    # chart.svg escapes every text it draws, so its output is safe to place as it is.
    return [
        {"series": s, "svg": mark_safe(s.svg(rtl=rtl, ident=f"chart-{course_pk}-{i}"))}  # noqa: S308
        for i, s in enumerate(series, start=1)
    ]


class RecordView(PatientView):
    """Queries: the session and the user; the user's roles; the record (`my_record`); the
    reads of `treatment.treatment_of`; one audit row per kind. The same whatever the number of
    sessions, scores or photos."""

    def get(self, request, pk):
        record = selectors.my_record(request.user, pk)
        found = treatment.treatment_of(request.user, record)
        treatment.audit_treatment(request.user, found)
        rtl = translation.get_language_bidi()
        now = timezone.now()
        context = {
            "nav": "home",
            "record": record,
            "clinic": record.registered_clinic,
            "courses": [
                {"plan": c, "charts": _charts(c.series, rtl=rtl, course_pk=c.course.pk)}
                for c in found.courses
            ],
            "consents": [
                {"consent": c, "procedure": care_labels.PROCEDURES.get(c.text.procedure, "")}
                for c in found.consents
            ],
            "last_session": found.last_session,
            "aftercare": found.last_session.aftercare if found.last_session else None,
            "urdu": translation.get_language() == "ur",
            "check_ins": [
                {
                    "check_in": c,
                    "open": c.status == c.Status.DUE and c.due_at <= now < c.link_expires_at,
                    "token": links.token_for(c.pk),
                }
                for c in found.check_ins
            ],
            "has_scores": any(c.series for c in found.courses),
        }
        return render(request, "portal/record.html", context)


class ConsentPdfView(PatientView):
    """The signed consent's PDF copy, as the clinic's consent page serves it (printed again
    if the first printing failed or the file is gone), to its own patient only: another id is
    a 404 audited as denied. A download (attachment), never cached."""

    def get(self, request, pk):
        consent = treatment.my_consent(request.user, pk)
        try:
            handle = consent.pdf.open("rb") if consent.pdf else None
        except FileNotFoundError:
            logger.warning("consent %s: PDF file missing, printing it again", consent.pk)
            consent_services.forget_missing_pdf(acting_user=request.user, via=VIA, consent=consent)
            handle = None
        except UndecryptableFile:
            logger.error("consent %s: stored PDF cannot be decrypted", consent.pk)
            return _no_store(pdf_unavailable(request))
        if handle is None:
            try:
                consent_services.store_pdf(consent, acting_user=request.user, via=VIA)
                handle = consent.pdf.open("rb")
            except (pdf.PdfUnavailable, OSError):
                return _no_store(pdf_unavailable(request))
        record_event(
            actor=request.user,
            action=Action.VIEW,
            via=VIA,
            instance=consent,
            detail={"part": "pdf"},
        )
        response = FileResponse(
            handle,
            as_attachment=True,
            content_type="application/pdf",
            filename=f"consent-{consent.patient.mrn}-{consent.pk}.pdf",
        )
        return _no_store(response)


class PhotoView(PatientView):
    """One of the patient's own course photos (or its thumbnail), when the consent on its
    course agreed to treatment photos; 404 otherwise, audited as denied."""

    part = "file"

    def get(self, request, pk):
        photo = treatment.my_photo(request.user, pk)
        try:
            handle = getattr(photo, self.part).open("rb")
        except (OSError, ValueError) as exc:  # missing, unreadable: never a 500
            logger.warning("course photo %s: cannot open (%s)", photo.pk, type(exc).__name__)
            raise Http404("The photo file is missing.") from None
        record_event(
            actor=request.user,
            action=Action.VIEW,
            via=VIA,
            instance=photo,
            detail={"part": self.part},
        )
        response = FileResponse(handle, content_type=photo.content_type)
        response["Content-Disposition"] = "inline"
        return _no_store(response)


class PhotoThumbnailView(PhotoView):
    part = "thumbnail"
