"""An iCalendar (RFC 5545) document of appointments, made with the `icalendar` library. Pure
Python: data in, bytes out.

Times are written in UTC (`DTSTART:20261214T050000Z`): every calendar reads UTC, and none
then needs our time-zone definitions; the phone shows them in its own zone (Karachi's, for a
practitioner in Pakistan). Each event's UID is the appointment's, so a calendar updates the
event when it moves instead of adding another; SEQUENCE is the appointment's version.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event

PRODUCT = "-//mesoclinic//appointment book//EN"


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str
    sequence: int
    status: str  # CONFIRMED, TENTATIVE or CANCELLED


def calendar(*, name: str, events: list[FeedEvent], now: datetime) -> bytes:
    """The document: one VEVENT per event, in the order given."""
    document = Calendar()
    document.add("prodid", PRODUCT)
    document.add("version", "2.0")
    document.add("calscale", "GREGORIAN")
    document.add("method", "PUBLISH")
    document.add("x-wr-calname", name)
    stamp = now.astimezone(UTC)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start.astimezone(UTC))
        event.add("dtend", item.end.astimezone(UTC))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        event.add("sequence", item.sequence)
        event.add("status", item.status)
        document.add_component(event)
    return document.to_ical()
