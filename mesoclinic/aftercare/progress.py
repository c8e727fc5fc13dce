"""Reads for a course's progress: its photos, its scores as series over time, the baseline
beside the latest photo of each view, and everything the summary PDF prints. Every row comes
through `for_user` (the one scoping rule); single records answer 404 to those who may not see
them, audited like care's (`care.selectors`)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from mesoclinic.aftercare import chart, labels, vocabulary
from mesoclinic.aftercare.models import CoursePhoto, MarketingConsent, OutcomeScore
from mesoclinic.audit.services import Action, record_event
from mesoclinic.care.models import AdverseEvent, Course, SessionProduct, TreatmentSession
from mesoclinic.clinics import scoping

#: The top of each scale's axis, where the scale has one (others round up from the data).
SCALE_MAX = {"masi": 48, "mmasi": 24, "gais": 5, "satisfaction": 10}
#: How each scale is named on the chart and the summary.
SCALE_NAMES = {"masi": "MASI", "mmasi": "mMASI", "gais": "GAIS", "satisfaction": "0–10"}


def get_photo_for_user(user, pk, *, via: str, part: str = "file") -> CoursePhoto:
    """A course photo `user` may see, or 404 (missing and another clinic's look the same; the
    attempt is audited). The read is audited with which part was served."""
    try:
        photo = CoursePhoto.objects.for_user(user).select_related("patient").get(pk=int(pk))
    except (CoursePhoto.DoesNotExist, ValueError, TypeError):
        raise scoping.denied(user, CoursePhoto, pk, via=via) from None
    record_event(actor=user, action=Action.VIEW, via=via, instance=photo, detail={"part": part})
    return photo


def course_photos(user, course) -> list[CoursePhoto]:
    """The course's photos in the order they were taken, each with its session (one query,
    uses photo_course_idx)."""
    return list(
        CoursePhoto.objects.for_user(user).filter(course_id=course.pk).select_related("session")
    )


def course_events(user, course) -> list[AdverseEvent]:
    """The course's adverse events, newest first (one query)."""
    return list(AdverseEvent.objects.for_user(user).filter(course_id=course.pk).order_by("-id"))


def marketing_consent(course):
    """The patient's standing consent to marketing use of their photos at their clinic, or
    None (one query)."""
    return MarketingConsent.objects.filter(
        patient_id=course.patient_id,
        clinic_id=course.patient.registered_clinic_id,
        withdrawn_at__isnull=True,
    ).first()


def scale_name(scale: str) -> str:
    return SCALE_NAMES.get(scale, scale.replace("_", " ").title())


@dataclass
class Reading:
    """One value on a scale: at the baseline (`number` None) or at a session."""

    label: str
    value: Decimal
    number: int | None
    on: date | None
    source: str  # "consultation" or "score"


@dataclass
class Series:
    scale: str
    rater: str
    readings: list[Reading] = field(default_factory=list)

    @property
    def name(self) -> str:
        name = scale_name(self.scale)
        if self.rater == OutcomeScore.Rater.PATIENT:
            return _("%(scale)s, rated by the patient") % {"scale": name}
        return name

    @property
    def change(self) -> Decimal | None:
        """Latest minus first, when there are two readings."""
        if len(self.readings) < 2:
            return None
        return self.readings[-1].value - self.readings[0].value

    def svg(self, *, rtl: bool, ident: str) -> str:
        points = [chart.Point(r.label, r.value) for r in self.readings]
        return chart.svg(
            points,
            title=_("%(scale)s over the course") % {"scale": self.name},
            scale_max=SCALE_MAX.get(self.scale),
            rtl=rtl,
            ident=ident,
        )


def _label(number: int | None) -> str:
    return (
        pgettext("course progress", "Baseline")
        if number is None
        else _("Session %(number)s") % {"number": number}
    )


def series_of(course, scores: list[OutcomeScore]) -> list[Series]:
    """The course's scores as one series per scale and rater: the baseline first (a baseline
    OutcomeScore, else the consultation's own baseline on that scale), then each session in
    order. Scales in the order they were first scored; the consultation's scale first."""
    found: dict[tuple[str, str], Series] = {}
    consultation = course.consultation
    if consultation.baseline_scale and consultation.baseline_value is not None:
        key = (consultation.baseline_scale, OutcomeScore.Rater.CLINICIAN.value)
        found[key] = Series(*key)
        found[key].readings.append(
            Reading(
                _label(None),
                consultation.baseline_value,
                None,
                timezone.localdate(consultation.recorded_at),
                "consultation",
            )
        )
    for score in scores:
        key = (score.scale, score.rater)
        series = found.setdefault(key, Series(*key))
        number = score.session.number if score.session_id else None
        reading = Reading(
            _label(number), score.value, number, timezone.localdate(score.scored_at), "score"
        )
        if number is None:
            # A baseline score replaces the consultation's, and stands first.
            series.readings = [r for r in series.readings if r.number is not None]
            series.readings.insert(0, reading)
        else:
            series.readings.append(reading)
    for series in found.values():
        series.readings.sort(key=lambda r: -1 if r.number is None else r.number)
    return list(found.values())


def _scores_at(series: list[Series], number: int | None) -> list[tuple[str, Reading]]:
    return [(s.name, r) for s in series for r in s.readings if r.number == number]


def comparison(course, photos: list[CoursePhoto], series: list[Series]) -> list[dict]:
    """One dict per view of the indication (view, label, baseline, latest, baseline_scores,
    latest_scores): the baseline photo (the last one taken before any
    session) beside the latest photo taken at a session, and the scores at each moment."""
    pairs = []
    for view in vocabulary.VIEWS_FOR_INDICATION.get(course.indication, ()):
        of_view = [p for p in photos if p.view == view]
        baselines = [p for p in of_view if p.session_id is None]
        later = [p for p in of_view if p.session_id is not None]
        baseline = baselines[-1] if baselines else None
        latest = max(later, key=lambda p: (p.session.number, p.taken_at), default=None)
        pairs.append(
            {
                "view": view,
                "label": labels.VIEWS.get(view, view),
                "baseline": baseline,
                "latest": latest,
                "baseline_scores": _scores_at(series, None),
                "latest_scores": _scores_at(series, latest.session.number) if latest else [],
            }
        )
    return pairs


def schedule_of(course) -> list[dict]:
    """The course's sessions, done and to come: each target date with its charted session."""
    done = {s.number: s for s in course.sessions.all()}
    return [
        {"number": n, "target": date.fromisoformat(day), "session": done.get(n)}
        for n, day in enumerate(course.session_dates, start=1)
    ]


def course_for_progress(user, pk, *, via: str, audit: bool = True, part: str = "") -> Course:
    """The course with what the progress page and the summary read of it, in three queries:
    the course with its patient, clinic, protocol and consultation (the baseline); its
    sessions in order; their products with lot and product. 404 (audited) for others."""
    queryset = Course.objects.select_related(
        "patient__registered_clinic", "clinic", "consultation", "protocol_version__protocol"
    ).prefetch_related(
        Prefetch(
            "sessions",
            TreatmentSession.objects.order_by("number").prefetch_related(
                Prefetch("products", SessionProduct.objects.select_related("lot__product"))
            ),
        )
    )
    try:
        course = queryset.for_user(user).get(pk=int(pk))
    except (Course.DoesNotExist, ValueError, TypeError):
        raise scoping.denied(user, Course, pk, via=via) from None
    if audit:
        record_event(
            actor=user,
            action=Action.VIEW,
            via=via,
            instance=course,
            detail={"part": part} if part else None,
        )
    return course


def caption(photo) -> str:
    """What a photo shows and when: "Face, front · Session 4"."""
    moment = _label(photo.session.number if photo.session_id else None)
    return f"{labels.VIEWS.get(photo.view, photo.view)} · {moment}"
