from django.urls import path

from mesoclinic.clinics import views

app_name = "clinics"

urlpatterns = [
    path("<slug:slug>/", views.ClinicDashboardView.as_view(), name="detail"),
]
