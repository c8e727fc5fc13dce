"""When is a practitioner credentialed, with which council, and who may record which step?
Pure rules, used by the model, by every query and by the care services.

A practitioner may treat only with a registration that someone at the clinic has verified
(who, when, on what evidence) and that has not expired. The council that registers them
follows their qualification: doctors and dentists with the Pakistan Medical and Dental Council
(PMDC), nurses and midwives with the Pakistan Nursing and Midwifery Council (PNMC). The
number's format is not checked here: neither council's format is verified (shared/CLINICAL.md),
so a human verification is the check.

Which qualifications may record each step of the pathway (a consultation, a plan, a dose
override, a patch test, a session) is the clinic's policy (`care.CareSettings`); this module
only reads it, and a malformed setting allows nobody.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mesoclinic.core.text import fold_digits


class RegisteringBody(StrEnum):
    PMDC = "pmdc"  # Pakistan Medical and Dental Council
    PNMC = "pnmc"  # Pakistan Nursing and Midwifery Council


#: The council that registers each qualification (`clinics.Practitioner.Qualification`). A
#: qualification not listed ("other") has no council we know: it cannot be credentialed.
REGISTERING_BODY = {
    "dermatologist": RegisteringBody.PMDC,
    "physician": RegisteringBody.PMDC,
    "dentist": RegisteringBody.PMDC,
    "nurse": RegisteringBody.PNMC,
    "midwife": RegisteringBody.PNMC,
}


def registering_body(qualification: str) -> RegisteringBody | None:
    return REGISTERING_BODY.get(qualification)


class CredentialProblem(StrEnum):
    NO_REGISTRATION = "no_registration"
    NO_REGISTERING_BODY = "no_registering_body"  # a qualification no council registers
    UNVERIFIED = "unverified"
    NO_EXPIRY = "no_expiry"
    EXPIRED = "expired"
    # Not about the registration but about this clinic and this step (`recording_problems`).
    NOT_MEMBER = "not_member"
    QUALIFICATION_NOT_ALLOWED = "qualification_not_allowed"  # for the step
    PROCEDURE_NOT_ALLOWED = "procedure_not_allowed"  # per procedure (who may inject what)


@dataclass(frozen=True)
class CredentialStatus:
    problems: tuple[CredentialProblem, ...]
    body: RegisteringBody | None = None
    expires_on: date | None = None

    @property
    def credentialed(self) -> bool:
        return not self.problems

    def codes(self) -> tuple[str, ...]:
        """The problems as plain codes for a record or an API: the council first
        ("body:pnmc"), then each problem, an expiry with its date ("expired:2026-11-30")."""
        return codes_of(self.problems, body=self.body, expires_on=self.expires_on)


_NAMES_QUALIFICATION = {
    CredentialProblem.QUALIFICATION_NOT_ALLOWED,
    CredentialProblem.PROCEDURE_NOT_ALLOWED,
}


def codes_of(problems, *, body=None, expires_on=None, qualification: str = "") -> tuple[str, ...]:
    if not problems:
        return ()
    codes = [f"body:{body}"] if body else []
    for problem in problems:
        if problem == CredentialProblem.EXPIRED and expires_on is not None:
            codes.append(f"{problem}:{expires_on.isoformat()}")
        elif problem in _NAMES_QUALIFICATION and qualification:
            codes.append(f"{problem}:{qualification}")
        else:
            codes.append(str(problem))
    return tuple(codes)


@dataclass(frozen=True)
class ParsedCodes:
    """Codes read back for a message: the council, and each problem with its value."""

    body: RegisteringBody | None
    problems: tuple[tuple[CredentialProblem, str], ...]


def parse_codes(codes) -> ParsedCodes:
    """The inverse of `codes_of`; an unknown code is skipped (a message never fails)."""
    body, problems = None, []
    for code in codes:
        name, _, value = str(code).partition(":")
        if name == "body":
            body = RegisteringBody(value) if value in set(RegisteringBody) else None
        elif name in set(CredentialProblem):
            problems.append((CredentialProblem(name), value))
    return ParsedCodes(body, tuple(problems))


def credential_status(
    *,
    registration_number: str,
    verified: bool,
    expires_on: date | None,
    today: date,
    qualification: str | None = None,
) -> CredentialStatus:
    """Every reason the practitioner is not credentialed on `today` (none means credentialed).

    A registration is valid through its expiry date inclusive. With a `qualification`, one no
    council registers (`REGISTERING_BODY`) is a problem too.
    """
    problems = []
    body = registering_body(qualification) if qualification is not None else None
    if qualification is not None and body is None:
        problems.append(CredentialProblem.NO_REGISTERING_BODY)
    if not registration_number:
        problems.append(CredentialProblem.NO_REGISTRATION)
    if not verified:
        problems.append(CredentialProblem.UNVERIFIED)
    if expires_on is None:
        problems.append(CredentialProblem.NO_EXPIRY)
    elif expires_on < today:
        problems.append(CredentialProblem.EXPIRED)
    return CredentialStatus(tuple(problems), body=body, expires_on=expires_on)


class Step(StrEnum):
    """The steps of the pathway a clinic's policy names recorders for."""

    CONSULTATION = "consultation"
    PLAN = "plan"
    OVERRIDE = "override"
    PATCH_TEST = "patch_test"
    SESSION = "session"


def qualifications_for(policy, step: str) -> frozenset[str]:
    """The qualifications `policy` (the clinic's JSON setting) allows for `step`. Anything
    malformed (not a mapping, the step missing, not a list of strings) allows nobody."""
    if not isinstance(policy, Mapping):
        return frozenset()
    value = policy.get(str(step))
    if not isinstance(value, list | tuple) or not all(isinstance(q, str) for q in value):
        return frozenset()
    return frozenset(value)


def recording_problems(
    *,
    status: CredentialStatus | None,
    qualification: str,
    member: bool,
    allowed: frozenset[str] | set[str],
) -> tuple[CredentialProblem, ...]:
    """Every reason this person may not record a step at this clinic (none means they may):
    their registration's problems, not working at the clinic, or a qualification the clinic's
    policy does not allow for the step. No practitioner record at all (`status` None) means no
    registration, and no qualification to name.
    """
    problems = list(status.problems) if status is not None else [CredentialProblem.NO_REGISTRATION]
    if not member:
        problems.append(CredentialProblem.NOT_MEMBER)
    if status is not None and qualification not in allowed:
        problems.append(CredentialProblem.QUALIFICATION_NOT_ALLOWED)
    return tuple(problems)


def normalize_registration_number(raw: str) -> str:
    """Fold Urdu digits to ASCII, upper-case, and drop spaces: "  12345-p " -> "12345-P".

    Deliberately no pattern check (the councils' formats are unverified): verification is human.
    """
    return "".join(fold_digits(raw).upper().split())
