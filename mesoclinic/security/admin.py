"""The administrator's audited second-factor reset, as an action on users in the admin.

django-otp's own device admins are taken out: they would let an administrator add a device
with a key they have seen, or delete one, unaudited. The reset below is the one way in the
admin, and a person's own devices are managed on their "My security" page."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from mesoclinic.audit.services import Interface
from mesoclinic.clinics.admin import ClinicUserAdmin
from mesoclinic.security.second_factor_services import reset_second_factors

User = get_user_model()

for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

admin.site.unregister(User)


@admin.register(User)
class SecondFactorUserAdmin(ClinicUserAdmin):
    """Users, as the clinics app shows them, plus the second-factor reset."""

    actions = [*(ClinicUserAdmin.actions or []), "reset_second_factors"]

    @admin.action(description="Reset second factors (they enrol again at next sign-in)")
    def reset_second_factors(self, request, queryset):
        people = devices = 0
        for user in queryset:
            devices += reset_second_factors(actor=request.user, user=user, via=Interface.ADMIN)
            people += 1
        whom = "1 person" if people == 1 else f"{people} people"
        self.message_user(
            request,
            f"Second factors reset for {whom} ({devices} devices removed); "
            "they enrol again at their next sign-in.",
            messages.SUCCESS,
        )
