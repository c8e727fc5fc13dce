"""What "My treatment" reads of one of the patient's records: the courses with their sessions
done and to come, the consents signed, the last session's aftercare and check-ins, the scores,
and the photos the patient agreed to; and the single files (a consent's PDF, a photo) served
from it.

Every row comes through `for_user` (the one scoping rule: a patient reads the rows whose
patient record is linked to their account) and is further kept to the record asked for, so a
record at clinic A shows clinic A's rows only. Photos follow the consent given on their own
course at their own clinic (`photos_allowed`): one clinic's photo answer never opens another's.

The page's reads are a fixed number of queries whatever the number of courses, sessions,
scores or photos (see `treatment_of`).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from mesoclinic.aftercare import progress
from mesoclinic.aftercare.models import CheckIn, CoursePhoto, OutcomeScore
from mesoclinic.aftercare.services import photos as photo_services
from mesoclinic.appointments.models import Appointment, AppointmentType, Status
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care.models import Consent, Course, TreatmentSession
from mesoclinic.clinics import scoping
from mesoclinic.portal import plan

VIA = Interface.PORTAL


@dataclass
class CoursePlan:
    """One course as the page shows it."""

    course: Course
    rows: list  # plan.Row, one per session
    next_row: object  # plan.Row or None
    visits: list  # other booked visits of the course still to come (reading, maintenance)
    series: list  # progress.Series, one per scale and rater
    photos_allowed: bool
    maintenance_at: object = None  # the maintenance visit's booking (a datetime), if booked
    pairs: list = field(default_factory=list)  # progress.comparison, when photos_allowed

    @property
    def pairs_shown(self) -> bool:
        """Whether any view has a photo to show."""
        return any(pair["baseline"] or pair["latest"] for pair in self.pairs)


@dataclass
class Treatment:
    record: object
    courses: list[CoursePlan]
    consents: list[Consent]
    last_session: TreatmentSession | None
    check_ins: list[CheckIn]
    counts: dict  # model -> rows shown, for the audit


def photos_allowed(consents) -> dict[int, bool]:
    """Per course id, whether the patient answered yes to treatment photos on the latest consent
    given on that course at its clinic (standing or since ended: what they agreed to covers the
    photos taken under it; a later "no" closes them). The same rule as the patient's own course
    summary (`aftercare.services.photos.photo_answer_on`), over consents already read."""
    latest: dict[int, Consent] = {}
    for consent in consents:
        if consent.course_id is None:
            continue
        seen = latest.get(consent.course_id)
        if seen is None or consent.pk > seen.pk:
            latest[consent.course_id] = consent
    return {course_id: c.photo_consent for course_id, c in latest.items()}


def treatment_of(user, record) -> Treatment:
    """Everything the page shows of `record` (one of `user`'s, from `selectors.my_record`).

    Queries: the courses (course_patient_idx) with their consultation and protocol; their
    sessions with the aftercare text; the consents (consent_patient_idx); the booked visits to
    come (appointment_patient_idx); the scores (score_patient_idx); the photos of the courses
    whose consent allows them (photo_course_idx; none when no course does); the last session's
    check-ins. Then one audit row per kind read."""
    courses = list(
        Course.objects.for_user(user)
        .filter(patient=record)
        .select_related("consultation", "protocol_version__protocol")
        .prefetch_related(
            Prefetch(
                "sessions",
                TreatmentSession.objects.for_user(user)
                .select_related("aftercare")
                .order_by("number"),
            )
        )
        .order_by("-id")
    )
    consents = list(
        Consent.objects.for_user(user)
        .filter(patient=record)
        .select_related("text")
        .order_by("-signed_at", "-id")
    )
    course_ids = [c.pk for c in courses]
    visits = []
    if course_ids:
        visits = list(
            Appointment.objects.for_user(user)
            .filter(
                patient=record,
                series__course_id__in=course_ids,
                status__in=(Status.BOOKED, Status.CHECKED_IN),
                starts_at__gte=timezone.now(),
            )
            .select_related("type", "series")
            .order_by("starts_at", "id")
        )
    scores = list(
        OutcomeScore.objects.for_user(user)
        .filter(patient=record)
        .select_related("session")
        .order_by("scored_at", "id")
    )
    allowed = photos_allowed(c for c in consents if c.clinic_id == record.registered_clinic_id)
    shown_photos = [c.pk for c in courses if allowed.get(c.pk)]
    photos = []
    if shown_photos:
        photos = list(
            CoursePhoto.objects.for_user(user)
            .filter(patient=record, course_id__in=shown_photos)
            .select_related("session")
        )
    plans = []
    for course in courses:
        sessions = list(course.sessions.all())
        of_course = [v for v in visits if v.series.course_id == course.pk]
        booked = [v.starts_at for v in of_course if v.type.code == AppointmentType.Code.SESSION]
        rows = plan.rows(
            [date.fromisoformat(d) for d in course.session_dates],
            {s.number: timezone.localdate(s.started_at) for s in sessions},
            booked,
        )
        series = progress.series_of(course, [s for s in scores if s.course_id == course.pk])
        entry = CoursePlan(
            course=course,
            rows=rows,
            next_row=plan.next_to_come(rows),
            visits=[v for v in of_course if v.type.code != AppointmentType.Code.SESSION],
            series=series,
            photos_allowed=bool(allowed.get(course.pk)),
            maintenance_at=plan.maintenance_booking(rows, booked),
        )
        if entry.photos_allowed:
            entry.pairs = progress.comparison(
                course, [p for p in photos if p.course_id == course.pk], series
            )
        plans.append(entry)
    every_session = [s for c in courses for s in c.sessions.all()]
    last = max(every_session, key=lambda s: (s.started_at, s.pk), default=None)
    check_ins = []
    if last is not None:
        check_ins = list(
            CheckIn.objects.for_user(user).filter(session_id=last.pk).order_by("due_at", "id")
        )
    return Treatment(
        record=record,
        courses=plans,
        consents=consents,
        last_session=last,
        check_ins=check_ins,
        counts={
            Course: len(courses),
            TreatmentSession: len(every_session),
            Consent: len(consents),
            Appointment: len(visits),
            OutcomeScore: len(scores),
            CoursePhoto: len(photos),
            CheckIn: len(check_ins),
        },
    )


def audit_treatment(user, treatment: Treatment) -> None:
    """The page's reads, audited: the record opened (VIEW) and each kind listed with how many
    rows were shown (LIST), at the record's clinic."""
    record = treatment.record
    record_event(actor=user, action=Action.VIEW, via=VIA, instance=record)
    for model, count in treatment.counts.items():
        record_event(
            actor=user,
            action=Action.LIST,
            via=VIA,
            object_type=model._meta.label_lower,
            clinic_id=record.registered_clinic_id,
            detail={"count": count, "patient": record.pk},
        )


def my_consent(user, pk) -> Consent:
    """One of the patient's own consents, or 404 audited as DENIED (another patient's id looks
    like a missing one). The read is audited by the view once the file is served."""
    try:
        return Consent.objects.for_user(user).select_related("patient", "text").get(pk=int(pk))
    except (Consent.DoesNotExist, ValueError, TypeError, OverflowError):
        raise scoping.denied(user, Consent, pk, via=VIA) from None


def my_photo(user, pk) -> CoursePhoto:
    """One of the patient's own course photos that the consent on its course lets them see, or
    404 audited as DENIED: another patient's photo, and one whose course's consent said no to
    treatment photos, look the same as a missing one."""
    try:
        photo = (
            CoursePhoto.objects.for_user(user).select_related("course", "patient").get(pk=int(pk))
        )
    except (CoursePhoto.DoesNotExist, ValueError, TypeError, OverflowError):
        raise scoping.denied(user, CoursePhoto, pk, via=VIA) from None
    if photo.course.clinic_id != photo.clinic_id or not photo_services.photo_answer_on(
        photo.course
    ):
        raise scoping.denied(user, CoursePhoto, pk, via=VIA)
    return photo
