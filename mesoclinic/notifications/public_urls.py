"""A patient's pages reached from a message (the opt-out link): no login, signed URLs, under
/en/ and /ur/."""

from django.urls import path

from mesoclinic.notifications import public_views

app_name = "messages_public"

urlpatterns: list = [
    path("stop/<str:token>/", public_views.OptOutView.as_view(), name="opt_out"),
]
