"""Course photos: the upload form, the photo and its thumbnail (served only through here:
access checked, read audited, never cached), and the baseline beside the latest photo of each
view, with the scores at each."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from mesoclinic.aftercare import labels, progress, selectors
from mesoclinic.aftercare.photo_forms import CoursePhotoForm
from mesoclinic.aftercare.services import photos as photo_services
from mesoclinic.audit.services import Interface
from mesoclinic.care.views.common import ClinicalReadMixin, ClinicalWriteMixin, no_store
from mesoclinic.core.pages import refuse_with_messages, submit

logger = logging.getLogger(__name__)


def _upload_context(request, course, form):
    shown = progress.course_photos(request.user, course)
    return {
        "course": course,
        "patient": course.patient,
        "form": form,
        "photos": [{"photo": p, "caption": progress.caption(p)} for p in shown],
        "consented": photo_services.photo_consent_on(course),
    }


class PhotoUploadView(ClinicalWriteMixin, View):
    def get(self, request, course_id):
        course = progress.course_for_progress(request.user, course_id, via=Interface.WEB)
        form = CoursePhotoForm(course=course, sessions=list(course.sessions.all()))
        return no_store(
            render(request, "aftercare/photo_upload.html", _upload_context(request, course, form))
        )

    def post(self, request, course_id):
        course = progress.course_for_progress(
            request.user, course_id, via=Interface.WEB, audit=False
        )
        form = CoursePhotoForm(
            request.POST, request.FILES, course=course, sessions=list(course.sessions.all())
        )
        photo = submit(
            form,
            lambda data: photo_services.upload_photo(
                acting_user=request.user,
                via=Interface.WEB,
                course=course,
                session=form.session(),
                view=data["view"],
                upload=data["photo"],
            ),
        )
        if photo is not None:
            messages.success(request, _("Photo added."))
            return redirect("aftercare:photo_upload", course_id=course.pk)
        context = _upload_context(request, course, form)
        return no_store(render(request, "aftercare/photo_upload.html", context, status=400))


class MarketingConsentView(ClinicalWriteMixin, View):
    """Record or withdraw the patient's separate consent to marketing use of their photos (a
    button each on the progress page; the treatment consent's photo answer never implies it)."""

    def post(self, request, course_id):
        course = progress.course_for_progress(
            request.user, course_id, via=Interface.WEB, audit=False
        )
        action = request.POST.get("action")
        if action not in ("give", "withdraw"):
            messages.error(request, _("Choose to record or to withdraw the consent."))
            return redirect("aftercare:progress", course_id=course.pk)
        service = (
            photo_services.record_marketing_consent
            if action == "give"
            else photo_services.withdraw_marketing_consent
        )
        try:
            service(
                acting_user=request.user,
                via=Interface.WEB,
                patient=course.patient,
                clinic=course.patient.registered_clinic,
            )
        except ValidationError as refused:
            refuse_with_messages(request, refused)
        else:
            messages.success(
                request,
                _("Marketing consent recorded.")
                if action == "give"
                else _("Marketing consent withdrawn."),
            )
        return redirect("aftercare:progress", course_id=course.pk)


def _serve(photo, field):
    try:
        handle = getattr(photo, field).open("rb")
    except (OSError, ValueError) as exc:  # missing, unreadable: never a 500
        logger.warning("course photo %s: cannot open its file (%s)", photo.pk, type(exc).__name__)
        raise Http404("The photo file is missing.") from None
    response = FileResponse(handle, content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return no_store(response)


class PhotoView(ClinicalReadMixin, View):
    def get(self, request, pk):
        photo = progress.get_photo_for_user(request.user, pk, via=Interface.WEB)
        return _serve(photo, "file")


class PhotoThumbnailView(ClinicalReadMixin, View):
    def get(self, request, pk):
        photo = progress.get_photo_for_user(request.user, pk, via=Interface.WEB, part="thumbnail")
        return _serve(photo, "thumbnail")


class CompareView(ClinicalReadMixin, View):
    """Each view of the indication: the baseline photo beside the latest, with the scores."""

    def get(self, request, course_id):
        course = progress.course_for_progress(request.user, course_id, via=Interface.WEB)
        series = progress.series_of(course, selectors.scores_of_course(request.user, course))
        pairs = progress.comparison(course, progress.course_photos(request.user, course), series)
        context = {
            "course": course,
            "patient": course.patient,
            "pairs": pairs,
            "view_labels": labels.VIEWS,
        }
        return no_store(render(request, "aftercare/compare.html", context))
