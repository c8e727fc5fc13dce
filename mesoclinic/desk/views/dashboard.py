"""The staff dashboard: one card per clinic a person works at, with the clinic's worklist.

A desk page: it combines clinics (the cards and their counts), patients and care (the worklist,
which reads clinical records), so it stands above all three; none of them imports it.
"""

from datetime import datetime, time

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care import access
from mesoclinic.care.worklist import worklists
from mesoclinic.clinics.models import Room
from mesoclinic.clinics.selectors import clinics_for_user
from mesoclinic.patients.models import Patient

#: Lines shown per list on a card; the rest are counted ("and 3 more").
SHOWN = 8


class DashboardView(StaffRequiredMixin, View):
    """One card per clinic with its patient numbers (one query) and its worklist (a fixed
    number more, `care.worklist.worklists`)."""

    def get(self, request):
        today = timezone.localdate()
        start_of_day = timezone.make_aware(datetime.combine(today, time.min))
        clinics = list(
            clinics_for_user(request.user).annotate(
                patient_count=_count(Patient.objects.all()),
                registered_today=_count(Patient.objects.filter(created_at__gte=start_of_day)),
                rooms_count=_count(Room.objects.filter(is_active=True), field="clinic"),
            )
        )
        lists = worklists(request.user, [clinic.pk for clinic in clinics])
        shown = 0
        for clinic in clinics:
            clinic.worklist = lists[clinic.pk]
            shown += clinic.worklist.total
        if shown:
            # Patients' names are on this page: the listing is audited like the patient list.
            record_event(
                actor=request.user,
                action=Action.LIST,
                via=Interface.WEB,
                object_type=Patient._meta.label_lower,
                clinic_id=clinics[0].pk if len(clinics) == 1 else None,
                detail={"results": shown, "search": "worklist"},
            )
        context = {
            "clinics": clinics,
            "shown": SHOWN,
            "can_witness": access.can_witness_consent(request.user),
        }
        return render(request, "desk/dashboard.html", context)


def _count(queryset, field="registered_clinic"):
    """A per-clinic COUNT as a correlated sub-select (no join fan-out between the counts)."""
    return Coalesce(
        Subquery(
            queryset.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )
