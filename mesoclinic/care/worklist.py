"""The clinic's worklist (a selector): patch tests to read, consents to take, sessions due.

Read for the dashboard in a fixed number of queries whatever the number of clinics or
records: the clinics' screening validity, the unread patch tests, the screenings waiting for
a consent, the active courses; each scoped by the one rule (`clinics.scoping`, through
`for_user` and `for_schedule`), without archived patients (`patients.models.in_care`, the
rule `Patient.objects.for_user` applies), and grouped by the clinic that holds the record.
`care.due` decides which list each record is on.

Receptionists book and take consent but do not read clinical records: the rule gives them the
schedule (the consents and the sessions to book, shown with the patient's name only: no
indication, protocol or patch test) and no patch test, and their worklist costs one query fewer.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from mesoclinic.care import due
from mesoclinic.care.models import (
    Consent,
    Course,
    PatchTest,
    TreatmentSession,
)
from mesoclinic.clinics import scoping
from mesoclinic.patients.models import in_care

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


def _patch_tests(user, clinic_ids, lists, now) -> None:
    # Unread tests whose window may be open now or closed within MISSED_FOR; older ones can
    # only have dropped off the list. Index: patchtest_pending_idx (clinic, applied_at) where
    # the result is pending.
    pending = (
        PatchTest.objects.for_user(user)
        .filter(
            in_care("patient__"),
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
    """Courses under way (active or paused) with no standing consent on their plan: the
    consent names the plan, so it is taken once the course is planned, and again when a
    change of products, sessions or interval ended it. Index: course_patient_idx for the
    courses; the consent lookup uses the consent's course key."""
    waiting = (
        Course.objects.for_schedule(user)
        .filter(
            in_care("patient__"),
            clinic_id__in=clinic_ids,
            status__in=[Course.Status.ACTIVE, Course.Status.PAUSED],
        )
        .exclude(Exists(Consent.objects.filter(course=OuterRef("pk"), invalidated_at__isnull=True)))
        .select_related("patient")
        .order_by("entered_at", "pk")
    )
    for course in waiting:
        lists[course.clinic_id].consents.append(Entry(course.patient, course, course.entered_at))


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
        Course.objects.for_schedule(user)
        .filter(
            in_care("patient__"),
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

    Queries: the patch tests (clinical staff only), the courses waiting for consent, the
    active courses; never more, however many clinics or records."""
    now = now or timezone.now()
    clinic_ids = list(clinic_ids)
    clinical = scoping.reaches(user, scoping.Kind.CLINICAL)
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
