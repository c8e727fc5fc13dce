"""Small helpers every app's staff pages share: keyset pages (reading the cursor from the query
string, cutting a page from a queryset) and showing a service's refusal on the form or page
that asked for it (`submit`, `refuse_with_messages`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse


def keyset_cursor(value):
    """The `before` id of a keyset page, or None for the first page (or a forged value)."""
    try:
        return int(value) if value else None
    except ValueError:
        return None


#: A primary key no row reaches, reversed in the place of real ones (`pk_url`).
_PK_SLOT = 2_147_483_647


def pk_url(name: str):
    """A function from a primary key to the URL of `name` (a route taking one integer),
    reversed once: a list page's `{% url %}` in every row cost tens of microseconds each, a
    fifth of the recall page (issue 23)."""
    before, after = reverse(name, args=[_PK_SLOT]).split(str(_PK_SLOT))
    return lambda pk: f"{before}{int(pk)}{after}"


def keyset_page(queryset, before: int | None, size: int) -> tuple[list, int | None]:
    """One page of a queryset ordered by id descending: the rows, and the cursor of the next
    page (None on the last). One query: it reads one row more than it shows."""
    if before is not None:
        queryset = queryset.filter(id__lt=before)
    rows = list(queryset[: size + 1])
    next_cursor = rows[size - 1].pk if len(rows) > size else None
    return rows[:size], next_cursor


def add_service_errors(form, exc: ValidationError):
    """Show the service's refusal on the form, beside the field it is about."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(None if field == "__all__" or field not in form.fields else field, errors)


def submit(form, action):
    """Validate `form` and run `action(cleaned_data)`, a service call. The service's refusals
    go back onto the form beside their fields; returns the service's result, or None if the
    form was invalid or the service refused. Every staff form page takes this one path."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def refuse_with_messages(request, exc: ValidationError) -> None:
    """A button with no form (open a vial, approve a version, pause a course): the service's
    refusal, every reason in it, becomes one error message on the page it returns to."""
    messages.error(request, " ".join(exc.messages))
