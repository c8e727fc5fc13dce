"""When a recorded allergy may be retracted, and every reason why not.

Pure Python, no Django. An allergy recorded in error (the wrong ingredient ticked, a reaction
that was not one) would otherwise block that ingredient at every later screening. Taking it
back is a clinical judgement, so only a credentialed dermatologist retracts, always with a
reason, and only once: the record stays, marked retracted, so the history shows what the
earlier screenings were decided on.
"""

from enum import StrEnum


class RetractionProblem(StrEnum):
    NOT_DERMATOLOGIST = "not_dermatologist"  # not a credentialed dermatologist
    NO_REASON = "no_reason"
    ALREADY_RETRACTED = "already_retracted"


def retraction_problems(
    *, credentialed_dermatologist: bool, reason: str, already_retracted: bool
) -> tuple[RetractionProblem, ...]:
    """Every reason the retraction is refused, in a fixed order; empty when it may go ahead.
    A reason of only blanks is no reason."""
    problems = []
    if not credentialed_dermatologist:
        problems.append(RetractionProblem.NOT_DERMATOLOGIST)
    if not reason.strip():
        problems.append(RetractionProblem.NO_REASON)
    if already_retracted:
        problems.append(RetractionProblem.ALREADY_RETRACTED)
    return tuple(problems)
