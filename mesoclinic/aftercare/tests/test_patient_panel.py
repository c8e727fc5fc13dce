"""The patient page's aftercare panel: a practitioner sees the check-ins and adverse events,
a receptionist sees none of it, in a fixed number of queries."""

import pytest
from django.urls import reverse

from mesoclinic.aftercare.models import CheckIn
from mesoclinic.aftercare.services import checkins
from mesoclinic.audit.services import Interface

pytestmark = pytest.mark.django_db


def _escalate(session):
    check_in = CheckIn.objects.get(session=session, hours_after=24)
    checkins.answer_check_in(
        acting_user=None,
        via=Interface.PUBLIC,
        check_in=check_in,
        answers=checkins.Answers(
            skin="worried", effects=(checkins.EffectAnswer(code="rash_hives", self_grade=1),)
        ),
        channel=CheckIn.Channel.LINK,
    )


def test_a_practitioner_sees_the_check_ins_and_the_open_event(client, charted, dermatologist):
    _escalate(charted)
    client.force_login(dermatologist.user)
    page = client.get(reverse("patients:detail", args=[charted.patient_id])).text
    assert 'id="aftercare"' in page
    assert page.count("<tr>") >= 3  # the three check-ins
    assert "AE-" in page and "escalated" in page


def test_a_receptionist_sees_no_aftercare(client, charted, receptionist):
    _escalate(charted)
    client.force_login(receptionist)
    page = client.get(reverse("patients:detail", args=[charted.patient_id])).text
    assert 'id="aftercare"' not in page and "AE-" not in page
