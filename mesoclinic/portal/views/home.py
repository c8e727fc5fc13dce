"""The portal's first page: the patient's records, one card per clinic that keeps one."""

from django.shortcuts import render

from mesoclinic.patients.models import Patient
from mesoclinic.portal import selectors
from mesoclinic.portal.views.common import PatientView, audit_list


class HomeView(PatientView):
    def get(self, request):
        records = list(selectors.my_records(request.user))
        audit_list(request.user, Patient, count=len(records))
        return render(request, "portal/home.html", {"records": records, "nav": "home"})
