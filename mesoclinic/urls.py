from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from mesoclinic.clinics.views import health
from mesoclinic.desk import urls as desk
from mesoclinic.guide.sitemaps import SITEMAPS
from mesoclinic.security import urls as security

urlpatterns = [
    path("", desk.dashboard, name="dashboard"),
    path("health/", health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("patients/", include(desk.patients)),
    # Staff pages for a clinic; /<lang>/clinics/ is the public clinic finder.
    path("staff/clinics/", include(desk.clinics)),
    path("audit/", include(desk.audit)),
    path("formulary/", include(desk.formulary)),
    path("care/", include("mesoclinic.care.urls")),
    path("aftercare/", include("mesoclinic.aftercare.urls")),
    path("appointments/", include("mesoclinic.appointments.urls")),
    # The portal's patient requests, answered by the clinic's managers (issue 22).
    path("portal-requests/", include("mesoclinic.portal.staff_urls")),
    path("calendar-feeds/", include("mesoclinic.appointments.feed_urls")),
    path("api/v1/", include(("mesoclinic.api.urls", "api"))),
    path("fhir/R4/", include("mesoclinic.fhir.urls")),
    path("security/tokens/", include("mesoclinic.security.tokens_urls")),
    path("hooks/", include("mesoclinic.notifications.urls")),
    path("admin/", admin.site.urls),
    path("security/", include(security)),
    path("security/webauthn/", include((security.webauthn_patterns, "otp_webauthn"))),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

# The public pages live under /en/ and /ur/, so each language has its own stable address.
urlpatterns += i18n_patterns(
    path("messages/", include("mesoclinic.notifications.public_urls")),
    path("portal/", include("mesoclinic.portal.urls")),
    path("", include("mesoclinic.care.public_urls")),
    path("", include("mesoclinic.aftercare.public_urls")),
    path("", include("mesoclinic.guide.urls")),
)

handler404 = "mesoclinic.guide.views.page_not_found"
