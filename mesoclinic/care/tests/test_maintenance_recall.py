"""The maintenance recall: the daily scan queues one message per course on its maintenance
date (10:00 in Pakistan), catches up a date it missed within a fortnight, recalls only
finished courses (never a paused, running or cancelled one), and costs the same queries for two
courses as for six."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from mesoclinic.care.models import Course
from mesoclinic.care.services.recall import LOOKBACK_DAYS, enqueue_due_maintenance_recalls
from mesoclinic.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(make_patient, clinic_a, consult, plan, dermatologist):
    """planned(n): n finished courses at clinic A, all due for maintenance on the same day.
    Their status is written directly: charting every session of each is the session tests'
    business, and the scan reads only the status and the date."""

    def make(n, **patient):
        courses = []
        for _ in range(n):
            person = make_patient(clinic_a, **patient)
            consult(dermatologist.user, person)
            courses.append(plan(dermatologist.user, person))
        Course.objects.filter(pk__in=[c.pk for c in courses]).update(status=Course.Status.COMPLETED)
        for course in courses:
            course.refresh_from_db()
        return courses

    return make


def test_it_queues_the_recall_on_the_maintenance_date_at_ten(planned, clinic_a):
    [course] = planned(1, preferred_language="ur")

    assert enqueue_due_maintenance_recalls(today=course.maintenance_due) == 1

    recall = Message.objects.get()
    assert recall.idempotency_key == f"course-{course.pk}-maintenance-recall"
    assert recall.subject == f"care.course:{course.pk}"
    assert (recall.template, recall.channel, recall.language) == ("maintenance-recall", "sms", "ur")
    assert recall.address == course.patient.mobile
    assert (recall.clinic_id, recall.patient_id) == (clinic_a.pk, course.patient_id)
    assert recall.values == {"clinic": "Clinic A Islamabad", "phone": "(051) 2650100"}
    karachi = ZoneInfo("Asia/Karachi")
    assert recall.due_at == datetime.combine(
        course.maintenance_due, datetime.min.time().replace(hour=10), tzinfo=karachi
    )


def test_it_queues_each_recall_once_however_often_it_runs(planned):
    courses = planned(2)
    due = courses[0].maintenance_due

    assert enqueue_due_maintenance_recalls(today=due) == 2
    assert enqueue_due_maintenance_recalls(today=due) == 0
    assert enqueue_due_maintenance_recalls(today=due + timedelta(days=3)) == 0
    assert Message.objects.count() == 2


def test_it_catches_up_a_recall_the_scheduler_missed(planned):
    [course] = planned(1)
    assert enqueue_due_maintenance_recalls(today=course.maintenance_due - timedelta(days=1)) == 0
    late = course.maintenance_due + timedelta(days=LOOKBACK_DAYS)
    assert enqueue_due_maintenance_recalls(today=late) == 1


def test_it_leaves_a_recall_older_than_the_lookback_alone(planned):
    [course] = planned(1)
    too_late = course.maintenance_due + timedelta(days=LOOKBACK_DAYS + 1)
    assert enqueue_due_maintenance_recalls(today=too_late) == 0
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "status", [Course.Status.ACTIVE, Course.Status.PAUSED, Course.Status.CANCELLED]
)
def test_it_recalls_only_a_finished_course(planned, status):
    # A paused course was stopped for a reason (a reaction, a pregnancy): "time for your
    # maintenance session" would be wrong; a running one is not over (its date moves on when
    # it finishes); a cancelled one is over without a maintenance.
    kept, other = planned(2)
    Course.objects.filter(pk=other.pk).update(status=status)

    assert enqueue_due_maintenance_recalls(today=kept.maintenance_due) == 1
    assert Message.objects.get().patient_id == kept.patient_id


def test_it_works_through_many_courses_in_batches_of_constant_queries(
    planned, django_assert_num_queries
):
    few = planned(2)
    due = few[0].maintenance_due
    # per batch: the courses with patient and clinic, the patients' channels (WhatsApp or SMS),
    # the keys already queued, the savepoint, one INSERT, the new rows read back, the audit
    # INSERT, the release; 2 < 3: the last batch
    with django_assert_num_queries(8):
        assert enqueue_due_maintenance_recalls(today=due, batch=3) == 2
    Message.objects.all().delete()
    planned(4)
    # two full batches of 3 (8 queries each), then the courses' query that finds no more
    with django_assert_num_queries(17):
        assert enqueue_due_maintenance_recalls(today=due, batch=3) == 6
    assert Message.objects.count() == 6


def test_the_command_queues_the_days_recalls_and_refuses_a_bad_date(planned):
    [course] = planned(1)
    out = StringIO()
    call_command("queue_maintenance_recalls", today=course.maintenance_due.isoformat(), stdout=out)
    assert (
        f"queued 1 maintenance recall(s) for {course.maintenance_due.isoformat()}" in out.getvalue()
    )
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("queue_maintenance_recalls", today="31/12/2026")
