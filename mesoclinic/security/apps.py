from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """Who gets in and what survives (issue 20): sign-in limits and audit, second factors, idle
    sessions, the database roles, backups and restores. It sits just above `clinics`, whose
    sign-in policy (idle minutes, receptionists' second factor) it enforces."""

    name = "mesoclinic.security"
    label = "security"

    def ready(self):
        # Sign-in, failure, lockout and sign-out audit rows (after axes' own receivers).
        from mesoclinic.security import receivers

        receivers.connect()
