"""Reads of clinics and practitioners, prefetched for the pages and API that show them."""

from django.db.models import Prefetch

from mesoclinic.clinics import scoping
from mesoclinic.clinics.models import Clinic, Membership, OpeningHours, Practitioner


def clinics_for_user(user):
    """The active clinics a user works at (every one for administrators), by the one rule."""
    clinics = Clinic.objects.filter(is_active=True)
    return scoping.restrict(clinics, user, scoping.Kind.CLINIC, clinic="pk")


def clinic_directory():
    """Active clinics with hours and services, ready for a list (3 queries, whatever the size)."""
    return Clinic.objects.filter(is_active=True).prefetch_related(
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
        "services",
    )


def practitioner_directory():
    """Practitioners with their user and clinics loaded (2 queries)."""
    return Practitioner.objects.select_related("user").prefetch_related(
        Prefetch(
            "user__memberships",
            queryset=Membership.objects.select_related("clinic").order_by("clinic__name"),
        )
    )
