"""Helpers shared by the formulary's staff pages."""

from django.core.exceptions import ValidationError

from mesoclinic.audit.services import Interface

VIA = Interface.WEB


def _cursor(value):
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
