"""Aftercare for `seed_scale`'s charted sessions, written in bulk beside the history.

For each session `scale_history` builds: its three scheduled check-ins, answered or not as
`scale.aftercare_for` says (with the side effects reported), the adverse event that followed
about one session in a hundred (opened from the 72-hour check-in, closed by the clinic's
dermatologist unless it is recent on the course's latest session, where it stays open and the
course is paused, as `care.services.adverse_events` would leave it), and an mMASI score at the
course's baseline and at every session (`scale.mmasi_grades`, scored by the pure calculator).

Whether a check-in escalated is decided by the real rules (`aftercare.escalation.decide` with
the shipped defaults), so the register, the queue and the gate read seeded rows the way they
read charted ones. No message is queued: a synthetic patient has no one to read it, and the
bench runs no worker. Rows are plain values with explicit ids, written by `write_values`
(PostgreSQL COPY) in the history's transaction.
"""

import json
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from mesoclinic.aftercare import escalation
from mesoclinic.aftercare.models import CheckIn, OutcomeScore, SideEffect
from mesoclinic.care.models import AdverseEvent, Course, TreatmentSession
from mesoclinic.care.scores import RegionGrades, mmasi
from mesoclinic.clinics.models import Practitioner
from mesoclinic.seed import scale

MODELS = (AdverseEvent, CheckIn, SideEffect, OutcomeScore)
RULES = escalation.Rules()
SITE = "cheeks"


def next_ids(models) -> dict:
    """The first free id of each model: rows are written with their ids, so they link."""
    return {model: (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1 for model in models}


class ChainAftercare:
    """Builds the aftercare rows of one batch of courses and sessions (`build`), to be written
    after them in the same transaction."""

    def __init__(self, *, seed: int, doctors: dict):
        self.seed = seed
        self.doctors = doctors  # clinic id -> its dermatologist (Practitioner)
        self.now = timezone.now()
        self.next_id = next_ids(MODELS)

    def _take(self, model) -> int:
        value = self.next_id[model]
        self.next_id[model] += 1
        return value

    def build(self, courses, sessions) -> dict:
        """{model: rows} for these courses (unsaved, possibly paused here) and their sessions."""
        built = {model: [] for model in MODELS}
        by_course = {}
        for session in sessions:
            by_course.setdefault(session.course_id, []).append(session)
        for course in courses:
            charted = by_course.get(course.id, [])
            doctor = self.doctors[course.clinic_id]
            self._score(built, course, None, course.entered_at, doctor)
            for session in charted:
                self._score(built, course, session, session.started_at, doctor)
                self._session(built, course, session, doctor, latest=session is charted[-1])
        return built

    def _score(self, built, course, session, at, doctor) -> None:
        grades = scale.mmasi_grades(self.seed, course.patient_id, session.number if session else 0)
        value = mmasi({region: RegionGrades(**g) for region, g in grades.items()})
        built[OutcomeScore].append(
            {
                "id": self._take(OutcomeScore),
                "patient_id": course.patient_id,
                "clinic_id": course.clinic_id,
                "course_id": course.id,
                "session_id": session.id if session else None,
                "scale": "mmasi",
                "rater": "clinician",
                "inputs": grades,
                "value": value,
                "band": "",
                "scored_at": at,
                "scored_by_id": doctor.user_id,
            }
        )

    def _session(self, built, course, session, doctor, *, latest: bool) -> None:
        plan = scale.aftercare_for(
            self.seed,
            course.patient_id,
            session.number,
            ended_at=session.ended_at,
            now=self.now,
            latest=latest,
        )
        for item in plan.check_ins:
            due = session.ended_at + timedelta(hours=item.hours)
            check_in = {
                "id": self._take(CheckIn),
                "session_id": session.id,
                "patient_id": course.patient_id,
                "clinic_id": course.clinic_id,
                "kind": "scheduled",
                "hours_after": item.hours,
                "due_at": due,
                "link_expires_at": due + timedelta(days=scale.LINK_VALID_DAYS),
                "created_at": session.entered_at,
            }
            built[CheckIn].append(check_in)
            if item.answered_after is None:
                continue
            answered = due + item.answered_after
            reviewed = answered + timedelta(days=1)
            reviewed = reviewed if reviewed <= self.now else None
            check_in.update(status="answered", answered_at=answered, channel="link")
            check_in.update(skin=item.skin, reviewed_at=reviewed)
            check_in["reviewed_by_id"] = doctor.user_id if reviewed else None
            if not item.effects:
                continue
            effects = [
                escalation.Effect(code=code, grade=grade, present=present)
                for code, grade, present in item.effects
            ]
            decision = escalation.decide(
                effects, session_ended_at=session.ended_at, reported_at=answered, rules=RULES
            )
            for code, grade, present in item.effects:
                built[SideEffect].append(
                    {
                        "id": self._take(SideEffect),
                        "check_in_id": check_in["id"],
                        "session_id": session.id,
                        "patient_id": course.patient_id,
                        "code": code,
                        "site": SITE,
                        "onset_on": timezone.localdate(session.ended_at),
                        "present": present,
                        "self_grade": grade,
                        # The dermatologist confirmed the patient's rating at the review.
                        "grade": grade if reviewed else None,
                        "graded_by_id": doctor.user_id if reviewed else None,
                        "graded_at": reviewed,
                        "resolved_at": None if present else answered,
                    }
                )
            if decision.escalate:
                event = self._event(built, course, session, doctor, plan.event, answered, decision)
                check_in.update(escalated=True, adverse_event_id=event["id"])

    def _event(self, built, course, session, doctor, status, opened, decision) -> dict:
        event = {
            "id": self._take(AdverseEvent),
            "patient_id": course.patient_id,
            "clinic_id": course.clinic_id,
            "session_id": session.id,
            "course_id": course.id,
            "source": "patient",
            "triggers": list(decision.trigger_codes),
            "effects": sorted({code for _trigger, code in decision.triggers}),
            "grade": decision.highest_grade,
            "checklist": [
                {"code": code, "done_at": None, "done_by": None} for code in decision.checklist
            ],
            "opened_at": opened,
            "updated_at": opened,
            # Opening pauses an active course (care.services.adverse_events); a completed one
            # stays completed.
            "course_paused": course.status in (Course.Status.ACTIVE, Course.Status.PAUSED),
        }
        if status == "open":
            if event["course_paused"]:
                course.status = Course.Status.PAUSED
                course.status_reason = f"Adverse event AE-{event['id']} open."
        else:
            done = datetime.combine(timezone.localdate(opened), time(17), opened.tzinfo)
            event.update(
                status="closed",
                outcome="resolved",
                outcome_note="Synthetic: settled with cold compresses; seen in clinic.",
                closed_at=opened + timedelta(days=scale.CLOSED_AFTER_DAYS),
                updated_at=opened + timedelta(days=scale.CLOSED_AFTER_DAYS),
                closed_by_id=doctor.user_id,
                dermatologist_id=doctor.pk,
                checklist=[
                    {**step, "done_at": done.isoformat(), "done_by": doctor.user_id}
                    for step in event["checklist"]
                ],
            )
        built[AdverseEvent].append(event)
        return event


def fill(*, clinic_ids, seed: int, chunk: int = 5_000, progress=None) -> int:
    """Aftercare for a chain seeded before it existed: every course at these clinics with no
    score yet, of a synthetic patient (no e-mail: not a bench writer's course, which the
    services charted), gets its rows as `seed_scale` writes them now. Returns the rows written.
    An open event pauses its course here with an UPDATE (the course row exists already)."""
    # Each clinic's seeded dermatologist (scale_history made one per clinic with a history).
    names = {f"scale.doctor.{i + 1:03d}": clinic_id for i, clinic_id in enumerate(clinic_ids)}
    doctors = {
        names[p.user.username]: p
        for p in Practitioner.objects.filter(user__username__in=names).select_related("user")
    }
    clinic_ids = list(doctors)
    builder = ChainAftercare(seed=seed, doctors=doctors)
    waiting = Course.objects.filter(clinic_id__in=clinic_ids, patient__email="").exclude(
        Exists(OutcomeScore.objects.filter(course_id=OuterRef("pk")))
    )
    total, written, last = waiting.count(), 0, 0
    done = 0
    while True:
        courses = list(
            waiting.filter(id__gt=last)
            .order_by("id")
            .only("id", "patient_id", "clinic_id", "status", "status_reason", "entered_at")[:chunk]
        )
        if not courses:
            # The rows carry their own ids: move each table's sequence past them, or the
            # application's next insert would take an id already used.
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), list(MODELS)):
                    cursor.execute(statement)
            return written
        last = courses[-1].id
        sessions = list(
            TreatmentSession.objects.filter(course_id__in=[c.id for c in courses])
            .order_by("course_id", "number")
            .only("id", "course_id", "number", "started_at", "ended_at", "entered_at")
        )
        statuses = {c.id: c.status for c in courses}
        with transaction.atomic():
            built = builder.build(courses, sessions)
            for model in MODELS:
                write_values(model, built[model])
                written += len(built[model])
            paused = [c for c in courses if c.status != statuses[c.id]]
            now = timezone.now()
            for course in paused:
                course.updated_at = now  # bulk_update does not stamp auto_now fields
            Course.objects.bulk_update(paused, ["status", "status_reason", "updated_at"])
        done += len(courses)
        if progress is not None:
            progress(done, total)


def write_values(model, rows: list[dict]) -> None:
    """Insert rows given as {attname: value} (every other column takes the model's default):
    PostgreSQL COPY of plain values, elsewhere `bulk_create`. Plain values rather than model
    instances: building a model instance costs more than writing its row."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
        return
    fields = model._meta.concrete_fields
    defaults = {field.attname: field.get_default() for field in fields}
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    names = [field.attname for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = {**defaults, **row}
            for name in json_fields:
                values[name] = json.dumps(values[name])
            copy.write_row([values[name] for name in names])


def value_of(grades) -> Decimal:
    """The mMASI of stored inputs (for tests and checks)."""
    return mmasi({region: RegionGrades(**g) for region, g in grades.items()})
