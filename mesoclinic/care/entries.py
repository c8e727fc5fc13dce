"""When an entry's own time is worth showing beside the time it states.

Pure Python, no Django. Every clinical record keeps the time it states (applied, read, signed,
the session's end) and the server's time it was entered. Entered within a few minutes of the
stated time, the two are the same moment to a reader; later, pages say "entered at" so a
backdated entry is never mistaken for one made at the time. The tolerance is about reading a
page, not a clinical threshold, so it is a constant here.
"""

from datetime import datetime, timedelta

#: An entry made more than this after (or before) the time it states shows its entry time.
SAME_MOMENT = timedelta(minutes=5)


def entered_apart(stated: datetime | None, entered: datetime | None) -> bool:
    """True when `entered` differs from `stated` by more than `SAME_MOMENT`."""
    if stated is None or entered is None:
        return False
    return abs(entered - stated) > SAME_MOMENT
