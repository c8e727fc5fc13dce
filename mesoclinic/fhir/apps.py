from django.apps import AppConfig


class FhirConfig(AppConfig):
    """FHIR R4 (4.0.1) at /fhir/R4/: a face over the same selectors and services the pages use.
    Nothing imports it. Each resource type registers itself in `resources/` when the app loads."""

    name = "mesoclinic.fhir"
    label = "fhir"
    verbose_name = "FHIR R4"

    def ready(self):
        # Registers every resource type, and the export operations.
        from mesoclinic.fhir import exports, resources  # noqa: F401
