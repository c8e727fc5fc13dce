"""Treatment photos of a course, and the patient's separate consent to marketing use.

A treatment photo needs the treatment consent's own photo question answered yes on this
course; marketing use is another question, asked apart (`MarketingConsent`), and never follows
from the treatment consent. The file is re-encoded before anything is stored (`core.images`:
no EXIF, no GPS, nothing appended after the pixels survives), written under random names in the
private storage, and removed again if the row cannot be written, so a refusal leaves no file.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mesoclinic.aftercare import labels, vocabulary
from mesoclinic.aftercare.models import CoursePhoto, MarketingConsent
from mesoclinic.audit.services import Action, record_event, save_audited
from mesoclinic.care import access
from mesoclinic.care.models import Consent, Course, TreatmentSession
from mesoclinic.care.storage import random_name, sha256_of
from mesoclinic.core import images
from mesoclinic.patients.models import Patient


def allowed_views(course) -> tuple[str, ...]:
    """The standardized views of the course's indication (none for an unknown one)."""
    return vocabulary.VIEWS_FOR_INDICATION.get(course.indication, ())


def photo_consent_on(course) -> bool:
    """Whether the patient agreed to treatment photos on this course: the consent given on it,
    standing, with the photo question answered yes. Completing the course ends its consent
    (`care.services.course_status`), but the photo at the last session is still covered by
    what the patient agreed to; a consent ended for any other reason (new facts, a changed
    plan, a cancelled course) is not."""
    consent = Consent.objects.filter(course_id=course.pk).order_by("-id").first()
    if consent is None or not consent.photo_consent:
        return False
    if consent.is_valid:
        return True
    return (
        course.status == Course.Status.COMPLETED
        and consent.invalidated_reason == f"Course {course.pk} completed."
    )


def upload_photo(
    *, acting_user, via: str, course, session=None, view: str, upload, taken_at=None
) -> CoursePhoto:
    """Store one photo of `view` at the course's baseline (`session` None) or at one of its
    sessions. Refuses (ValidationError by field, nothing stored) a view outside the indication's,
    a session of another course, a patient without photo consent, and a file that is not a
    photo or too large; PermissionDenied for a role that records no clinical data or a course
    the user may not see."""
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    if not Course.objects.for_user(acting_user).filter(pk=course.pk).exists():
        raise PermissionDenied
    errors = {}
    views = allowed_views(course)
    if view not in views:
        errors["view"] = [
            _("For this course take one of: %(views)s.")
            % {"views": ", ".join(str(labels.VIEWS[v]) for v in views)}
        ]
    if (
        session is not None
        and not TreatmentSession.objects.filter(pk=session.pk, course_id=course.pk).exists()
    ):
        errors["session"] = [_("That session is not part of this course.")]
    if not photo_consent_on(course):
        errors["photo"] = [
            _(
                "The patient has not agreed to treatment photos on this course's consent: "
                "no photo can be kept."
            )
        ]
    if errors:
        raise ValidationError(errors)
    try:
        clean = images.clean(upload)
    except images.ImageRefused as refused:
        raise ValidationError({"photo": [str(refused)]}) from None
    # The field's own storage: the one the photo is read back from.
    storage = CoursePhoto.file.field.storage
    names = []
    try:
        names.append(
            storage.save(random_name("course-photos", clean.extension), ContentFile(clean.data))
        )
        names.append(
            storage.save(
                random_name("course-photos", clean.extension), ContentFile(clean.thumbnail)
            )
        )
        with transaction.atomic():
            photo = CoursePhoto.objects.create(
                patient_id=course.patient_id,
                clinic_id=course.clinic_id,
                course=course,
                session=session,
                view=view,
                file=names[0],
                thumbnail=names[1],
                content_type=clean.content_type,
                width=clean.width,
                height=clean.height,
                size=len(clean.data),
                sha256=sha256_of(clean.data),
                taken_at=taken_at or timezone.now(),
                uploaded_by=acting_user,
            )
            record_event(
                actor=acting_user,
                action=Action.CREATE,
                via=via,
                instance=photo,
                detail={"view": view, "session": session.number if session else None},
            )
    except Exception:
        for name in names:  # no orphan file when the row could not be written
            storage.delete(name)
        raise
    return photo


def _ensure_may_record_for(acting_user, patient) -> None:
    if not access.can_record_clinical(acting_user):
        raise PermissionDenied
    if not Patient.objects.for_user(acting_user).filter(pk=patient.pk).exists():
        raise PermissionDenied


def record_marketing_consent(*, acting_user, via: str, patient, clinic) -> MarketingConsent:
    """The patient agrees, asked apart from the treatment consent, that the clinic may use
    their photos for marketing. One standing consent per patient and clinic: asking again
    while one stands returns it."""
    _ensure_may_record_for(acting_user, patient)
    if clinic.pk != patient.registered_clinic_id:
        raise ValidationError({"clinic": [_("Record it at the patient's own clinic.")]})
    standing = MarketingConsent.objects.filter(
        patient=patient, clinic=clinic, withdrawn_at__isnull=True
    ).first()
    if standing is not None:
        return standing
    try:
        with transaction.atomic():
            consent = MarketingConsent.objects.create(
                patient=patient, clinic=clinic, recorded_by=acting_user
            )
            record_event(actor=acting_user, action=Action.CREATE, via=via, instance=consent)
    except IntegrityError:  # a double submit recorded it a moment ago
        return MarketingConsent.objects.get(
            patient=patient, clinic=clinic, withdrawn_at__isnull=True
        )
    return consent


def withdraw_marketing_consent(
    *, acting_user, via: str, patient, clinic
) -> MarketingConsent | None:
    """The patient withdraws marketing use: the standing consent gets its `withdrawn_at`
    (kept, so the register shows when it stood). None when there was none standing."""
    _ensure_may_record_for(acting_user, patient)
    with transaction.atomic():
        consent = (
            MarketingConsent.objects.select_for_update()
            .filter(patient=patient, clinic=clinic, withdrawn_at__isnull=True)
            .first()
        )
        if consent is None:
            return None
        consent.withdrawn_at = timezone.now()
        save_audited(consent, actor=acting_user, via=via, fields=["withdrawn_at"])
    return consent


def marketing_allowed(patient, clinic) -> bool:
    """Whether the clinic may use the patient's photos for marketing now: only a standing
    marketing consent says yes (the treatment consent's photo answer never does)."""
    return MarketingConsent.objects.filter(
        patient=patient, clinic=clinic, withdrawn_at__isnull=True
    ).exists()


def photo_answer_on(course) -> bool:
    """Whether the patient answered yes to treatment photos on the latest consent given on the
    course, standing or since ended: what decides if their own summary shows their photos."""
    consent = Consent.objects.filter(course_id=course.pk).order_by("-id").first()
    return consent is not None and consent.photo_consent
