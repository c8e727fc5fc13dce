"""Aftercare's pages for patients, reached from a message: no login, signed links, under /en/
and /ur/ (the root URLconf includes them in its i18n patterns)."""

from django.urls import path

from mesoclinic.aftercare.views import public

app_name = "aftercare_public"

urlpatterns = [
    path("check-in/<str:token>/", public.CheckInView.as_view(), name="check_in"),
    path("check-in/<str:token>/report/", public.ReportView.as_view(), name="report"),
]
