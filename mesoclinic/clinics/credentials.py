"""When is a practitioner credentialed? One pure rule, used by the model and by every query.

A practitioner may inject only with a PMDC registration that someone at the clinic has verified
(who, when, on what evidence) and that has not expired. The number's format is not checked here:
the PMDC format is unverified (shared/CLINICAL.md), so a human verification is the check.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mesoclinic.core.text import fold_digits


class CredentialProblem(StrEnum):
    NO_REGISTRATION = "no_registration"
    UNVERIFIED = "unverified"
    NO_EXPIRY = "no_expiry"
    EXPIRED = "expired"


MESSAGES = {
    CredentialProblem.NO_REGISTRATION: "No PMDC registration number is recorded.",
    CredentialProblem.UNVERIFIED: "The PMDC registration has not been verified.",
    CredentialProblem.NO_EXPIRY: "The registration's expiry date is not recorded.",
    CredentialProblem.EXPIRED: "The PMDC registration has expired.",
}


@dataclass(frozen=True)
class CredentialStatus:
    problems: tuple[CredentialProblem, ...]

    @property
    def credentialed(self) -> bool:
        return not self.problems

    @property
    def messages(self) -> list[str]:
        return [MESSAGES[p] for p in self.problems]


def credential_status(
    *,
    registration_number: str,
    verified: bool,
    expires_on: date | None,
    today: date,
) -> CredentialStatus:
    """Every reason the practitioner is not credentialed on `today` (none means credentialed).

    A registration is valid through its expiry date inclusive.
    """
    problems = []
    if not registration_number:
        problems.append(CredentialProblem.NO_REGISTRATION)
    if not verified:
        problems.append(CredentialProblem.UNVERIFIED)
    if expires_on is None:
        problems.append(CredentialProblem.NO_EXPIRY)
    elif expires_on < today:
        problems.append(CredentialProblem.EXPIRED)
    return CredentialStatus(tuple(problems))


def normalize_registration_number(raw: str) -> str:
    """Fold Urdu digits to ASCII, upper-case, and drop spaces: "  12345-p " -> "12345-P".

    Deliberately no pattern check (the PMDC format is unverified): verification is human.
    """
    return "".join(fold_digits(raw).upper().split())
