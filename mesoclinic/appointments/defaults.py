"""The appointment types a new clinic starts with. Pure Python.

They are defaults, not rules: each clinic edits its own copy (durations, buffers, who may take
it), and the source says where the numbers came from.
"""

from dataclasses import dataclass

SOURCE = "mesoclinic default (issue 18); clinic to confirm"

DOCTORS = ("dermatologist", "physician")


@dataclass(frozen=True)
class DefaultType:
    code: str
    duration_minutes: int
    buffer_before_minutes: int
    buffer_after_minutes: int
    requirement: str  # "none" | "credentialed" | "doctor"
    needs_room: bool


DEFAULT_TYPES = (
    DefaultType("consultation", 30, 0, 5, "doctor", False),
    DefaultType("patch_application", 15, 0, 0, "credentialed", False),
    DefaultType("patch_read", 10, 0, 0, "credentialed", False),
    DefaultType("session", 45, 5, 10, "credentialed", True),
    DefaultType("follow_up", 15, 0, 0, "credentialed", False),
)
