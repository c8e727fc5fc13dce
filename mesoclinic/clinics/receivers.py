"""Two kinds of receiver. The auth cache forgets a user's clinics when a membership of theirs
is made, changed or removed (`accounts.auth_cache`).

A practitioner's name and whether their account is active live on the user, yet FHIR shows
them in Practitioner and PractitionerRole: a change to them moves those records' `updated_at`,
so `meta.lastUpdated`, `_lastUpdated` searches and incremental (`_since`) exports see it."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from mesoclinic.accounts import auth_cache

#: The user's fields a Practitioner or PractitionerRole shows.
SHOWN = frozenset({"first_name", "last_name", "is_active"})


def connect() -> None:
    from mesoclinic.clinics.models import Membership

    post_save.connect(
        user_saved, sender=get_user_model(), dispatch_uid="mesoclinic.clinics.user_saved"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            membership_changed, sender=Membership, dispatch_uid=f"auth-cache-membership-{signal}"
        )
    pre_save.connect(membership_moving, sender=Membership, dispatch_uid="auth-cache-moved")


def membership_changed(sender, instance, **kwargs):
    auth_cache.forget_user(instance.user_id)


def membership_moving(sender, instance, **kwargs):
    """A membership given to another person (the clinic admin's inline allows it): the person
    who had it loses the clinic too."""
    if instance.pk is None or not auth_cache.enabled():
        return
    before = sender.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
    if before is not None and before != instance.user_id:
        auth_cache.forget_user(before)


def user_saved(sender, instance, created, update_fields=None, **kwargs):
    """Two UPDATEs on a whole-row save or one naming a shown field; none on a sign-in's
    `last_login` save (update_fields names only it)."""
    if created or (update_fields is not None and not SHOWN & set(update_fields)):
        return
    from mesoclinic.clinics.models import Membership, Practitioner

    now = timezone.now()
    Practitioner.objects.filter(user=instance).update(updated_at=now)
    Membership.objects.filter(user=instance).update(updated_at=now)
