"""The delivery logs read through their indexes once the outbox is large (PostgreSQL's planner;
SQLite has none worth asserting on): a clinic's newest messages, a clinic's failed ones, a
patient's."""

import pytest
from django.db import connection
from django.utils import timezone

from mesoclinic.notifications.models import Message
from mesoclinic.patients import selectors

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner"),
]

MESSAGES = 40_000
CLINICS = 20


def test_the_delivery_logs_use_their_indexes(administrator, manager, clinic_a):
    now = timezone.now()
    statuses = ["sent"] * 95 + ["failed"] * 2 + ["queued"] * 3
    Message.objects.bulk_create(
        Message(
            idempotency_key=f"bench-{n}",
            channel="sms",
            address="+923001234567",
            template="aftercare",
            due_at=now,
            next_attempt_at=now,
            status=statuses[n % len(statuses)],
            clinic_id=clinic_a.pk if n % CLINICS == 0 else 10_000 + n % CLINICS,
            patient_id=n // 3,
        )
        for n in range(MESSAGES)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notifications_message")

    queries = {
        "a clinic's log": (
            selectors.messages_for_user(manager).filter(clinic_id=clinic_a.pk).order_by("-id")[:26],
            # A clinic that sends one message in twenty: walking the newest ids back serves as
            # well as its own index.
            ("message_clinic_idx", "message_clinic_status_idx", "notifications_message_pkey"),
        ),
        "a clinic's failed messages": (
            selectors.messages_for_user(manager)
            .filter(clinic_id=clinic_a.pk, status="failed")
            .order_by("-id")[:26],
            ("message_clinic_status_idx",),
        ),
        "a patient's messages": (
            selectors.messages_for_user(administrator).filter(patient_id=77).order_by("-id")[:26],
            ("message_patient_idx",),
        ),
    }
    problems = []
    for name, (queryset, indexes) in queries.items():
        plan = queryset.explain()
        if "Seq Scan on notifications_message" in plan:
            problems.append(f"{name}: a sequential scan\n{plan}")
        elif not any(index in plan for index in indexes):
            problems.append(f"{name}: none of {indexes} used\n{plan}")
    assert not problems, "\n\n".join(problems)
