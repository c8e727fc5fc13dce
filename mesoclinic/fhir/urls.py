"""/fhir/R4/: the CapabilityStatement, then each registered type's search, create, read and
update; anything else is a 404 OperationOutcome rather than the site's HTML page."""

from django.urls import path, re_path

from mesoclinic.fhir import views

app_name = "fhir"

TYPE = r"(?P<type_name>[A-Z][A-Za-z]{1,63})"
ID = r"(?P<ident>[A-Za-z0-9\-.]{1,64})"

urlpatterns = [
    path("", views.UnknownView.as_view(), name="base"),
    path("metadata", views.MetadataView.as_view(), name="metadata"),
    re_path(rf"^{TYPE}/?$", views.TypeView.as_view(), name="type"),
    re_path(rf"^{TYPE}/{ID}/?$", views.InstanceView.as_view(), name="instance"),
    re_path(r"^(?P<rest>.*)$", views.UnknownView.as_view(), name="unknown"),
]
