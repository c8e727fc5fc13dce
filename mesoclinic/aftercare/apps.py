from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "mesoclinic.aftercare"
    label = "aftercare"

    def ready(self):
        from mesoclinic.aftercare import receivers  # noqa: F401  (connects the signals)
