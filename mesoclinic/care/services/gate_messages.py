"""The safety gate's failures in the staff's language: one message per condition, naming the
reasons, ingredients or lots concerned in words (the rule's own message, the ingredient's name
in the page's language), never as bare codes."""

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from mesoclinic.care import gate, rules
from mesoclinic.care.models import ContraindicationRule
from mesoclinic.clinics.credentials import Step
from mesoclinic.clinics.messages import credential_messages
from mesoclinic.formulary.models import Ingredient

#: Why a lot may not be used, in words (formulary.stock.Blocker values).
BLOCKERS = {
    "recalled": gettext_lazy("recalled"),
    "quarantined": gettext_lazy("quarantined"),
    "expired": gettext_lazy("expired"),
    "vial_opening_missing": gettext_lazy("multi-dose vial not opened"),
    "vial_past_discard": gettext_lazy("vial past its discard time"),
    "vial_opened_in_future": gettext_lazy("vial opening time in the future"),
}


def _reasons(codes) -> str:
    """The rules' own messages in the page's language (a code no rule has any more: the code)."""
    urdu = get_language() == "ur"
    found = {
        rule.code: (rule.message_ur if urdu and rule.message_ur else rule.message_en)
        for rule in ContraindicationRule.objects.filter(code__in=codes)
    }
    # The engine's own reason for an ingredient no rule covers has no rule row.
    found.setdefault(
        rules.UNKNOWN_INGREDIENT,
        _("An ingredient no screening rule covers: a dermatologist reviews it first."),
    )
    return " ".join(found.get(code, code) for code in codes)


def _ingredients(codes) -> str:
    found = {i.code: i.display_name for i in Ingredient.objects.filter(code__in=codes)}
    return (
        "، ".join(found.get(c, c) for c in codes)
        if get_language() == "ur"
        else ", ".join(found.get(c, c) for c in codes)
    )


def _lots(details) -> str:
    """Lot numbers (isolated, so Latin numbers keep their order in Urdu) and why each is
    blocked. A detail is "NUMBER" or "NUMBER:blocker+blocker" (care.gate)."""
    urdu = get_language() == "ur"
    named = []
    for detail in details:
        number, colon, blockers = detail.rpartition(":")
        if not colon or not all(b in BLOCKERS for b in blockers.split("+")):
            number, blockers = detail, ""  # a lot number with a colon of its own
        why = ("، " if urdu else ", ").join(
            str(BLOCKERS.get(b, b)) for b in blockers.split("+") if b
        )
        named.append(f"\u2068{number}\u2069 ({why})" if why else f"\u2068{number}\u2069")
    return ("؛ " if urdu else "; ").join(named)


def _practitioner(details, fallback: str) -> str:
    """The exact credential problems (which council, expired on which date, not a member, the
    qualification the policy does not allow), or `fallback` for a detail-less failure."""
    found = credential_messages(details, step=Step.SESSION)
    return " ".join(found) if found else fallback


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
    gate.Condition.PREGNANT_OR_BREASTFEEDING: lambda d: _(
        "The patient is pregnant, may be, or is breastfeeding today: no session."
    ),
    gate.Condition.CONTRAINDICATED: lambda d: (
        _("Contraindicated today: %(reasons)s") % {"reasons": _reasons(d)}
    ),
    gate.Condition.RELATIVE_NOT_JUSTIFIED: lambda d: (
        _("Needs a dermatologist's recorded justification: %(reasons)s") % {"reasons": _reasons(d)}
    ),
    gate.Condition.CONSENT_MISSING: lambda d: _(
        "No valid consent for this course, signed before the session started."
    ),
    gate.Condition.PATCH_TEST_MISSING: lambda d: (
        _("No negative patch test still valid for: %(codes)s.") % {"codes": _ingredients(d)}
    ),
    gate.Condition.PATCH_TEST_POSITIVE: lambda d: (
        _("Positive patch test to: %(codes)s.") % {"codes": _ingredients(d)}
    ),
    gate.Condition.PRACTITIONER_NOT_CREDENTIALED: lambda d: _practitioner(
        d, _("The practitioner's registration is not verified and current.")
    ),
    gate.Condition.PRACTITIONER_NOT_ALLOWED: lambda d: _practitioner(
        d,
        _(
            "The practitioner does not work at this clinic or their qualification is not "
            "allowed this procedure here."
        ),
    ),
    gate.Condition.LOT_UNUSABLE: lambda d: _("Lot cannot be used: %(lots)s.") % {"lots": _lots(d)},
    gate.Condition.LOT_INSUFFICIENT: lambda d: (
        _("Not enough left in lot: %(lots)s.") % {"lots": _lots(d)}
    ),
    gate.Condition.COMPOSITION_UNKNOWN: lambda d: (
        _("The formulary lists no ingredients for lot %(lots)s: it cannot be screened.")
        % {"lots": _lots(d)}
    ),
    gate.Condition.COURSE_NOT_ACTIVE: lambda d: _("The course is not active."),
}


def gate_message(failure: gate.Failure) -> str:
    return _MESSAGES[failure.condition](failure.detail)
