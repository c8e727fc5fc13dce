"""Why a lot cannot be used, in words, the one place these words live: the charting page's lot
list and its field errors, and the safety gate's lot refusals, all say it the same way
(recalled with the recall's reason, expired on a date, quarantined, empty or short with the
balance, an open vial past its discard time); a refused stock movement or patch test, and the
lot's page, say each blocker as a sentence of its own (`blocker_messages`).

Lot numbers and typed reasons are wrapped in Unicode isolates, so a Latin lot number keeps its
order inside an Urdu sentence.
"""

from datetime import date, datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mesoclinic.formulary import stock


def isolate(text: str) -> str:
    return f"\u2068{text}\u2069"


def amount(value: Decimal) -> str:
    """A quantity without trailing zeros: 2, 1.5, 0.25."""
    return f"{Decimal(value).normalize():f}"


def day(value: date) -> str:
    return formats.date_format(value, "j M Y")


def moment(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "j M Y H:i")


def join(words) -> str:
    """Reasons one after the other, with the page language's comma."""
    return ("، " if get_language() == "ur" else ", ").join(str(w) for w in words)


def blocker_words(
    blocker: str,
    *,
    status_reason: str = "",
    expires_on: date | None = None,
    discard_at: datetime | None = None,
) -> str:
    """One `stock.Blocker` in words, with what makes it concrete (reason, date, time)."""
    reason = status_reason.strip()
    if blocker == stock.Blocker.RECALLED:
        return (
            _("recalled: “%(reason)s”") % {"reason": isolate(reason)} if reason else _("recalled")
        )
    if blocker == stock.Blocker.QUARANTINED:
        return (
            _("quarantined: “%(reason)s”") % {"reason": isolate(reason)}
            if reason
            else _("quarantined")
        )
    if blocker == stock.Blocker.EXPIRED:
        return _("expired on %(date)s") % {"date": day(expires_on)} if expires_on else _("expired")
    if blocker == stock.Blocker.VIAL_PAST_DISCARD:
        return (
            _("the open vial was to be discarded at %(time)s") % {"time": moment(discard_at)}
            if discard_at
            else _("vial past its discard time")
        )
    if blocker == stock.Blocker.VIAL_OPENING_MISSING:
        return _("multi-dose vial not opened: open a vial on the lot's page first")
    if blocker == stock.Blocker.VIAL_OPENED_IN_FUTURE:
        return _("vial opening time in the future")
    return str(blocker)


#: Each `stock.Blocker` as a sentence of its own: a refused stock movement, the lot's page.
BLOCKER_MESSAGES = {
    stock.Blocker.RECALLED: lambda: _("This lot has been recalled; it cannot be used."),
    stock.Blocker.QUARANTINED: lambda: _("This lot is quarantined; it cannot be used."),
    stock.Blocker.EXPIRED: lambda: _("This lot has expired; it cannot be used."),
    stock.Blocker.VIAL_OPENING_MISSING: lambda: _(
        "This is a multi-dose lot: open a vial first, so its discard time starts."
    ),
    stock.Blocker.VIAL_PAST_DISCARD: lambda: _(
        "The open vial is past its discard time: record what is left as wasted, then open a "
        "new vial."
    ),
    stock.Blocker.VIAL_OPENED_IN_FUTURE: lambda: _("The vial's opening time is in the future."),
}


def blocker_messages(blockers) -> list[str]:
    """Each blocker as a whole sentence, for a refused stock movement or patch test."""
    return [BLOCKER_MESSAGES[b]() for b in blockers]


def shortfall_words(balance: Decimal, needed: Decimal | None = None, unit: str = "mL") -> str:
    """An empty lot, or one holding less than the session needs, with its balance."""
    if balance <= 0:
        return _("empty (balance 0 %(unit)s)") % {"unit": unit}
    if needed is None:
        return _("only %(balance)s %(unit)s left") % {"balance": amount(balance), "unit": unit}
    return _("only %(balance)s %(unit)s left, %(needed)s %(unit)s needed") % {
        "balance": amount(balance),
        "needed": amount(needed),
        "unit": unit,
    }


def lot_blockers(lot, *, now: datetime) -> list[stock.Blocker]:
    """Every reason `lot` (a formulary Lot with its product) cannot be given now."""
    return stock.use_blockers(
        lot.state,
        today=timezone.localdate(now),
        now=now,
        vial_opened_at=lot.vial_opened_at,
    )


def why_unusable(lot, *, now: datetime, needed: Decimal | None = None) -> list[str]:
    """Every reason `lot` cannot be given now, in words (empty when it can): its blockers, and
    an empty balance or one below `needed`. A lot holding exactly what is needed can be used."""
    words = [
        blocker_words(
            blocker,
            status_reason=lot.status_reason,
            expires_on=lot.expires_on,
            discard_at=lot.vial_discard_at,
        )
        for blocker in lot_blockers(lot, now=now)
    ]
    if lot.balance <= 0 or (needed is not None and lot.balance < needed):
        words.append(shortfall_words(lot.balance, needed, lot.product.stock_unit))
    return words


def refusal(lot, words) -> str:
    """The sentence a person sees under the lot they chose."""
    return _("Lot %(lot)s cannot be used: %(why)s.") % {
        "lot": isolate(lot.lot_number),
        "why": join(words),
    }


def not_this_clinics() -> str:
    """For a lot id that is missing or belongs to another clinic: nothing about that lot."""
    return _("This is not a lot of this clinic.")
