"""Reads of clinics and practitioners, prefetched for the pages and API that show them."""

from django.db.models import Prefetch

from mesoclinic.accounts.roles import is_administrator
from mesoclinic.clinics.models import Clinic, Membership, OpeningHours, Practitioner


def clinics_for_user(user):
    """The clinics a user works at (every active clinic for administrators)."""
    clinics = Clinic.objects.filter(is_active=True)
    if is_administrator(user):
        return clinics
    if not getattr(user, "is_authenticated", False):
        return clinics.none()
    return clinics.filter(pk__in=Membership.objects.filter(user=user).values("clinic_id"))


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
