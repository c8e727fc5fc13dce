"""What the patient page shows of aftercare: the latest check-ins and adverse events, for a
role that reads clinical records (two queries; none for a receptionist)."""

from mesoclinic.aftercare.models import CheckIn
from mesoclinic.care.models import AdverseEvent
from mesoclinic.clinics import scoping

#: The newest rows the panel shows; the clinic's queue and register hold the rest.
PANEL_ROWS = 10


def aftercare_panel(user, patient) -> dict | None:
    if not scoping.reaches(user, scoping.Kind.CLINICAL):
        return None
    # checkin_patient_idx and the adverse events' patient foreign-key index.
    check_ins = list(
        CheckIn.objects.for_user(user)
        .filter(patient=patient)
        .select_related("session")
        .order_by("-due_at", "-id")[:PANEL_ROWS]
    )
    events = list(
        AdverseEvent.objects.for_user(user).filter(patient=patient).order_by("-id")[:PANEL_ROWS]
    )
    return {"check_ins": check_ins, "events": events}
