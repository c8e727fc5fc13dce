from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mesoclinic.core"
    label = "core"
