from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "mesoclinic.care"
    label = "care"
