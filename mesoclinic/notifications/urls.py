"""Provider callbacks (delivery statuses, inbound messages): no login, verified by signature."""

from django.urls import path

from mesoclinic.notifications import views

app_name = "notifications_hooks"

urlpatterns = [
    path("whatsapp/", views.whatsapp, name="whatsapp"),
    path("sms/", views.sms, name="sms"),
]
