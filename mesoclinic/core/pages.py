"""Small helpers every app's staff pages share: reading a keyset cursor from the query string
and showing a service's refusal on the form that asked for it."""

from django.core.exceptions import ValidationError


def keyset_cursor(value):
    """The `before` id of a keyset page, or None for the first page (or a forged value)."""
    try:
        return int(value) if value else None
    except ValueError:
        return None


def add_service_errors(form, exc: ValidationError):
    """Show the service's refusal on the form, beside the field it is about."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(None if field == "__all__" or field not in form.fields else field, errors)
