"""Django's model backend, reading the signed-in user (with their roles) through the shared
auth cache (`auth_cache`): the two queries every staff request spent on who is asking."""

from django.contrib.auth.backends import ModelBackend

from mesoclinic.accounts import auth_cache
from mesoclinic.accounts.roles import roles_of


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        return auth_cache.remembered(_as_id(user_id), "user", lambda: self._load(user_id))

    def _load(self, user_id):
        user = super().get_user(user_id)
        if user is not None:
            roles_of(user)  # read now, so the cached user carries them
        return user


def _as_id(user_id) -> int | None:
    try:
        return int(user_id)
    except (TypeError, ValueError):
        return None
