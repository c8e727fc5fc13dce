"""What an erasure request can and cannot remove (a pure rule: no Django, plain data in).

A patient may ask a clinic to erase what it holds about them; some of it must stay:
- the audit trail of who read or changed their record (append-only by design, and the proof
  the clinic kept their record safely);
- lot traceability: which lot of which product went into them (a recall or a safety alert on a
  lot must still reach every patient it touched);
- the clinical record (consultations, consents, patch tests, plans, sessions, side-effect
  reports) while it is under retention, counted from the last time the clinic treated them.

`DEFAULT_RETENTION_YEARS` is the chain's policy value, not a figure quoted from a statute: the
clinic's counsel sets it (the rule takes it as an argument).
"""

from dataclasses import dataclass
from datetime import date

DEFAULT_RETENTION_YEARS = 10

AUDIT_TRAIL = "audit_trail"
LOT_TRACEABILITY = "lot_traceability"
CLINICAL_RECORDS = "clinical_records"
CONTACT = "contact"
PHOTO_USE = "photo_use"


@dataclass(frozen=True)
class Held:
    """What one clinic holds about the patient, as counts and the last treatment day."""

    clinical_records: int = 0
    lot_uses: int = 0
    last_treated_on: date | None = None


@dataclass(frozen=True)
class Kept:
    code: str
    until: date | None  # None: for as long as the clinic exists (the audit trail, the lots)


@dataclass(frozen=True)
class Decision:
    kept: tuple[Kept, ...]
    erasable: tuple[str, ...]


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def decide(held: Held, *, today: date, retention_years: int = DEFAULT_RETENTION_YEARS) -> Decision:
    """What stays after an erasure (and until when), and what the clinic can erase now."""
    if retention_years < 0:
        raise ValueError("Retention is a number of years, zero or more.")
    kept = [Kept(AUDIT_TRAIL, None)]
    if held.lot_uses:
        kept.append(Kept(LOT_TRACEABILITY, None))
    erasable = [CONTACT, PHOTO_USE]
    if held.clinical_records:
        start = held.last_treated_on or today
        until = _add_years(start, retention_years)
        if until > today:
            kept.append(Kept(CLINICAL_RECORDS, until))
        else:
            erasable.append(CLINICAL_RECORDS)
    return Decision(kept=tuple(kept), erasable=tuple(erasable))
