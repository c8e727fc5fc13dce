"""Watching (watch.py): a spike of refusals, lockouts or failed sign-ins in the last window
e-mails the active administrators once per window, with counts only."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import record_event
from mesoclinic.notifications import services as notifications
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.scheduler import configured_jobs, tick
from mesoclinic.security.watch import alert_on_spikes

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action


@pytest.fixture
def admins(make_user, administrator):
    administrator.email = "admin@clinic.example.pk"
    administrator.save(update_fields=["email"])
    root = make_user("root", is_superuser=True, email="root@clinic.example.pk")
    make_user("retired", "administrator", is_active=False, email="old@clinic.example.pk")
    make_user("no_mail", "administrator")
    make_user("desk", "receptionist", email="desk@clinic.example.pk")
    return [administrator, root]


def _rows(action, n, patient=None):
    for _ in range(n):
        record_event(
            actor=None,
            action=action,
            via="web",
            object_type="patients.patient",
            object_id=patient.pk if patient else None,
        )


def _alerts():
    return Message.objects.filter(template="security-alert")


def test_it_alerts_every_active_administrator_at_the_threshold(admins, settings, patient_b):
    _rows(Action.DENIED, settings.SECURITY_WATCH_DENIED, patient_b)

    result = alert_on_spikes(now=timezone.now())

    assert result["denied"] == 20 and result["alerted"] == 2
    assert sorted(_alerts().values_list("address", flat=True)) == [
        "admin@clinic.example.pk",
        "root@clinic.example.pk",
    ]


def test_it_stays_quiet_below_every_threshold(admins, settings):
    _rows(Action.DENIED, settings.SECURITY_WATCH_DENIED - 1)
    _rows(Action.LOCKED_OUT, settings.SECURITY_WATCH_LOCKOUTS - 1)
    _rows(Action.SIGN_IN_FAILED, settings.SECURITY_WATCH_FAILURES - 1)

    result = alert_on_spikes(now=timezone.now())

    assert result == {"denied": 19, "lockouts": 2, "failures": 29, "alerted": 0}
    assert not _alerts().exists()


@pytest.mark.parametrize(
    ("action", "setting"),
    [
        (Action.LOCKED_OUT, "SECURITY_WATCH_LOCKOUTS"),
        (Action.SIGN_IN_FAILED, "SECURITY_WATCH_FAILURES"),
    ],
)
def test_lockouts_and_failed_sign_ins_alert_too(admins, settings, action, setting):
    _rows(action, getattr(settings, setting))
    assert alert_on_spikes(now=timezone.now())["alerted"] == 2


def test_it_alerts_once_per_window(admins, settings):
    _rows(Action.LOCKED_OUT, 3)
    now = timezone.now()
    window = timedelta(minutes=settings.SECURITY_WATCH_WINDOW_MINUTES)

    first = alert_on_spikes(now=now)
    _rows(Action.LOCKED_OUT, 3)  # still going on, in the same window
    again = alert_on_spikes(now=now)
    next_window = alert_on_spikes(now=now + window)  # the last three are in this one

    assert (first["alerted"], again["alerted"], next_window["alerted"]) == (2, 0, 2)
    assert _alerts().count() == 4


def test_rows_older_than_the_window_do_not_count(admins, settings):
    _rows(Action.LOCKED_OUT, 3)
    later = timezone.now() + timedelta(minutes=settings.SECURITY_WATCH_WINDOW_MINUTES, seconds=1)

    assert alert_on_spikes(now=later)["lockouts"] == 0
    assert not _alerts().exists()


def test_the_mail_holds_counts_and_a_link_and_nothing_personal(admins, settings, patient_b):
    settings.PUBLIC_BASE_URL = "https://clinic.example.pk"
    _rows(Action.DENIED, 20, patient_b)
    _rows(Action.LOCKED_OUT, 3)
    alert_on_spikes(now=timezone.now())

    notifications.drain()

    assert len(mail.outbox) == 2
    sent = mail.outbox[0]
    assert sent.subject == "Security alert: unusual sign-in or access activity"
    assert "20 refused accesses, 3 lockouts, 0 failed sign-ins" in sent.body
    assert "https://clinic.example.pk/audit/" in sent.body
    for personal in (patient_b.first_name, patient_b.last_name, patient_b.cnic, "reception"):
        assert personal not in sent.body


def test_the_scheduler_runs_the_watch(admins, settings):
    assert "security-watch" in [job.name for job in configured_jobs()]
    _rows(Action.LOCKED_OUT, 3)

    result = tick(jobs=[job for job in configured_jobs() if job.name == "security-watch"])

    assert result.ran == ["security-watch"] and _alerts().count() == 2
