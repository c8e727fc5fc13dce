"""What every portal page shares: the patient's gate, no caching, and the audited reads."""

from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.portal.access import patient_required

VIA = Interface.PORTAL


@method_decorator([never_cache, patient_required], name="dispatch")
class PatientView(View):
    """A page for the signed-in patient: nobody else reaches `get`/`post`, and nothing it
    serves is cached by the browser or a shared proxy (a phone is often shared)."""


def audit_view(user, instance) -> None:
    """Record that the patient opened one of their records (every read is audited)."""
    record_event(actor=user, action=Action.VIEW, via=VIA, instance=instance)


def audit_list(user, model, *, count: int, clinic_id: int | None = None) -> None:
    """Record that the patient listed their records of one kind (counts only)."""
    record_event(
        actor=user,
        action=Action.LIST,
        via=VIA,
        object_type=model._meta.label_lower,
        clinic_id=clinic_id,
        detail={"count": count},
    )
