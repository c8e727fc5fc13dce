"""A clinic's staff page: hours, rooms, staff and their credentials, and its newest patients.

A desk page: clinics stands below patients, so the page that lists a clinic's patients next to
its staff lives here, above both."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.views import View

from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.accounts.roles import role_labels
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.clinics.messages import credential_messages
from mesoclinic.clinics.models import Membership, OpeningHours, Room
from mesoclinic.clinics.selectors import clinics_for_user
from mesoclinic.patients.models import Patient


class ClinicDashboardView(StaffRequiredMixin, View):
    """A clinic's page: hours, rooms, staff and their credential status, newest patients."""

    def get(self, request, slug):
        clinic = (
            clinics_for_user(request.user)
            .filter(slug=slug)
            .prefetch_related(
                Prefetch(
                    "opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")
                ),
                Prefetch("rooms", queryset=Room.objects.filter(is_active=True)),
                "services",
                Prefetch(
                    "memberships",
                    queryset=Membership.objects.select_related("user", "user__practitioner")
                    .prefetch_related("user__groups")
                    .order_by("user__last_name", "user__first_name"),
                ),
            )
            .first()
        )
        if clinic is None:
            raise Http404("No clinic found.")
        recent = list(
            Patient.objects.for_user(request.user)
            .filter(registered_clinic=clinic)
            .order_by("-id")[:5]
        )
        # Patients' names are on this page: the listing is audited like the patient list.
        record_event(
            actor=request.user,
            action=Action.LIST,
            via=Interface.WEB,
            object_type=Patient._meta.label_lower,
            clinic_id=clinic.pk,
            detail={"results": len(recent), "search": "newest"},
        )
        staff = []
        for membership in clinic.memberships.all():
            user = membership.user
            practitioner = getattr(user, "practitioner", None)
            status = practitioner.credential_status() if practitioner else None
            staff.append(
                {
                    "user": user,
                    "roles": role_labels(g.name for g in user.groups.all()),
                    "practitioner": practitioner,
                    "credentialed": bool(status and status.credentialed),
                    "problems": credential_messages(status.codes()) if status else [],
                }
            )
        return render(
            request,
            "desk/clinic.html",
            {"clinic": clinic, "staff": staff, "recent": recent},
        )
