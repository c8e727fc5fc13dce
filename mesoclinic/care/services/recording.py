"""Who may record which step of the pathway at a clinic.

The facts (the user's practitioner record and its credential, whether they work at the clinic,
the clinic's `CareSettings.recording_qualifications`) are read by `care.selectors.recorder` in
three queries; the pure rule (`clinics.credentials.recording_problems`) decides. The services
refuse with every problem named (`NotAllowedToRecord`, a ValidationError: never a 500); the
pages hide what a person may not use (`care.selectors.steps_allowed`).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mesoclinic.care import access
from mesoclinic.care.selectors import Recorder, recorder
from mesoclinic.clinics.credentials import Step
from mesoclinic.clinics.messages import credential_messages


class NotAllowedToRecord(ValidationError):
    """A refusal to record a step, every problem named (in the page's language)."""

    def __init__(self, step: Step, codes: tuple[str, ...]):
        self.step = step
        self.codes = codes
        super().__init__({"__all__": credential_messages(codes, step=step)})


def ensure_may_record(user, clinic_id: int, step: Step) -> Recorder:
    """Refuse (NotAllowedToRecord) unless `user` may record `step` at the clinic today."""
    person = recorder(user, clinic_id)
    if problems := person.problems(step):
        raise NotAllowedToRecord(step, person.codes(problems))
    return person


def override_refusals(user, clinic_id: int) -> list[str]:
    """Why `user` may not pass a limit while charting at the clinic (an interval, the plan's
    volume, a protocol limit, the day's total): the clinic's policy for overrides, then the
    formulary's own rule that only a credentialed dermatologist passes a protocol's limit.
    Empty when they may; the same two checks as a plan's override."""
    person = recorder(user, clinic_id)
    if problems := person.problems(Step.OVERRIDE):
        return credential_messages(person.codes(problems), step=Step.OVERRIDE)
    if access.can_justify(user) is None:
        return [str(_("Only a credentialed dermatologist may pass a protocol limit or interval."))]
    return []
