from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "mesoclinic.desk"
    label = "desk"
