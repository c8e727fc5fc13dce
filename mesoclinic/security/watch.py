"""Watching: a spike of refusals, lockouts or failed sign-ins alerts the administrators.

The scheduler runs `alert_on_spikes` every SECURITY_WATCH_EVERY_MINUTES (SCHEDULED_JOBS,
"security-watch"). It counts the audit rows of the last SECURITY_WATCH_WINDOW_MINUTES: `denied`
(someone reached for a record they may not see), `lockout` and `sign_fail`. When any count
reaches its threshold it queues one e-mail per active administrator with an address.

Through the notifications outbox rather than Django's `mail_admins`: the outbox retries a
failed send, keeps a row of what went and when (audited), and its idempotency key makes "once
per window" exact whichever scheduler runs the job, however often: the key names the window
(its number since the epoch) and the administrator. The recipients are the administrators as
the admin lists them today, not a list frozen in the environment. (Server errors, which may
mean the outbox itself is down, go by `mail_admins` instead: security/errors.py.)

The message holds counts and a link to the audit log, nothing about who or what.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.urls import reverse

from mesoclinic.accounts.roles import Role
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Action, Interface
from mesoclinic.core.links import absolute_url
from mesoclinic.notifications import services as notifications

logger = logging.getLogger("mesoclinic.security.watch")

TEMPLATE = "security-alert"
#: What is counted, under the names the message and the job's result use.
WATCHED = {
    "denied": Action.DENIED,
    "lockouts": Action.LOCKED_OUT,
    "failures": Action.SIGN_IN_FAILED,
}


def thresholds() -> dict[str, int]:
    return {
        "denied": settings.SECURITY_WATCH_DENIED,
        "lockouts": settings.SECURITY_WATCH_LOCKOUTS,
        "failures": settings.SECURITY_WATCH_FAILURES,
    }


def counts_since(since: datetime, until: datetime) -> dict[str, int]:
    """The watched audit rows in (since, until], by name (one query on the `at` index)."""
    found = dict(
        AuditEvent.objects.filter(at__gt=since, at__lte=until, action__in=WATCHED.values())
        .values_list("action")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {name: found.get(action, 0) for name, action in WATCHED.items()}


def administrators_to_tell() -> list:
    """Active administrators (the role, or superusers) with an e-mail address."""
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR))
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def alert_on_spikes(*, now: datetime) -> dict:
    """Count the last window; at or above a threshold, queue the alert (once per window and
    administrator). Returns the counts and how many alerts were queued now."""
    minutes = settings.SECURITY_WATCH_WINDOW_MINUTES
    window = timedelta(minutes=minutes)
    counts = counts_since(now - window, now)
    limits = thresholds()
    over = sorted(name for name, count in counts.items() if count >= limits[name])
    result = {**counts, "alerted": 0}
    if not over:
        return result
    slot = int(now.timestamp() // window.total_seconds())
    people = administrators_to_tell()
    if not people:
        logger.warning("security alert (%s): no active administrator has an e-mail", over)
        return result
    values = {**counts, "minutes": minutes, "url": absolute_url(reverse("audit:list"))}
    queued = notifications.enqueue_many(
        messages=[
            {
                "key": f"security-{slot}-{person.pk}",
                "channel": "email",
                "address": person.email,
                "language": "en",
                "template": TEMPLATE,
                "values": values,
                "urgent": True,
                "subject": "security.watch",
            }
            for person in people
        ],
        via=Interface.CLI,
    )
    result["alerted"] = len(queued)
    return result
