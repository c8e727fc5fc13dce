"""Who may record what at a clinic: a person's registration and membership as the clinic's
recording policy sees them (`care.services.recording` refuses on the same facts)."""

from dataclasses import dataclass

from django.utils import timezone

from mesoclinic.care.selectors.policy import care_settings
from mesoclinic.clinics import credentials
from mesoclinic.clinics.credentials import CredentialProblem, Step
from mesoclinic.clinics.models import Membership, Practitioner

#: Problems about the clinic and the step rather than the registration itself.
NOT_ALLOWED = {
    CredentialProblem.NOT_MEMBER,
    CredentialProblem.QUALIFICATION_NOT_ALLOWED,
    CredentialProblem.PROCEDURE_NOT_ALLOWED,
}


@dataclass(frozen=True)
class Recorder:
    """A person as the clinic's policy sees them, on one day."""

    practitioner: Practitioner | None
    member: bool
    status: credentials.CredentialStatus | None
    policy: object  # the clinic's recording_qualifications, as stored (maybe malformed)

    @property
    def qualification(self) -> str:
        return self.practitioner.qualification if self.practitioner else ""

    def problems(self, step: Step) -> tuple[CredentialProblem, ...]:
        return credentials.recording_problems(
            status=self.status,
            qualification=self.qualification,
            member=self.member,
            allowed=credentials.qualifications_for(self.policy, step),
        )

    def codes(self, problems) -> tuple[str, ...]:
        return credentials.codes_of(
            problems,
            body=self.status.body if self.status else None,
            expires_on=self.status.expires_on if self.status else None,
            qualification=self.qualification,
        )

    def may(self, step: Step) -> bool:
        return not self.problems(step)

    def steps_allowed(self) -> dict[str, bool]:
        """{step: may record it}, for the pages' buttons."""
        return {step.value: self.may(step) for step in Step}

    @property
    def credentialed_dermatologist(self) -> bool:
        return (
            self.qualification == Practitioner.Qualification.DERMATOLOGIST
            and self.status is not None
            and self.status.credentialed
        )


def recorder(user, clinic_id: int, *, on=None) -> Recorder:
    """The facts about `user` at `clinic_id` (three queries: practitioner, membership, the
    clinic's settings). A user with no practitioner record has no registration."""
    practitioner = Practitioner.objects.filter(user_id=user.pk).first()
    return Recorder(
        practitioner=practitioner,
        member=Membership.objects.filter(user_id=user.pk, clinic_id=clinic_id).exists(),
        status=practitioner.credential_status(on or timezone.localdate()) if practitioner else None,
        policy=care_settings(clinic_id).recording_qualifications,
    )


def steps_allowed(user, clinic_id: int) -> dict[str, bool]:
    """{step: may record it} for the pages' buttons (three queries for all steps)."""
    return recorder(user, clinic_id).steps_allowed()
