"""What the auth cache must forget when a user or a role changes (see `auth_cache`): the
user's row, their groups (from either side of the relation), a group renamed or deleted."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from mesoclinic.accounts import auth_cache


def connect() -> None:
    user_model = get_user_model()
    for signal in (post_save, post_delete):
        signal.connect(user_changed, sender=user_model, dispatch_uid=f"auth-cache-user-{signal}")
    m2m_changed.connect(
        groups_changed, sender=user_model.groups.through, dispatch_uid="auth-cache-groups"
    )
    pre_save.connect(group_renaming, sender=Group, dispatch_uid="auth-cache-group-renamed")
    pre_delete.connect(group_changed, sender=Group, dispatch_uid="auth-cache-group-deleted")


def user_changed(sender, instance, **kwargs):
    auth_cache.forget_user(instance.pk)


def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith(("post_", "pre_clear")):
        return
    if not reverse:  # user.groups.add(…): one user
        auth_cache.forget_user(instance.pk)
    elif action == "pre_clear":  # group.user_set.clear(): every member, read before they go
        for user_id in instance.user_set.values_list("pk", flat=True):
            auth_cache.forget_user(user_id)
    else:  # group.user_set.add(…) / remove(…): the users named
        for user_id in pk_set or ():
            auth_cache.forget_user(user_id)


def group_renaming(sender, instance, **kwargs):
    """A renamed group changes its members' roles (a save that keeps the name, such as a change
    of the group's permissions, changes no cached role)."""
    if instance.pk is None or not auth_cache.enabled():
        return
    before = sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
    if before != instance.name:
        group_changed(sender, instance)


def group_changed(sender, instance, **kwargs):
    """A renamed or deleted group changes the roles of each of its members."""
    if instance.pk is None or not auth_cache.enabled():
        return
    for user_id in instance.user_set.values_list("pk", flat=True):
        auth_cache.forget_user(user_id)
