"""The patients app's own pages. The patient page (`detail`) and the enquiries inbox
(`enquiries`) are desk pages; `desk.urls.patients` adds them to this namespace."""

from django.urls import path

from mesoclinic.patients import contact_views, views

app_name = "patients"

urlpatterns = [
    path("", views.PatientListView.as_view(), name="list"),
    path("new/", views.PatientCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.PatientUpdateView.as_view(), name="edit"),
    path("<int:pk>/archive/", views.PatientArchiveView.as_view(), name="archive"),
    path(
        "<int:pk>/contacts/",
        contact_views.ContactConsentView.as_view(),
        name="contact_consent",
    ),
    path("enquiries/<int:pk>/status/", views.EnquiryStatusView.as_view(), name="enquiry_status"),
]
