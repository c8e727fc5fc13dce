"""The safety gate's failures in the staff's language: one message per condition, naming the
codes, ingredients or lots concerned."""

from django.utils.translation import gettext as _

from mesoclinic.care import gate

_MESSAGES = {
    gate.Condition.SCREENING_MISSING: lambda d: _("No screening: record a consultation first."),
    gate.Condition.SCREENING_STALE: lambda d: _(
        "The screening is older than the clinic's limit: screen the patient again."
    ),
    gate.Condition.SCREENING_OUTDATED: lambda d: _(
        "An allergy or a positive patch test was recorded after the screening: screen again."
    ),
    gate.Condition.PREGNANCY_NOT_CONFIRMED: lambda d: _(
        "Ask today whether the patient is pregnant or breastfeeding."
    ),
    gate.Condition.CONTRAINDICATED: lambda d: (
        _("Contraindicated today: %(codes)s.") % {"codes": ", ".join(d)}
    ),
    gate.Condition.RELATIVE_NOT_JUSTIFIED: lambda d: (
        _("Needs a dermatologist's recorded justification for: %(codes)s.")
        % {"codes": ", ".join(d)}
    ),
    gate.Condition.CONSENT_MISSING: lambda d: _(
        "No valid consent for this procedure, signed before the session started."
    ),
    gate.Condition.PATCH_TEST_MISSING: lambda d: (
        _("No negative patch test still valid for: %(codes)s.") % {"codes": ", ".join(d)}
    ),
    gate.Condition.PATCH_TEST_POSITIVE: lambda d: (
        _("Positive patch test to: %(codes)s.") % {"codes": ", ".join(d)}
    ),
    gate.Condition.PRACTITIONER_NOT_CREDENTIALED: lambda d: _(
        "The practitioner's registration is not verified and current."
    ),
    gate.Condition.PRACTITIONER_NOT_ALLOWED: lambda d: _(
        "The practitioner's qualification is not allowed this procedure at this clinic."
    ),
    gate.Condition.LOT_UNUSABLE: lambda d: (
        _("Lot cannot be used (recalled, quarantined, expired or vial past discard): %(lots)s.")
        % {"lots": ", ".join(d)}
    ),
    gate.Condition.LOT_INSUFFICIENT: lambda d: (
        _("Not enough left in lot: %(lots)s.") % {"lots": ", ".join(d)}
    ),
    gate.Condition.COURSE_NOT_ACTIVE: lambda d: _("The course is not active."),
}


def gate_message(failure: gate.Failure) -> str:
    return _MESSAGES[failure.condition](failure.detail)
