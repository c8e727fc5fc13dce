"""FHIR over HTTP: `application/fhir+json` in and out, and every error as an OperationOutcome
with the status http://hl7.org/fhir/R4/http.html gives it (never DRF's `{"detail": …}`)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from mesoclinic.fhir.outcome import FhirError, invalid, issue, outcome
from mesoclinic.restapi.parsers import SafeJSONParser

MEDIA_TYPE = "application/fhir+json"


class FhirJSONRenderer(JSONRenderer):
    media_type = MEDIA_TYPE
    format = "json"
    charset = "utf-8"


class FhirJSONParser(SafeJSONParser):
    """FHIR JSON, and plain JSON from clients that send it. A NUL character anywhere in it is a
    400: FHIR strings hold no control characters but tab and line ends, and PostgreSQL cannot
    store or compare text holding one (it would fail as a 500 in a query)."""

    media_type = MEDIA_TYPE

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        root = data.get("resourceType") if isinstance(data, dict) else None
        try:
            where = nul_path(data, root if isinstance(root, str) else "$")
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from None
        if where is not None:
            raise invalid(f"{where}: null characters are not allowed.", expression=[where])
        return data


class PlainJSONParser(FhirJSONParser):
    media_type = "application/json"


def nul_path(value, path: str) -> str | None:
    """Where the first NUL character is, as a FHIRPath (`Patient.name[0].family`), or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return path
            found = nul_path(item, f"{path}.{key}")
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = nul_path(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


class AlwaysFhirJSON(BaseContentNegotiation):
    """Every answer is FHIR JSON, whatever `Accept` or `_format` say (XML is not offered: the
    CapabilityStatement lists json only); a 406 would help no client."""

    def select_parser(self, request, parsers):
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        for parser in parsers:
            if parser.media_type == content_type:
                return parser
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


#: DRF's errors as (status, issue code). 401 and 403 keep their own statuses.
_DRF_CODES = {
    exceptions.NotAuthenticated: "login",
    exceptions.AuthenticationFailed: "login",
    exceptions.PermissionDenied: "forbidden",
    exceptions.NotFound: "not-found",
    exceptions.MethodNotAllowed: "not-supported",
    exceptions.UnsupportedMediaType: "not-supported",
    exceptions.NotAcceptable: "not-supported",
    exceptions.Throttled: "throttled",
    exceptions.ParseError: "structure",
    exceptions.ValidationError: "invalid",
}


def exception_handler(exc, context):
    """The FHIR views' exception handler (`get_exception_handler`)."""
    if isinstance(exc, FhirError):
        return Response(outcome(exc.issues), status=exc.status, headers=exc.headers)
    if isinstance(exc, ValidationError):
        return Response(outcome(validation_issues(exc)), status=422)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.APIException):
        code = next(
            (value for kind, value in _DRF_CODES.items() if isinstance(exc, kind)), "exception"
        )
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        return Response(
            outcome([issue(code, _text(exc.detail))]), status=exc.status_code, headers=headers
        )
    return None


def validation_issues(exc: ValidationError) -> list[dict]:
    """A service's refusal: one issue per message, naming its field when it has one."""
    if not hasattr(exc, "error_dict"):
        return [issue("business-rule", message) for message in exc.messages]
    issues = []
    for name, errors in exc.message_dict.items():
        for message in errors:
            issues.append(issue("business-rule" if name == "__all__" else "invalid", message))
    return issues


def _text(detail) -> str:
    if isinstance(detail, dict):
        return " ".join(f"{key}: {_text(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_text(item) for item in detail)
    return str(detail)
