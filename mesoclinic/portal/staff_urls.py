"""The clinic's pages for the portal's patient requests (staff, not under a language)."""

from django.urls import path

from mesoclinic.portal.views import requests_staff

app_name = "portal_requests"

urlpatterns = [
    path("", requests_staff.RequestListView.as_view(), name="list"),
    path("<int:pk>/", requests_staff.RequestDetailView.as_view(), name="detail"),
]
