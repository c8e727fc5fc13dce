"""The maintenance recall: on the day a course's maintenance session is due, the patient gets
one message asking them to book it (issue 17; the guide promises a recall 3 to 6 months on).

The scheduler calls `enqueue_due_maintenance_recalls` once a day. It looks back a fortnight,
so a day the scheduler missed (a server down over a holiday) is caught up the next day it
runs; the outbox key (`course-<id>-maintenance-recall`) keeps it to one message per course,
however often the scan runs and however the due date moves later.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from mesoclinic.audit.services import Interface
from mesoclinic.care.models import Course
from mesoclinic.care.services.messages import address_for
from mesoclinic.notifications import contacts
from mesoclinic.notifications import services as notifications
from mesoclinic.patients.models import in_care

#: Days back the scan still sends a recall whose date it missed.
LOOKBACK_DAYS = 14
#: Recalls go out at 10:00 in Pakistan on the due date (a catch-up goes at once).
SEND_AT = time(10, 0)
KARACHI = ZoneInfo("Asia/Karachi")
BATCH = 500


def enqueue_due_maintenance_recalls(*, today: date, batch: int = BATCH) -> int:
    """Queue the recall of every course whose maintenance is due today or in the last
    LOOKBACK_DAYS and that is completed; returns how many were queued now. Batches of
    `batch` courses, in (maintenance_due, id) order from course_maintenance_idx, each in its own
    transaction and costing the same few queries: the courses with patient and clinic, the
    patients' channels, the keys already queued, one INSERT of the messages, the new rows read
    back, one INSERT of their audit rows."""
    queued = 0
    after: tuple[date, int] | None = None
    while True:
        # course_maintenance_idx: maintenance_due in range, (due, id) order; completed ones.
        courses = (
            Course.objects.filter(
                maintenance_due__gte=today - timedelta(days=LOOKBACK_DAYS),
                maintenance_due__lte=today,
            )
            # Only a finished course is due its maintenance: a paused one was stopped for a
            # reason (a reaction, a pregnancy) and a running one is not over; when it does
            # finish, its maintenance date is moved on from the real last session.
            .filter(status=Course.Status.COMPLETED)
            # An archived patient is out of the day's work and hears nothing more.
            .filter(in_care("patient__"))
            .select_related("patient", "clinic")
            .order_by("maintenance_due", "id")
        )
        if after is not None:
            due, pk = after
            courses = courses.filter(Q(maintenance_due__gt=due) | Q(maintenance_due=due, id__gt=pk))
        rows = list(courses[:batch])
        if not rows:
            return queued
        channels = contacts.preferred_channels(patient_ids={c.patient_id for c in rows})
        # One transaction per batch, enqueue_many's own.
        queued += len(
            notifications.enqueue_many(
                messages=[
                    recall
                    for course in rows
                    if (recall := _recall(course, channels[course.patient_id]))
                ],
                via=Interface.CLI,
            )
        )
        after = (rows[-1].maintenance_due, rows[-1].pk)
        if len(rows) < batch:
            return queued


def _recall(course: Course, channel: str) -> dict | None:
    """The recall's fields for `enqueue`, or None when the patient has no channel to take it."""
    patient, clinic = course.patient, course.clinic
    if not channel:
        return None
    return {
        "key": f"course-{course.pk}-maintenance-recall",
        "channel": channel,
        "address": address_for(patient, channel),
        "language": patient.preferred_language,
        "template": "maintenance-recall",
        "values": {"clinic": clinic.name, "phone": clinic.phone_display},
        "due_at": datetime.combine(course.maintenance_due, SEND_AT, tzinfo=KARACHI),
        "clinic_id": clinic.pk,
        "patient_id": patient.pk,
        "subject": f"care.course:{course.pk}",
    }
