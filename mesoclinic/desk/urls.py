"""The desk's pages under the paths and URL names they always had.

Each namespace is a (patterns, app_name) pair the root URLconf includes. `patients` joins the
desk's two patient pages with the patients app's own (`patients.urls`), so every
`patients:...` name still resolves in one namespace: the patients app never imports the desk.
`formulary` does the same for the products page, which shows care's screening rules.
"""

from django.urls import path

from mesoclinic.desk import views
from mesoclinic.formulary import urls as formulary_urls
from mesoclinic.patients import urls as patient_urls

dashboard = views.DashboardView.as_view()

patients = (
    [
        path("<int:pk>/", views.PatientDetailView.as_view(), name="detail"),
        path("<int:pk>/messages/", views.PatientMessagesView.as_view(), name="messages"),
        path("enquiries/", views.EnquiryListView.as_view(), name="enquiries"),
        *patient_urls.urlpatterns,
    ],
    patient_urls.app_name,
)

formulary = (
    [
        path("products/", views.ProductsView.as_view(), name="products"),
        *formulary_urls.urlpatterns,
    ],
    formulary_urls.app_name,
)

clinics = (
    [
        path("<slug:slug>/", views.ClinicDashboardView.as_view(), name="detail"),
        path("<slug:slug>/messages/", views.ClinicMessagesView.as_view(), name="messages"),
        path(
            "<slug:slug>/messages/<int:pk>/resend/",
            views.MessageResendView.as_view(),
            name="message_resend",
        ),
    ],
    "clinics",
)

audit = ([path("", views.AuditLogView.as_view(), name="list")], "audit")
