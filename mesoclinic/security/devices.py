"""The second factor a session proved, read through the shared auth cache (`accounts.auth_cache`)
rather than one query on every signed-in request; forgotten whenever the device is saved
(each verification) or removed, so a removed authenticator or passkey stops counting on the
very next request."""

from django.db.models.signals import post_delete, post_save
from django_otp import device_classes
from django_otp.middleware import OTPMiddleware

from mesoclinic.accounts import auth_cache


def device_key(persistent_id: str) -> str:
    return f"auth:device:{persistent_id}"


class CachedOTPMiddleware(OTPMiddleware):
    """django-otp's middleware (`request.user.otp_device`, `is_verified()`), its device lookup
    cached; the binding to the user and the confirmation are still checked on every request."""

    def _device_from_persistent_id(self, persistent_id: str):
        persistent_id = self._normalize_persistent_id(persistent_id)
        load = super()._device_from_persistent_id
        return auth_cache.remembered_key(device_key(persistent_id), lambda: load(persistent_id))


def connect() -> None:
    for model in device_classes():
        for signal in (post_save, post_delete):
            signal.connect(
                device_changed,
                sender=model,
                dispatch_uid=f"auth-cache-device-{model._meta.label_lower}-{signal}",
            )


def device_changed(sender, instance, **kwargs):
    if instance.pk is not None:
        auth_cache.forget_key(device_key(instance.persistent_id))
