from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "mesoclinic.clinics"
    label = "clinics"

    def ready(self):
        from mesoclinic.clinics import receivers

        receivers.connect()
