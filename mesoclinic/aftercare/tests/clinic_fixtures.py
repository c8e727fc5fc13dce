"""State for the clinic's aftercare pages, built through the services: more patients charted
on a lot, a check-in answered as the patient would, an outsider practitioner at clinic B."""

import pytest

from mesoclinic.aftercare.models import CheckIn
from mesoclinic.aftercare.services import checkins
from mesoclinic.audit.services import Interface
from mesoclinic.care.models import AdverseEvent
from mesoclinic.care.tests.conftest import chart_session


@pytest.fixture
def derm_b(make_practitioner, clinic_b):
    """A credentialed dermatologist at clinic B: reads clinical records, but not clinic A's."""
    return make_practitioner("derm_b", clinic_b)


@pytest.fixture
def chart_another(make_patient, make_ready, dermatologist, clinic_a, lot_a):
    """chart_another(lot=lot_a): a new patient at clinic A, made ready and charted."""

    def make(lot=None):
        patient = make_patient(clinic_a)
        course = make_ready(patient, lot or lot_a)
        return chart_session(dermatologist.user, course, lot or lot_a)

    return make


def answer(session, *, code="swelling", self_grade=2, hours=72, skin="worried", **effect):
    """The patient answers the session's check-in at `hours` from their link."""
    check_in = CheckIn.objects.get(session=session, hours_after=hours)
    decision = checkins.answer_check_in(
        acting_user=None,
        via=Interface.PUBLIC,
        check_in=check_in,
        answers=checkins.Answers(
            skin=skin,
            effects=(checkins.EffectAnswer(code=code, self_grade=self_grade, **effect),)
            if code
            else (),
        ),
        channel=CheckIn.Channel.LINK,
    )
    check_in.refresh_from_db()
    return check_in, decision


def escalated(session, **kwargs) -> AdverseEvent:
    """A grade-2 swelling reported on the session's 72-hour check-in: an open event."""
    check_in, decision = answer(session, **kwargs)
    assert decision.escalate
    return check_in.adverse_event
