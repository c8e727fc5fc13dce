"""Credential problems in the staff's language: which council, which date, which step. The
codes come from `clinics.credentials` (a practitioner's status, or a refusal to record a step,
or a gate failure's detail); a code this module does not know is left out, never a 500."""

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mesoclinic.clinics.credentials import CredentialProblem, RegisteringBody, Step, parse_codes

#: The councils' short names, as practitioners and patients know them.
BODY_NAMES = {RegisteringBody.PMDC: "PMDC", RegisteringBody.PNMC: "PNMC"}

#: What each step is called in a refusal ("… may not record consultations").
STEP_NAMES = {
    Step.CONSULTATION: gettext_lazy("consultations"),
    Step.PLAN: gettext_lazy("treatment plans"),
    Step.OVERRIDE: gettext_lazy("dose overrides"),
    Step.PATCH_TEST: gettext_lazy("patch tests"),
    Step.SESSION: gettext_lazy("sessions"),
}


def body_name(body) -> str:
    return BODY_NAMES.get(body, "") if body else ""


def _qualification(code: str) -> str:
    from mesoclinic.clinics.models import Practitioner

    return str(dict(Practitioner.Qualification.choices).get(code, code))


def _on(value: str) -> str:
    try:
        return date_format(date.fromisoformat(value), "j M Y")
    except ValueError:
        return value


def _message(problem: CredentialProblem, value: str, body: str, step) -> str:
    match problem:
        case CredentialProblem.NO_REGISTRATION:
            if body:
                return _("No %(body)s registration number is recorded.") % {"body": body}
            return _("No registration number is recorded.")
        case CredentialProblem.NO_REGISTERING_BODY:
            return _(
                "This qualification is registered by neither the PMDC nor the PNMC, so it "
                "cannot be credentialed."
            )
        case CredentialProblem.UNVERIFIED:
            if body:
                return _("The %(body)s registration has not been verified.") % {"body": body}
            return _("The registration has not been verified.")
        case CredentialProblem.NO_EXPIRY:
            return _("The registration's expiry date is not recorded.")
        case CredentialProblem.EXPIRED:
            if value and body:
                return _("The %(body)s registration expired on %(date)s.") % {
                    "body": body,
                    "date": _on(value),
                }
            return _("The registration has expired.")
        case CredentialProblem.NOT_MEMBER:
            return _("The practitioner does not work at this clinic.")
        case CredentialProblem.QUALIFICATION_NOT_ALLOWED:
            params = {"qualification": _qualification(value), "step": STEP_NAMES.get(step, "")}
            if value and step in STEP_NAMES:
                return (
                    _(
                        "The clinic's policy does not let this qualification "
                        "(%(qualification)s) record %(step)s."
                    )
                    % params
                )
            return _("The clinic's policy does not allow this qualification for this step.")
        case CredentialProblem.PROCEDURE_NOT_ALLOWED:
            if value:
                return _(
                    "The clinic's policy does not let this qualification (%(qualification)s) give "
                    "this procedure."
                ) % {"qualification": _qualification(value)}
            return _("The clinic's policy does not allow this qualification this procedure.")
    return ""  # pragma: no cover - every problem is matched above


def credential_messages(codes, *, step=None) -> list[str]:
    """One message per problem, in the rule's order, naming the council and the date."""
    parsed = parse_codes(codes)
    body = body_name(parsed.body)
    order = list(CredentialProblem)
    problems = sorted(parsed.problems, key=lambda item: order.index(item[0]))
    return [text for p, v in problems if (text := _message(p, v, body, step))]
