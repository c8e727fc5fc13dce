"""/fhir/R4/: the CapabilityStatement, then each registered type's search, create, read and
update; anything else is a 404 OperationOutcome rather than the site's HTML page."""

from django.urls import path, re_path

from mesoclinic.fhir import export_views, views
from mesoclinic.fhir.models import ExportJob

app_name = "fhir"

TYPE = r"(?P<type_name>[A-Z][A-Za-z]{1,63})"
ID = r"(?P<ident>[A-Za-z0-9\-.]{1,64})"
JOB = r"(?P<job_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"

urlpatterns = [
    path("", views.UnknownView.as_view(), name="base"),
    path("metadata", views.MetadataView.as_view(), name="metadata"),
    # Bulk Data export, before the type and instance patterns (whose names exclude `$`).
    re_path(r"^\$export/?$", export_views.ExportKickOffView.as_view(), name="export"),
    re_path(
        r"^Patient/\$export/?$",
        export_views.ExportKickOffView.as_view(kind=ExportJob.Kind.PATIENT),
        name="patient_export",
    ),
    re_path(
        r"^Group/(?P<group_id>[0-9]{1,18})/\$export/?$",
        export_views.ExportKickOffView.as_view(kind=ExportJob.Kind.GROUP),
        name="group_export",
    ),
    re_path(
        rf"^\$export-status/{JOB}$", export_views.ExportStatusView.as_view(), name="export_status"
    ),
    re_path(
        rf"^\$export-file/{JOB}/(?P<file_name>[A-Za-z]{{1,64}}-[0-9]{{1,6}}\.ndjson)$",
        export_views.ExportFileView.as_view(),
        name="export_file",
    ),
    re_path(rf"^{TYPE}/?$", views.TypeView.as_view(), name="type"),
    re_path(rf"^{TYPE}/{ID}/?$", views.InstanceView.as_view(), name="instance"),
    re_path(r"^(?P<rest>.*)$", views.UnknownView.as_view(), name="unknown"),
]
