"""The base every domain's API views extend: scoping, and list and read auditing, by default."""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import viewsets
from rest_framework.response import Response

from mesoclinic.audit.services import Action, Interface, record_event


class ScopedViewSetMixin:
    """Subclasses define `scoped_queryset(user)`; `get_queryset` always goes through it, so a new
    endpoint cannot forget the user's clinics."""

    via = Interface.API

    def get_queryset(self):
        return self.scoped_queryset(self.request.user)

    def scoped_queryset(self, user):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


class ReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class AuditedReadMixin:
    """A single record read through the API is audited as the pages audit theirs: one VIEW row
    naming it. Put it before the viewset base."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        record_event(actor=request.user, action=Action.VIEW, via=self.via, instance=instance)
        return Response(self.get_serializer(instance).data)


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
