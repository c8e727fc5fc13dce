"""The base every domain's API views extend: scoping and auditing by default."""

from rest_framework import viewsets

from mesoclinic.audit.services import Interface


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
