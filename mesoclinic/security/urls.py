"""The second-factor pages (/security/) and the passkey ceremonies (/security/webauthn/, under
django-otp-webauthn's own namespace, which its template tags reverse)."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn

from mesoclinic.security import views

app_name = "security"

urlpatterns = [
    path("", views.MySecurityView.as_view(), name="mine"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("enrol/", views.EnrolAppView.as_view(), name="enrol"),
    path("enrol/passkey/", views.EnrolPasskeyView.as_view(), name="enrol_passkey"),
    path("passkey-added/", views.PasskeyDoneView.as_view(), name="passkey_done"),
    path("recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path(
        "factors/<str:kind>/<int:pk>/remove/",
        views.RemoveFactorView.as_view(),
        name="remove_factor",
    ),
]

#: Included at /security/webauthn/ with the namespace "otp_webauthn".
webauthn_patterns = [
    path(
        "registration/begin/",
        webauthn.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        views.AuditedPasskeyRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        webauthn.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        views.AuditedPasskeyAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
