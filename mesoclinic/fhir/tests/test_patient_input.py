"""The reader of a FHIR Patient sent to create or update one (mapping/patient_input.py), without
a database: what it finds and the FHIRPath of each problem."""

from mesoclinic.fhir.mapping.common import CNIC_SYSTEM
from mesoclinic.fhir.mapping.patient_input import read_patient
from mesoclinic.fhir.tests.test_patient_writes import new_patient


def test_it_reads_a_well_formed_patient_without_problems():
    found = read_patient(new_patient())
    assert found.problems == []
    assert (found.fields["cnic"], found.fields["first_name"], found.fields["sex"]) == (
        "6110176543213",
        "Sana",
        "female",
    )
    assert found.paths["cnic"] == "Patient.identifier[1]"


def test_it_reads_a_second_cnic_as_a_problem():
    found = read_patient(
        new_patient(
            identifier=[
                {"system": CNIC_SYSTEM, "value": "6110176543213"},
                {"system": CNIC_SYSTEM, "value": "6110176543214"},
            ]
        )
    )
    assert [(p.kind, p.expression) for p in found.problems] == [("rule", "Patient.identifier[1]")]
    assert found.fields["cnic"] == "6110176543213"


def test_it_reads_managing_organization_references():
    found = read_patient(new_patient(managingOrganization={"reference": "Organization/7"}))
    assert found.organization == "7"
    bad = read_patient(new_patient(managingOrganization={"reference": "Location/7"}))
    assert bad.status == 400


def test_it_refuses_an_unknown_preferred_language():
    language = {"coding": [{"system": "urn:ietf:bcp:47", "code": "fr"}]}
    found = read_patient(new_patient(communication=[{"language": language}]))
    assert [p.expression for p in found.problems] == ["Patient.communication[0].language"]
