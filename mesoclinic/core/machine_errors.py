"""Errors answered before a view runs (a middleware's refusal), in the shape the machine
interfaces promise: the JSON API's `{"detail": …}` under /api/, a FHIR OperationOutcome under
/fhir/ (written out here: core knows no FHIR app). None elsewhere: the caller draws its page."""

from django.http import JsonResponse


def machine_error(request, message: str, *, status: int, code: str) -> JsonResponse | None:
    """`code` is the FHIR issue type (http://hl7.org/fhir/ValueSet/issue-type)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    if request.path.startswith("/fhir/"):
        outcome = {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": message}],
        }
        return JsonResponse(outcome, status=status, content_type="application/fhir+json")
    return None
