"""Access gates for the care pages: the role decides the page, scoping decides the rows."""

from django.shortcuts import render

from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.audit.services import Action, Interface, record_event
from mesoclinic.care import access, selectors
from mesoclinic.clinics import scoping
from mesoclinic.clinics.messages import credential_messages


class ClinicalReadMixin(StaffRequiredMixin):
    """A page of clinical records: a role the scoping rule gives none of them (a receptionist)
    gets 403 here, and the records themselves come through `for_user`, the same rule."""

    def has_access(self, user) -> bool:
        return scoping.reaches(user, scoping.Kind.CLINICAL)


class ClinicalWriteMixin(StaffRequiredMixin):
    def has_access(self, user) -> bool:
        return access.can_record_clinical(user)


class ConsentMixin(StaffRequiredMixin):
    def has_access(self, user) -> bool:
        return scoping.reaches(user, scoping.Kind.CONSENT)


def steps_for(user, clinic_id) -> dict[str, bool]:
    """Which steps the user may record at the clinic, for showing only the buttons they may
    use (the services refuse the rest anyway). No queries for roles that record nothing."""
    if not access.can_record_clinical(user):
        return {}
    return selectors.steps_allowed(user, clinic_id)


def refusal(user, clinic_id, step) -> list[str]:
    """Why `user` may not record `step` at the clinic, for a form page to say before anything is
    typed (the service refuses the same on saving); empty when they may."""
    person = selectors.recorder(user, clinic_id)
    problems = person.problems(step)
    return credential_messages(person.codes(problems), step=step) if problems else []


def no_store(response):
    """Patient files and pages with clinical detail are never kept by browsers or proxies."""
    response["Cache-Control"] = "private, no-store"
    return response


def audit_shown(user, record, *, clinic_id=None) -> None:
    """A page re-shown after a refused write still shows the record: that read is audited."""
    record_event(
        actor=user, action=Action.VIEW, via=Interface.WEB, instance=record, clinic_id=clinic_id
    )


def pdf_unavailable(request):
    """The printer could not print: 503 with a page that says the record itself is safe."""
    response = render(request, "care/pdf_unavailable.html", status=503)
    response["Retry-After"] = "60"
    return response
