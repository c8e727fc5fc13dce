"""The base every domain's API views extend: scoping, id checks and list auditing by default."""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.restapi.params import as_database_id, is_whole_number


class ScopedViewSetMixin:
    """Subclasses define `scoped_queryset(user)`; `get_queryset` always goes through it, so a new
    endpoint cannot forget the user's clinics.

    An id in the path that no row can have (a whole number past the id column's range) is a
    404 before any lookup runs: the lookup itself would overflow (a 500 on SQLite)."""

    via = Interface.API

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication and permissions first
        if self.lookup_field == "pk":
            value = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            if value is not None and is_whole_number(value) and as_database_id(value) is None:
                raise NotFound(f"No {self._model()._meta.verbose_name} found.")

    def get_queryset(self):
        return self.scoped_queryset(self.request.user)

    def scoped_queryset(self, user):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def _model(self):
        if self.queryset is not None:
            return self.queryset.model
        return self.get_serializer_class().Meta.model


class ReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class AuditedListMixin:
    """A list that names patients or shows their clinical records is audited as the staff pages'
    lists are: one LIST row per page read, with the number of rows shown and never the search
    terms. Put it before the viewset base; `audit_list` says what to record (override it to
    count only some rows, or to record nothing when no one is named)."""

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self.audit_list(response.data["results"])
        return response

    def audit_list(self, rows: list) -> None:
        """One row naming the listed model and how many records the page shows."""
        record_event(
            actor=self.request.user,
            action=Action.LIST,
            via=self.via,
            object_type=self.listed_type(),
            detail={"results": len(rows)},
        )

    def listed_type(self) -> str:
        model = getattr(self.queryset, "model", None)
        if model is None:  # pragma: no cover - a configuration mistake, caught in development
            raise ImproperlyConfigured(f"{type(self).__name__} lists no model to audit.")
        return model._meta.label_lower
