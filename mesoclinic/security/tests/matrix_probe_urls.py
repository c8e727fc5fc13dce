"""The project's routes and one more, which no row of the matrix names (the matrix's own test
that a new route fails it)."""

from django.urls import path
from django.views.generic import TemplateView

from mesoclinic.urls import handler404
from mesoclinic.urls import urlpatterns as project

urlpatterns = [
    *project,
    path("matrix-probe/<int:pk>/", TemplateView.as_view(template_name="404.html")),
]

__all__ = ["handler404", "urlpatterns"]
