from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "mesoclinic.guide"
    label = "guide"
