"""AdverseEvent: a harm after a session, opened, graded and closed through the care services,
read and searched as a FHIR client would. The CTCAE grade travels in an extension; R4's
three-step severity is derived from it."""

import pytest

from mesoclinic.audit.services import Interface
from mesoclinic.care.models import AdverseEvent
from mesoclinic.care.services.adverse_events import (
    close_adverse_event,
    open_adverse_event,
    set_grade,
)
from mesoclinic.fhir.mapping.adverse import CTCAE_GRADE, seriousness_of, severity_of
from mesoclinic.fhir.tests.treatment.conftest import read, search

pytestmark = pytest.mark.django_db


def open_event(session, *, grade=2, effects=("swelling",)):
    event, _created = open_adverse_event(
        acting_user=None,
        via=Interface.PUBLIC,
        session=session,
        triggers=["grade"],
        effects=list(effects),
        grade=grade,
        checklist=["review_in_person"],
        source=AdverseEvent.Source.PATIENT,
    )
    return event


@pytest.fixture
def event(charted):
    """Grade 2 swelling the patient reported after the charted session (it pauses the course)."""
    return open_event(charted)


@pytest.mark.parametrize(
    ("grade", "outcome", "severity", "seriousness"),
    [
        (None, "", None, None),
        (1, "", "mild", "Non-serious"),
        (2, "", "moderate", "Non-serious"),
        (3, "", "severe", "Serious"),
        (4, "", "severe", "Serious"),
        (5, "fatal", "severe", "Serious"),
        (2, "fatal", "moderate", "Serious"),
    ],
)
def test_it_derives_severity_and_seriousness_from_the_ctcae_grade(
    grade, outcome, severity, seriousness
):
    assert severity_of(grade) == severity
    assert seriousness_of(grade, outcome) == seriousness


def test_it_reads_an_open_event_with_its_grade_severity_and_suspects(reader, event, charted):
    resource = read(reader, f"AdverseEvent/{event.pk}")
    assert resource["actuality"] == "actual"
    assert resource["subject"] == {"reference": f"Patient/{charted.patient_id}"}
    assert resource["extension"] == [{"url": CTCAE_GRADE, "valueInteger": 2}]
    assert resource["severity"]["coding"][0]["code"] == "moderate"
    assert resource["seriousness"]["coding"][0]["code"] == "Non-serious"
    assert resource["outcome"]["coding"][0]["code"] == "ongoing"
    assert resource["event"]["coding"][0]["code"] == "swelling"
    assert resource["recorder"] == {"reference": f"Patient/{charted.patient_id}"}
    line = charted.products.get()
    assert resource["suspectEntity"] == [
        {"instance": {"reference": f"Procedure/{charted.pk}"}},
        {"instance": {"reference": f"MedicationAdministration/{line.pk}"}},
    ]
    assert resource["identifier"]["value"] == f"AE-{event.pk}"


def test_it_moves_the_version_when_the_event_is_graded_and_closed(reader, event, dermatologist):
    first = read(reader, f"AdverseEvent/{event.pk}")["meta"]["versionId"]
    set_grade(acting_user=dermatologist.user, via=Interface.FHIR, event=event, grade=4)
    graded = read(reader, f"AdverseEvent/{event.pk}")
    assert graded["meta"]["versionId"] != first
    assert graded["extension"][0]["valueInteger"] == 4
    assert graded["severity"]["coding"][0]["code"] == "severe"
    assert graded["seriousness"]["coding"][0]["code"] == "Serious"
    close_adverse_event(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        event=event,
        outcome=AdverseEvent.Outcome.RESOLVED,
        note="Settled with cold compresses.",
    )
    closed = read(reader, f"AdverseEvent/{event.pk}")
    assert closed["meta"]["versionId"] != graded["meta"]["versionId"]
    assert closed["outcome"]["coding"][0]["code"] == "resolved"
    assert closed["contributor"] == [{"reference": f"Practitioner/{dermatologist.pk}"}]


def test_it_moves_the_care_plans_version_when_an_event_pauses_the_course(reader, charted):
    before = read(reader, f"CarePlan/{charted.course_id}")
    assert before["status"] == "active"
    open_event(charted)
    after = read(reader, f"CarePlan/{charted.course_id}")
    assert after["status"] == "on-hold"
    assert after["meta"]["versionId"] != before["meta"]["versionId"]


def test_it_searches_events_by_patient_date_seriousness_severity_and_actuality(
    reader, event, charted, dermatologist
):
    found = [str(event.pk)]
    today = event.opened_at.astimezone().date().isoformat()
    params = [
        ({"patient": f"Patient/{charted.patient_id}"}, found),
        ({"subject": f"Patient/{charted.patient_id}"}, found),
        ({"subject": "Patient/0"}, []),
        ({"date": today}, found),
        ({"date": f"gt{today}"}, []),
        ({"seriousness": "Non-serious"}, found),
        ({"seriousness": "Serious"}, []),
        ({"severity": "moderate"}, found),
        ({"severity": "mild,severe"}, []),
        ({"actuality": "actual"}, found),
        ({"actuality": "potential"}, []),
    ]
    for query, expected in params:
        assert search(reader, "AdverseEvent", query) == expected, query
    set_grade(acting_user=dermatologist.user, via=Interface.WEB, event=event, grade=3)
    assert search(reader, "AdverseEvent", {"seriousness": "Serious"}) == found
    assert search(reader, "AdverseEvent", {"severity": "severe"}) == found


def test_it_answers_another_clinic_and_a_receptionist_with_404_and_nothing(
    fhir_as, outsider, receptionist, event
):
    for user in (outsider, receptionist):
        api = fhir_as(user)
        assert api.fhir_get(f"AdverseEvent/{event.pk}").status_code == 404
        assert search(api, "AdverseEvent") == []
