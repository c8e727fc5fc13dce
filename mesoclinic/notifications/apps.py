from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "mesoclinic.notifications"
    label = "notifications"
