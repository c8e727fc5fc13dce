"""A dermatologist's recorded decision to go past a protocol's dose limit for one patient.

A care record: it is about a patient's treatment, a plan (`CourseComponent.override`) or a
charted session uses it, and the safety gate reads it. It moved here from the formulary, which
holds what may be given and how, not what was decided for a patient; its table kept its name,
so no row moved.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DoseOverride(models.Model):
    """A dermatologist's recorded decision to go past a protocol limit for one patient, with
    the reason. A plan or a charted session links it; the audit trail records who."""

    component = models.ForeignKey(
        "formulary.ProtocolComponent", on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    limits_crossed = models.JSONField(help_text=_("Codes of the limits crossed."))
    amount = models.JSONField(help_text=_("The amount allowed: per point, points, total (mL)."))
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        "clinics.Practitioner", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table the formulary created (issue 16 moved the model, not the rows).
        db_table = "formulary_doseoverride"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(name="doseoverride_reason_given", condition=~Q(reason="")),
        ]

    def __str__(self):
        return f"Override of {self.component_id} for patient {self.patient_id}"
