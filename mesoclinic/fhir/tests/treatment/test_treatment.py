"""CarePlan, Procedure and MedicationAdministration: a course, its charted sessions and the
lots given in them, read and searched as a FHIR client would, with data built through the care
services. Clinical records: no receptionist, no other clinic, no archived patient."""

from datetime import datetime

import pytest
from django.utils import timezone

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.care.models import Course
from mesoclinic.care.services.course_status import set_course_status
from mesoclinic.fhir.mapping.treatment import INTRADERMAL, PRODUCT_SYSTEM
from mesoclinic.fhir.tests.treatment.conftest import chart_session, read, search
from mesoclinic.patients.services import archive_patient

pytestmark = pytest.mark.django_db


def test_it_reads_a_course_as_a_care_plan_with_its_sessions_and_components(reader, charted):
    plan = read(reader, f"CarePlan/{charted.course_id}")
    assert plan["resourceType"] == "CarePlan"
    assert (plan["status"], plan["intent"]) == ("active", "plan")
    assert plan["subject"] == {"reference": f"Patient/{charted.patient_id}"}
    assert plan["addresses"] == [{"reference": f"Condition/{charted.course.consultation_id}"}]
    assert plan["period"]["start"] == charted.started_at.astimezone().date().isoformat()
    components = [a for a in plan["activity"] if a["detail"].get("kind") == "MedicationRequest"]
    assert components[0]["detail"]["quantity"]["code"] == "mL"
    assert components[0]["detail"]["status"] == "in-progress"
    sessions = [a for a in plan["activity"] if "kind" not in a["detail"]]
    assert len(sessions) == 6
    assert sessions[0]["detail"]["status"] == "completed"
    assert sessions[0]["outcomeReference"] == [{"reference": f"Procedure/{charted.pk}"}]
    assert {s["detail"]["status"] for s in sessions[1:]} == {"scheduled"}
    assert AuditEvent.objects.filter(
        action="view", interface="fhir", object_type="care.course", object_id=str(charted.course_id)
    ).exists()


def test_it_reads_a_session_as_a_completed_procedure_based_on_its_care_plan(
    reader, charted, dermatologist
):
    procedure = read(reader, f"Procedure/{charted.pk}")
    assert procedure["status"] == "completed"
    assert procedure["basedOn"] == [{"reference": f"CarePlan/{charted.course_id}"}]
    assert procedure["performer"][0]["actor"] == {"reference": f"Practitioner/{dermatologist.pk}"}
    assert procedure["bodySite"][0]["coding"][0]["code"] == "cheek_left"
    assert procedure["performedPeriod"]["start"].endswith("Z")
    assert "40 injection points" in procedure["note"][0]["text"]


def test_it_reads_each_lot_given_as_an_intradermal_medication_administration(
    reader, charted, lot_a
):
    line = charted.products.get()
    given = read(reader, f"MedicationAdministration/{line.pk}")
    assert given["status"] == "completed"
    assert given["partOf"] == [{"reference": f"Procedure/{charted.pk}"}]
    assert given["dosage"]["route"]["coding"] == [INTRADERMAL]
    assert given["dosage"]["dose"] == {
        "value": 2,
        "unit": "mL",
        "system": "http://unitsofmeasure.org",
        "code": "mL",
    }
    medication = given["contained"][0]
    assert given["medicationReference"] == {"reference": f"#{medication['id']}"}
    assert medication["batch"] == {
        "lotNumber": lot_a.lot_number,
        "expirationDate": lot_a.expires_on.isoformat(),
    }
    assert medication["code"]["coding"][0]["system"] == PRODUCT_SYSTEM


@pytest.mark.parametrize("type_name", ["CarePlan", "Procedure", "MedicationAdministration"])
def test_it_answers_another_clinics_reader_with_404_and_an_empty_search(
    fhir_as, outsider, charted, type_name
):
    ident = {
        "CarePlan": charted.course_id,
        "Procedure": charted.pk,
        "MedicationAdministration": charted.products.get().pk,
    }[type_name]
    api = fhir_as(outsider)
    assert api.fhir_get(f"{type_name}/{ident}").status_code == 404
    assert search(api, type_name) == []


@pytest.mark.parametrize("type_name", ["CarePlan", "Procedure", "MedicationAdministration"])
def test_it_shows_a_receptionist_no_treatment_record(fhir_as, receptionist, charted, type_name):
    ident = {
        "CarePlan": charted.course_id,
        "Procedure": charted.pk,
        "MedicationAdministration": charted.products.get().pk,
    }[type_name]
    api = fhir_as(receptionist)
    assert api.fhir_get(f"{type_name}/{ident}").status_code == 404
    assert search(api, type_name) == []


def test_it_hides_an_archived_patients_treatment(reader, charted, administrator, patient_a):
    archive_patient(
        acting_user=administrator, via=Interface.WEB, patient=patient_a, reason="Moved away."
    )
    for type_name in ("CarePlan", "Procedure", "MedicationAdministration"):
        assert search(reader, type_name) == [], type_name
    assert reader.fhir_get(f"Procedure/{charted.pk}").status_code == 404


def test_it_searches_care_plans_by_patient_status_intent_and_date(
    reader, charted, dermatologist, make_patient, clinic_a
):
    course = str(charted.course_id)
    other = make_patient(clinic_a)
    assert search(reader, "CarePlan", {"patient": f"Patient/{charted.patient_id}"}) == [course]
    assert search(reader, "CarePlan", {"subject": f"Patient/{other.pk}"}) == []
    assert search(reader, "CarePlan", {"status": "active"}) == [course]
    assert search(reader, "CarePlan", {"status": "revoked"}) == []
    assert search(reader, "CarePlan", {"intent": "plan"}) == [course]
    assert search(reader, "CarePlan", {"intent": "order"}) == []
    today = timezone.localtime(charted.started_at).date().isoformat()
    assert search(reader, "CarePlan", {"date": today}) == [course]
    assert search(reader, "CarePlan", {"date": f"gt{today}"}) == []
    set_course_status(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        course=Course.objects.get(pk=charted.course_id),
        status=Course.Status.CANCELLED,
        reason="Patient moved to Lahore.",
    )
    assert search(reader, "CarePlan", {"status": "revoked"}) == [course]


def test_it_searches_procedures_by_patient_date_status_based_on_and_performer(
    reader, charted, dermatologist
):
    session = str(charted.pk)
    today = timezone.localtime(charted.started_at).date().isoformat()
    assert search(reader, "Procedure", {"patient": str(charted.patient_id)}) == [session]
    assert search(reader, "Procedure", {"date": today}) == [session]
    assert search(reader, "Procedure", {"date": f"lt{today}"}) == []
    assert search(reader, "Procedure", {"status": "completed"}) == [session]
    assert search(reader, "Procedure", {"status": "entered-in-error"}) == []
    assert search(reader, "Procedure", {"based-on": f"CarePlan/{charted.course_id}"}) == [session]
    assert search(reader, "Procedure", {"based-on": "CarePlan/0"}) == []
    assert search(reader, "Procedure", {"performer": f"Practitioner/{dermatologist.pk}"}) == [
        session
    ]


def test_it_searches_administrations_by_patient_time_status_procedure_and_lot_number(
    reader, charted, lot_a
):
    line = str(charted.products.get().pk)
    today = timezone.localtime(charted.started_at).date().isoformat()
    params = [
        ({"patient": f"Patient/{charted.patient_id}"}, [line]),
        ({"effective-time": today}, [line]),
        ({"effective-time": f"gt{today}"}, []),
        ({"status": "completed"}, [line]),
        ({"part-of": f"Procedure/{charted.pk}"}, [line]),
        ({"lot-number": lot_a.lot_number}, [line]),
        ({"lot-number": "NO-SUCH-LOT"}, []),
    ]
    for query, expected in params:
        assert search(reader, "MedicationAdministration", query) == expected, query


def test_it_declares_the_lot_number_search_in_the_capability_statement(client):
    body = client.get("/fhir/R4/metadata").json()
    resources = {item["type"]: item for item in body["rest"][0]["resource"]}
    assert {"CarePlan", "Procedure", "MedicationAdministration", "AdverseEvent"} <= set(resources)
    names = {p["name"] for p in resources["MedicationAdministration"]["searchParam"]}
    assert {"lot-number", "patient", "effective-time", "status"} <= names


def test_it_moves_the_care_plans_version_when_the_course_is_paused(reader, charted, dermatologist):
    before = read(reader, f"CarePlan/{charted.course_id}")["meta"]
    set_course_status(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        course=Course.objects.get(pk=charted.course_id),
        status=Course.Status.PAUSED,
        reason="Travelling for a month.",
    )
    after = read(reader, f"CarePlan/{charted.course_id}")
    assert after["status"] == "on-hold"
    assert after["meta"]["versionId"] != before["versionId"]
    assert after["meta"]["lastUpdated"] >= before["lastUpdated"]
    assert search(reader, "CarePlan", {"_lastUpdated": f"ge{after['meta']['lastUpdated']}"}) == [
        str(charted.course_id)
    ]


def test_it_moves_the_care_plans_version_when_a_session_is_charted(
    reader, charted, dermatologist, lot_a
):
    from datetime import timedelta

    from mesoclinic.care.models import TreatmentSession

    before = read(reader, f"CarePlan/{charted.course_id}")["meta"]["versionId"]
    # The first session a fortnight ago, so the second is due today.
    earlier = charted.started_at - timedelta(days=14)
    TreatmentSession.objects.filter(pk=charted.pk).update(started_at=earlier, ended_at=earlier)
    second = chart_session(dermatologist.user, Course.objects.get(pk=charted.course_id), lot_a)
    plan = read(reader, f"CarePlan/{charted.course_id}")
    assert plan["meta"]["versionId"] != before
    done = [a for a in plan["activity"] if a.get("outcomeReference")]
    assert [a["outcomeReference"][0]["reference"] for a in done] == [
        f"Procedure/{charted.pk}",
        f"Procedure/{second.pk}",
    ]


@pytest.mark.parametrize("type_name", ["Procedure", "MedicationAdministration"])
def test_it_searches_charted_records_by_last_updated_as_the_time_they_were_entered(
    reader, charted, type_name
):
    entered = read(reader, f"Procedure/{charted.pk}")["meta"]["lastUpdated"]
    assert len(search(reader, type_name, {"_lastUpdated": f"ge{entered[:19]}Z"})) == 1
    # A date alone is a day of the clinic's calendar (the server's time zone), not of UTC.
    day = timezone.localtime(datetime.fromisoformat(entered)).date().isoformat()
    assert search(reader, type_name, {"_lastUpdated": f"gt{day}"}) == []
