"""The clinic's worklist (a selector): patch tests to read, consents to take, sessions due.

Read for the dashboard in a fixed number of queries whatever the number of clinics or
records: the clinics' screening validity, the unread patch tests, the screenings waiting for
a consent, the active courses; each scoped by the one rule (`for_user`) and grouped by the
clinic that holds the record. `care.due` decides which list each record is on.

Receptionists book and take consent but do not read clinical records: their worklist has the
consents and the sessions to book, with the patient's name only (no indication, protocol or
patch test), and costs one query fewer.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from mesoclinic.care import access, due, rules
from mesoclinic.care.models import (
    CareSettings,
    Consent,
    Consultation,
    Course,
    PatchTest,
    TreatmentSession,
)
from mesoclinic.care.vocabulary import PROCEDURE_FOR_INDICATION

#: A test whose window closes within this time is "closing soon": read it today.
CLOSING_SOON = timedelta(hours=12)
#: A missed test stays on the list this long after its window closed, to call the patient back.
MISSED_FOR = timedelta(days=7)
#: "This week": today and the six days after it.
WEEK_DAYS = 7
#: The longest read window a clinic can set (CareSettings.patch_read_closes_hours).
LONGEST_WINDOW = timedelta(hours=24 * 14)


@dataclass
class Entry:
    """One line of a worklist: the patient, the record it is about and its time or date."""

    patient: object
    record: object
    at: object
    ends_at: object = None


@dataclass
class Worklist:
    clinical: bool
    closing_soon: list = field(default_factory=list)
    open: list = field(default_factory=list)
    missed: list = field(default_factory=list)
    consents: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    this_week: list = field(default_factory=list)

    @property
    def patch_tests(self) -> int:
        return len(self.closing_soon) + len(self.open) + len(self.missed)

    @property
    def total(self) -> int:
        return self.patch_tests + len(self.consents) + len(self.overdue) + len(self.this_week)


def _screening_days(clinic_ids) -> dict[int, int]:
    default = CareSettings._meta.get_field("screening_valid_days").default
    days = dict.fromkeys(clinic_ids, default)
    days.update(
        CareSettings.objects.filter(clinic_id__in=clinic_ids).values_list(
            "clinic_id", "screening_valid_days"
        )
    )
    return days


def _patch_tests(user, clinic_ids, lists, now) -> None:
    # Unread tests whose window may be open now or closed within MISSED_FOR; older ones can
    # only have dropped off the list. Index: patchtest_pending_idx (clinic, applied_at) where
    # the result is pending.
    pending = (
        PatchTest.objects.for_user(user)
        .filter(
            clinic_id__in=clinic_ids,
            result=PatchTest.Result.PENDING,
            applied_at__gte=now - LONGEST_WINDOW - MISSED_FOR,
        )
        .select_related("patient")
        .order_by("applied_at", "pk")
    )
    for test in pending:
        window = due.patch_window(
            test.applied_at,
            opens_hours=test.window_opens_hours,
            closes_hours=test.window_closes_hours,
        )
        where = due.patch_due(window, now=now, closing_soon=CLOSING_SOON, missed_for=MISSED_FOR)
        if where is not None:
            entry = Entry(test.patient, test, window.opens_at, window.closes_at)
            getattr(lists[test.clinic_id], where.value).append(entry)


def _consents(user, clinic_ids, lists, now) -> None:
    """Patients whose latest screening lets treatment go ahead (eligible, or a relative
    reason justified by a dermatologist) and is still current, with no valid consent for its
    procedure. A screening whose course has ended is done with, not waiting."""
    procedure = Case(
        *[When(indication=code, then=Value(p)) for code, p in PROCEDURE_FOR_INDICATION.items()],
        output_field=CharField(),
    )
    days = _screening_days(clinic_ids)
    # Screenings still current at the clinic that keeps them longest. Index:
    # consultation_clinic_time_idx (clinic, recorded_at); the newer-screening and consent
    # lookups use consultation_patient_idx and consent_patient_idx.
    waiting = (
        Consultation.objects.for_user(user)
        .filter(clinic_id__in=clinic_ids, recorded_at__gte=now - timedelta(days=max(days.values())))
        .filter(
            Q(decision=rules.Decision.ELIGIBLE.value)
            | Q(decision=rules.Decision.NEEDS_REVIEW.value, reviewed_at__isnull=False)
        )
        .annotate(procedure=procedure)
        .exclude(
            Exists(Consultation.objects.filter(patient=OuterRef("patient"), pk__gt=OuterRef("pk")))
        )
        .exclude(
            Exists(
                Consent.objects.filter(
                    patient=OuterRef("patient"),
                    invalidated_at__isnull=True,
                    text__procedure=OuterRef("procedure"),
                )
            )
        )
        .exclude(
            Exists(
                Course.objects.filter(
                    consultation=OuterRef("pk"),
                    status__in=[Course.Status.COMPLETED, Course.Status.CANCELLED],
                )
            )
        )
        .select_related("patient")
        .order_by("recorded_at", "pk")
    )
    for consultation in waiting:
        if consultation.recorded_at >= now - timedelta(days=days[consultation.clinic_id]):
            entry = Entry(consultation.patient, consultation, consultation.recorded_at)
            lists[consultation.clinic_id].consents.append(entry)


def _sessions(user, clinic_ids, lists, today, *, clinical: bool) -> None:
    charted = (
        TreatmentSession.objects.filter(course=OuterRef("pk"))
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # Index: course_active_idx (clinic, start_date) where the course is active; the charted
    # count uses session_number_unique (course, number).
    courses = (
        Course.objects.for_user(user)
        .filter(
            clinic_id__in=clinic_ids,
            status=Course.Status.ACTIVE,
            start_date__lt=today + timedelta(days=WEEK_DAYS),
        )
        .annotate(charted=Coalesce(Subquery(charted), 0))
        .select_related("patient")
        .order_by("start_date", "pk")
    )
    if clinical:
        courses = courses.select_related("protocol_version__protocol")
    for course in courses:
        target = due.next_target(course.session_dates, course.charted)
        where = due.session_due(target, today=today, week_days=WEEK_DAYS)
        if where is not None:
            entry = Entry(course.patient, course, target)
            getattr(lists[course.clinic_id], where.value).append(entry)
    for worklist in lists.values():
        worklist.overdue.sort(key=lambda entry: entry.at)
        worklist.this_week.sort(key=lambda entry: entry.at)


def worklists(user, clinic_ids, *, now=None) -> dict[int, Worklist]:
    """Each clinic's worklist, for the clinics `clinic_ids` the user's dashboard shows.

    Queries: the clinics' settings, the patch tests (clinical staff only), the screenings
    waiting for consent, the active courses; never more, however many clinics or records."""
    now = now or timezone.now()
    clinic_ids = list(clinic_ids)
    clinical = access.can_read_clinical(user)
    lists = defaultdict(lambda: Worklist(clinical=clinical))
    for clinic_id in clinic_ids:
        lists[clinic_id] = Worklist(clinical=clinical)
    if not clinic_ids:
        return dict(lists)
    if clinical:
        _patch_tests(user, clinic_ids, lists, now)
    _consents(user, clinic_ids, lists, now)
    _sessions(user, clinic_ids, lists, timezone.localdate(now), clinical=clinical)
    return dict(lists)
