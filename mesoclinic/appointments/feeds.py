"""Practitioners' calendar feeds: a secret address per practitioner that their phone's calendar
subscribes to, made, replaced and revoked here (audited), and read back by its token.

Who may manage a practitioner's address: the practitioner themself, a clinic manager of a
clinic the practitioner works at, an administrator. The token is 256 random bits shown once;
only its SHA-256 is stored (a token this long needs no slow hash: it cannot be guessed, only
stolen, and the hash is what a stolen database holds).

What a feed shows (`events`): the practitioner's appointments from a week ago to 90 days
ahead, cancelled ones left out, with no patient name and nothing clinical: the type, the
clinic and room, and "Patient #<appointment number>" to tell one from another.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mesoclinic.accounts.roles import Role, is_administrator, roles_of
from mesoclinic.appointments.ical import FeedEvent
from mesoclinic.appointments.models import Appointment, CalendarFeed, Status
from mesoclinic.audit.services import Action, record_event, save_audited
from mesoclinic.clinics.models import Membership, Practitioner

#: What a feed covers, around today.
PAST = timedelta(days=7)
AHEAD = timedelta(days=90)

#: How often a feed's last use is written (calendar apps poll every few minutes).
USE_RESOLUTION = timedelta(hours=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def may_manage(user, practitioner: Practitioner) -> bool:
    """Whether `user` may make, replace or revoke `practitioner`'s calendar address."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if practitioner.user_id == user.pk or is_administrator(user):
        return True
    if Role.CLINIC_MANAGER.value not in roles_of(user):
        return False
    shared = Membership.objects.filter(user_id=practitioner.user_id).values("clinic_id")
    return Membership.objects.filter(user_id=user.pk, clinic_id__in=shared).exists()


def manageable_practitioners(user):
    """The practitioners whose addresses `user` manages: their own; a manager's clinics'; an
    administrator's, everyone's."""
    people = Practitioner.objects.select_related("user").order_by("user__last_name", "id")
    if is_administrator(user):
        return people
    if Role.CLINIC_MANAGER.value not in roles_of(user):
        return people.filter(user_id=user.pk)
    clinics = Membership.objects.filter(user_id=user.pk).values("clinic_id")
    return people.filter(
        Q(user_id=user.pk) | Q(user__memberships__clinic_id__in=clinics)
    ).distinct()


def live_feed(practitioner_id: int) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(
        practitioner_id=practitioner_id, revoked_at__isnull=True
    ).first()


def _refuse_unless_allowed(user, practitioner) -> None:
    if not may_manage(user, practitioner):
        raise PermissionDenied("You may not manage this practitioner's calendar address.")


def _revoke(feed: CalendarFeed, *, acting_user, via: str, reason: str) -> None:
    feed.revoked_at = timezone.now()
    save_audited(feed, actor=acting_user, via=via, fields=["revoked_at"], detail={"reason": reason})


def create_feed(*, acting_user, practitioner: Practitioner, via: str) -> tuple[CalendarFeed, str]:
    """A new secret address for `practitioner` (the live one, if any, stops working in the
    same transaction): the feed and its token, which is never shown again."""
    _refuse_unless_allowed(acting_user, practitioner)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        # Lock the practitioner's row: two clicks of "new address" queue, and the one-live
        # constraint never sees two.
        Practitioner.objects.select_for_update().filter(pk=practitioner.pk).first()
        current = live_feed(practitioner.pk)
        if current is not None:
            _revoke(current, acting_user=acting_user, via=via, reason="replaced")
        feed = CalendarFeed.objects.create(
            practitioner=practitioner,
            token_hash=hash_token(token),
            created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        record_event(
            actor=acting_user,
            action=Action.CREATE,
            via=via,
            instance=feed,
            detail={"practitioner": practitioner.pk, "replaced": getattr(current, "pk", None)},
        )
    return feed, token


def revoke_feed(*, acting_user, feed: CalendarFeed, via: str) -> CalendarFeed:
    """Stop an address at once (a lost phone, a practitioner who left)."""
    _refuse_unless_allowed(acting_user, feed.practitioner)
    with transaction.atomic():
        current = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
        if current.revoked_at is None:
            _revoke(current, acting_user=acting_user, via=via, reason="revoked")
    return current


def feed_url(token: str) -> str:
    """The absolute address a calendar subscribes to (PUBLIC_BASE_URL: a phone's calendar
    fetches it from outside)."""
    path = reverse("calendar_feeds:feed", kwargs={"token": token})
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live feed a token opens, or None (unknown or revoked: the same to the caller). Its
    last use is written at most once an hour."""
    feed = (
        CalendarFeed.objects.filter(
            token_hash=hash_token(token),
            revoked_at__isnull=True,
            practitioner__user__is_active=True,  # an account closed closes its feeds
        )
        .select_related("practitioner__user")
        .first()
    )
    if feed is None:
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > USE_RESOLUTION:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
        feed.last_used_at = now
    return feed


def events(feed: CalendarFeed, *, now=None) -> list[FeedEvent]:
    """The feed's appointments as calendar events (one query), nothing that names a patient."""
    now = now or timezone.now()
    rows = (
        Appointment.objects.filter(
            practitioner_id=feed.practitioner_id,
            starts_at__gte=now - PAST,
            starts_at__lt=now + AHEAD,
        )
        .exclude(status=Status.CANCELLED)
        .select_related("type", "clinic", "room")
        .order_by("starts_at", "id")
    )
    return [
        FeedEvent(
            uid=f"appointment-{row.pk}@mesoclinic",
            start=row.starts_at,
            end=row.ends_at,
            summary=f"{row.type.get_code_display()} · Patient #{row.pk}",
            location=", ".join(p for p in (row.clinic.name, getattr(row.room, "name", "")) if p),
            sequence=row.version,
            status="CONFIRMED",
        )
        for row in rows
    ]
