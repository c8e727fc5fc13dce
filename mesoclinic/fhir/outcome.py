"""OperationOutcome: how FHIR says what went wrong. Pure: no Django.

Every error the server answers is one of these, with the HTTP status the FHIR RESTful API
(http://hl7.org/fhir/R4/http.html) gives it; the issue codes come from the required value set
http://hl7.org/fhir/ValueSet/issue-type."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


def issue(
    code: str,
    diagnostics: str,
    *,
    severity: str = "error",
    expression: Sequence[str] = (),
) -> dict:
    """One issue. `expression` names the elements at fault in FHIRPath ("Patient.identifier[0]")."""
    item = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if expression:
        item["expression"] = list(expression)
    return item


def outcome(issues: Iterable[dict]) -> dict:
    return {"resourceType": "OperationOutcome", "issue": list(issues)}


@dataclass
class FhirError(Exception):
    """Raised anywhere below a FHIR view: the view answers `status` with an OperationOutcome of
    `issues`. Build it with one of the helpers below so the status and the code agree."""

    status: int
    issues: list[dict]
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(item["diagnostics"] for item in self.issues)


def invalid(diagnostics: str, *, expression: Sequence[str] = (), code: str = "invalid"):
    """400: the request or resource cannot be understood as sent."""
    return FhirError(400, [issue(code, diagnostics, expression=expression)])


def unprocessable(issues: list[dict]):
    """422: a well-formed resource our rules refuse (a wrong CNIC, an unknown gender code)."""
    return FhirError(422, issues)


def not_found(diagnostics: str):
    return FhirError(404, [issue("not-found", diagnostics)])


def gone(diagnostics: str):
    return FhirError(410, [issue("deleted", diagnostics)])


def conflict(diagnostics: str, *, expression: Sequence[str] = ()):
    """409: the resource would duplicate one that exists (a CNIC already registered)."""
    return FhirError(409, [issue("duplicate", diagnostics, expression=expression)])


def precondition_failed(diagnostics: str):
    """412: a conditional request's condition did not hold (If-None-Exist matched several,
    If-Match names an older version)."""
    return FhirError(412, [issue("conflict", diagnostics)])


def forbidden(diagnostics: str):
    return FhirError(403, [issue("forbidden", diagnostics)])
