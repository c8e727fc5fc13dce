from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mesoclinic.accounts"
    label = "accounts"

    def ready(self):
        from mesoclinic.accounts import receivers

        receivers.connect()
