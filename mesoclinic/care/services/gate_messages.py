"""The safety gate's failures in the staff's language: one message per condition, naming the
reasons, ingredients or lots concerned in words (the rule's own message, the ingredient's name
in the page's language), never as bare codes."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mesoclinic.care import gate, rules
from mesoclinic.care.models import ContraindicationRule
from mesoclinic.clinics.credentials import Step
from mesoclinic.clinics.messages import credential_messages
from mesoclinic.formulary import lot_words, stock
from mesoclinic.formulary.selectors import ingredient_names


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
    found = ingredient_names(codes)
    return (
        "، ".join(found.get(c, c) for c in codes)
        if get_language() == "ur"
        else ", ".join(found.get(c, c) for c in codes)
    )


def _lots(details, seen=None) -> str:
    """Lot numbers (isolated, so Latin numbers keep their order in Urdu) and why each is
    blocked, in words with what makes it concrete when the gate's lots are at hand (`seen`:
    lot number -> gate.LotState): the recall's reason, the expiry date, the discard time, the
    balance. A detail is "NUMBER" or "NUMBER:blocker+blocker" (care.gate)."""
    seen = seen or {}
    named = []
    for detail in details:
        number, colon, blockers = detail.rpartition(":")
        if not colon or not all(b in stock.Blocker for b in blockers.split("+")):
            number, blockers = detail, ""  # a lot number with a colon of its own
        lot = seen.get(number)
        why = [
            lot_words.blocker_words(
                b,
                status_reason=lot.status_reason,
                expires_on=lot.expires_on,
                discard_at=lot.discard_at,
            )
            if lot
            else lot_words.blocker_words(b)
            for b in blockers.split("+")
            if b
        ]
        if not blockers and lot and lot.balance < lot.needed:
            why.append(lot_words.shortfall_words(lot.balance, lot.needed))
        isolated = lot_words.isolate(number)
        named.append(f"{isolated} ({lot_words.join(why)})" if why else isolated)
    return ("؛ " if get_language() == "ur" else "; ").join(named)


def _day(iso: str) -> str:
    """A date of the gate's detail as the page shows dates (e.g. 6 December 2026)."""
    return date_format(date.fromisoformat(iso), "j F Y")


def _doses(details, *, planned=False) -> str:
    """Each component's amount against its limit or plan: "Tranexamic acid: 8 mL (limit 5 mL)"."""
    urdu = get_language() == "ur"
    named = []
    for detail in details:
        given, limit, label = detail.split("|", 2)
        values = {"component": label, "given": given, "limit": limit}
        named.append(
            _("%(component)s: %(given)s mL (planned %(limit)s mL)") % values
            if planned
            else _("%(component)s: %(given)s mL (limit %(limit)s mL)") % values
        )
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
    gate.Condition.LOT_UNUSABLE: lambda d, seen=None: (
        _("Lot cannot be used: %(lots)s.") % {"lots": _lots(d, seen)}
    ),
    gate.Condition.LOT_INSUFFICIENT: lambda d, seen=None: (
        _("Not enough left in lot: %(lots)s.") % {"lots": _lots(d, seen)}
    ),
    gate.Condition.COMPOSITION_UNKNOWN: lambda d: (
        _("The formulary lists no ingredients for lot %(lots)s: it cannot be screened.")
        % {"lots": _lots(d)}
    ),
    gate.Condition.COURSE_NOT_ACTIVE: lambda d: _("The course is not active."),
    gate.Condition.ADVERSE_EVENT_OPEN: lambda d: (
        _(
            "Adverse event %(events)s is open for this patient: no session until a credentialed "
            "dermatologist closes it with an outcome."
        )
        % {"events": ", ".join(d)}
    ),
    gate.Condition.SAME_DAY: lambda d: (
        _(
            "This course's last session was on %(last)s: a second session of the same course on "
            "the same day (or before it) is never allowed."
        )
        % {"last": _day(d[0])}
    ),
    gate.Condition.TOO_SOON: lambda d: (
        _(
            "Too soon: the course's last session was on %(last)s and the protocol's interval "
            "allows the next from %(earliest)s (a credentialed dermatologist may record a reason)."
        )
        % {"last": _day(d[0]), "earliest": _day(d[1])}
    ),
    gate.Condition.DAILY_LIMIT: lambda d: (
        _(
            "Together with what the patient received earlier today, past the protocol's "
            "per-session limit: %(doses)s."
        )
        % {"doses": _doses(d)}
    ),
    gate.Condition.ABOVE_PLAN: lambda d: (
        _(
            "More than the plan's volume: %(doses)s. A credentialed dermatologist must record "
            "the reason."
        )
        % {"doses": _doses(d, planned=True)}
    ),
}


#: The conditions about the session's lots: their messages name each lot's state.
LOT_CONDITIONS = frozenset({gate.Condition.LOT_UNUSABLE, gate.Condition.LOT_INSUFFICIENT})


def gate_message(failure: gate.Failure, lots=()) -> str:
    """The failure in words; `lots` (the gate's LotStates) lets a lot refusal name the recall's
    reason, the expiry date, the discard time and the balance."""
    if failure.condition in LOT_CONDITIONS:
        seen = {lot.lot_number: lot for lot in lots}
        return _MESSAGES[failure.condition](failure.detail, seen)
    return _MESSAGES[failure.condition](failure.detail)
