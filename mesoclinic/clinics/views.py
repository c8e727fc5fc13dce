"""The health check. (A clinic's staff page and the dashboard list patients and clinical
worklists, so they are desk pages: `mesoclinic.desk.views`; clinics stands below both.)"""

from django.db import DatabaseError
from django.http import JsonResponse

from mesoclinic.clinics.models import Clinic


def health(request):
    """For the load balancer, and the benchmark's framework floor: the application answers and
    its database does, by one indexed query (the first clinic by primary key). No patient data,
    no session, no login; 503 when the database does not answer."""
    try:
        Clinic.objects.order_by("pk").values_list("pk", flat=True).first()
    except DatabaseError:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})
