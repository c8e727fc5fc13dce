"""The validator every FHIR test uses (validator.py): valid R4 passes, each kind of fault fails."""

import copy

import pytest

from mesoclinic.fhir.tests import validator
from mesoclinic.fhir.tests.validator import assert_valid, problems

DIV = '<div xmlns="http://www.w3.org/1999/xhtml">A patient of the clinic</div>'
TERMINOLOGY = "http://terminology.hl7.org/CodeSystem"
NOW = "2026-12-07T10:00:00+05:00"

PATIENT = {
    "resourceType": "Patient",
    "id": "p1",
    "meta": {"lastUpdated": NOW},
    "text": {"status": "generated", "div": DIV},
    "identifier": [{"use": "usual", "system": "https://clinic.example/mrn", "value": "MRN-1"}],
    "active": True,
    "name": [{"use": "official", "family": "Khan", "given": ["Ayesha"]}],
    "telecom": [{"system": "phone", "value": "+923001234567", "use": "mobile"}],
    "gender": "female",
    "birthDate": "1990-02-03",
    "address": [{"use": "home", "city": "Lahore", "country": "PK"}],
    "communication": [
        {"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "ur"}]}, "preferred": True}
    ],
}


def concept(system, code):
    return {"coding": [{"system": f"{TERMINOLOGY}/{system}", "code": code}]}


VALID = [
    PATIENT,
    {
        "resourceType": "Practitioner",
        "id": "pr1",
        "active": True,
        "name": [{"family": "Ahmed", "given": ["Sara"], "prefix": ["Dr"]}],
        "gender": "female",
        "qualification": [{"code": {"text": "MBBS"}}],
    },
    {
        "resourceType": "PractitionerRole",
        "id": "r1",
        "active": True,
        "practitioner": {"reference": "Practitioner/pr1"},
        "organization": {"reference": "Organization/o1"},
        "location": [{"reference": "Location/l1"}],
        "availableTime": [
            {
                "daysOfWeek": ["mon", "tue"],
                "availableStartTime": "09:00:00",
                "availableEndTime": "17:00:00",
            }
        ],
    },
    {
        "resourceType": "Organization",
        "id": "o1",
        "active": True,
        "type": [concept("organization-type", "prov")],
        "name": "Clinic A",
        "telecom": [{"system": "email", "value": "a@clinic.example", "use": "work"}],
    },
    {
        "resourceType": "Location",
        "id": "l1",
        "status": "active",
        "mode": "instance",
        "name": "Room 1",
        "managingOrganization": {"reference": "Organization/o1"},
        "hoursOfOperation": [
            {"daysOfWeek": ["mon"], "openingTime": "09:00:00", "closingTime": "18:00:00"}
        ],
    },
    {
        "resourceType": "Condition",
        "id": "c1",
        "clinicalStatus": concept("condition-clinical", "active"),
        "verificationStatus": concept("condition-ver-status", "confirmed"),
        "code": {"text": "Melasma"},
        "subject": {"reference": "Patient/p1"},
        "recordedDate": "2026-12-01",
    },
    {
        "resourceType": "AllergyIntolerance",
        "id": "a1",
        "clinicalStatus": concept("allergyintolerance-clinical", "active"),
        "verificationStatus": concept("allergyintolerance-verification", "confirmed"),
        "type": "allergy",
        "category": ["medication"],
        "criticality": "high",
        "code": {"text": "Lidocaine"},
        "patient": {"reference": "Patient/p1"},
        "reaction": [{"manifestation": [{"text": "Hives"}], "severity": "moderate"}],
    },
    {
        "resourceType": "Consent",
        "id": "cn1",
        "status": "active",
        "scope": concept("consentscope", "treatment"),
        "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
        "patient": {"reference": "Patient/p1"},
        "dateTime": NOW,
        "policyRule": concept("v3-ActCode", "OPTIN"),
        "provision": {"type": "permit", "period": {"start": "2026-12-01"}},
    },
    {
        "resourceType": "CarePlan",
        "id": "cp1",
        "status": "active",
        "intent": "plan",
        "title": "Course of four sessions",
        "subject": {"reference": "Patient/p1"},
        "activity": [
            {
                "detail": {
                    "kind": "ServiceRequest",
                    "status": "scheduled",
                    "description": "Session 2",
                    "scheduledString": "In two weeks",
                }
            }
        ],
    },
    {
        "resourceType": "Procedure",
        "id": "pc1",
        "status": "completed",
        "code": {"text": "Mesotherapy session"},
        "subject": {"reference": "Patient/p1"},
        "performedDateTime": NOW,
        "performer": [{"actor": {"reference": "Practitioner/pr1"}}],
        "bodySite": [{"text": "Face"}],
    },
    {
        "resourceType": "MedicationAdministration",
        "id": "ma1",
        "status": "completed",
        "medicationCodeableConcept": {"text": "Hyaluronic acid 1%"},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": NOW,
        "performer": [{"actor": {"reference": "Practitioner/pr1"}}],
        "dosage": {
            "route": {"text": "Intradermal"},
            "dose": {
                "value": 2,
                "unit": "mL",
                "system": "http://unitsofmeasure.org",
                "code": "mL",
            },
        },
    },
    {
        "resourceType": "Observation",
        "id": "ob1",
        "status": "final",
        "category": [concept("observation-category", "survey")],
        "code": {"coding": [{"system": "http://loinc.org", "code": "72514-3"}], "text": "Pain"},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": NOW,
        "valueQuantity": {"value": 3, "comparator": "<=", "unit": "score"},
    },
    {
        "resourceType": "QuestionnaireResponse",
        "id": "qr1",
        "status": "completed",
        "questionnaire": "https://clinic.example/fhir/R4/Questionnaire/aftercare",
        "subject": {"reference": "Patient/p1"},
        "authored": NOW,
        "item": [
            {"linkId": "1", "text": "Pain", "answer": [{"valueInteger": 3}]},
            {
                "linkId": "2",
                "item": [
                    {
                        "linkId": "2.1",
                        "answer": [
                            {"valueBoolean": True, "item": [{"linkId": "2.1.1"}]},
                        ],
                    }
                ],
            },
        ],
    },
    {
        "resourceType": "Appointment",
        "id": "ap1",
        "status": "booked",
        "serviceType": [{"text": "Consultation"}],
        "start": NOW,
        "end": "2026-12-07T10:30:00+05:00",
        "minutesDuration": 30,
        "participant": [
            {"actor": {"reference": "Patient/p1"}, "required": "required", "status": "accepted"},
            {"actor": {"reference": "Practitioner/pr1"}, "status": "accepted"},
        ],
    },
    {
        "resourceType": "Slot",
        "id": "sl1",
        "schedule": {"reference": "Schedule/s1"},
        "status": "free",
        "start": NOW,
        "end": "2026-12-07T10:30:00+05:00",
    },
    {
        "resourceType": "Schedule",
        "id": "s1",
        "active": True,
        "actor": [{"reference": "Practitioner/pr1"}],
        "planningHorizon": {"start": NOW, "end": "2026-12-31T18:00:00+05:00"},
    },
    {
        "resourceType": "AdverseEvent",
        "id": "ae1",
        "actuality": "actual",
        "category": [concept("adverse-event-category", "product-use-error")],
        "event": {"text": "Bruising"},
        "subject": {"reference": "Patient/p1"},
        "date": NOW,
        "seriousness": concept("adverse-event-seriousness", "non-serious"),
        "severity": concept("adverse-event-severity", "mild"),
        "outcome": concept("adverse-event-outcome", "resolved"),
    },
    {
        "resourceType": "Bundle",
        "id": "b1",
        "type": "searchset",
        "total": 1,
        "link": [{"relation": "self", "url": "https://clinic.example/fhir/R4/Patient?_id=p1"}],
        "entry": [
            {
                "fullUrl": "https://clinic.example/fhir/R4/Patient/p1",
                "resource": PATIENT,
                "search": {"mode": "match"},
            }
        ],
    },
    {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "not-found", "diagnostics": "No such patient"}],
    },
    {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-07",
        "kind": "instance",
        "software": {"name": "mesoclinic"},
        "implementation": {"description": "mesoclinic", "url": "https://clinic.example/fhir/R4"},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "security": {"service": [concept("restful-security-service", "SMART-on-FHIR")]},
                "resource": [
                    {
                        "type": "Patient",
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "versioning": "no-version",
                        "conditionalRead": "not-supported",
                        "conditionalDelete": "not-supported",
                        "referencePolicy": ["literal"],
                        "searchParam": [
                            {"name": "_id", "type": "token"},
                            {"name": "name", "type": "string"},
                        ],
                    }
                ],
                "interaction": [{"code": "search-system"}],
            }
        ],
    },
]


def changed(resource, **fields):
    return {**copy.deepcopy(resource), **fields}


def with_problem(found, layer, path):
    return [p for p in found if p.startswith(f"[{layer}] {path}:")]


@pytest.mark.parametrize("resource", VALID, ids=[r["resourceType"] for r in VALID])
def test_it_accepts_a_valid_resource_of_each_type_we_serve(resource):
    assert_valid(resource)


def test_it_rejects_a_gender_outside_the_value_set():
    found = problems(changed(PATIENT, gender="unknownish"))

    assert with_problem(found, "value set", "Patient.gender")
    assert with_problem(found, "schema", "Patient.gender")


def test_it_rejects_an_impossible_birth_date():
    found = problems(changed(PATIENT, birthDate="2000-13-45"))

    assert with_problem(found, "schema", "Patient.birthDate")
    assert with_problem(found, "model", "Patient.birthDate")


def test_it_rejects_an_unknown_element_at_any_depth():
    patient = changed(PATIENT, favouriteColour="blue")
    patient["name"][0]["nickname"] = "Ash"

    found = problems(patient)

    assert with_problem(found, "model", "Patient.favouriteColour")
    assert with_problem(found, "model", "Patient.name[0].nickname")
    assert any(
        "'favouriteColour' was unexpected" in p for p in with_problem(found, "schema", "Patient")
    )
    assert any("'nickname' was unexpected" in p for p in found)


def test_it_names_the_entry_of_a_bundle_that_holds_an_invalid_resource():
    bundle = copy.deepcopy(VALID[-3])
    bundle["entry"].append(
        {"resource": changed(PATIENT, gender="unknownish"), "search": {"mode": "match"}}
    )

    found = problems(bundle)

    assert with_problem(found, "schema", "Bundle.entry[1].resource.gender")
    assert with_problem(found, "value set", "Bundle.entry[1].resource.gender")
    assert not [p for p in found if "entry[0]" in p]
    with pytest.raises(AssertionError, match=r"Bundle\.entry\[1\]\.resource\.gender"):
        assert_valid(bundle)


def test_it_rejects_an_operation_outcome_with_an_unknown_issue_code():
    outcome = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "oops"}]}

    found = problems(outcome)

    assert with_problem(found, "value set", "OperationOutcome.issue[0].code")
    assert with_problem(found, "schema", "OperationOutcome.issue[0].code")


def test_it_checks_codings_that_the_model_and_the_schema_let_through():
    condition = changed(VALID[5], clinicalStatus=concept("condition-clinical", "cured"))

    found = problems(condition)

    assert found == with_problem(found, "value set", "Condition.clinicalStatus")
    assert "http://terminology.hl7.org/CodeSystem/condition-clinical#active" in found[0]


def test_it_wants_a_coding_from_the_value_set_where_the_binding_is_required():
    condition = changed(VALID[5], verificationStatus={"text": "Confirmed"})

    assert with_problem(problems(condition), "value set", "Condition.verificationStatus")


def test_it_follows_choice_types_data_types_and_nested_items():
    observation = changed(VALID[11], valueQuantity={"value": 3, "comparator": "about"})
    patient = changed(PATIENT, telecom=[{"system": "pager-ish", "value": "1"}])
    questionnaire = {  # Questionnaire.item.item repeats Questionnaire.item (contentReference)
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [{"linkId": "1", "type": "group", "item": [{"linkId": "1.1", "type": "essay"}]}],
    }

    assert with_problem(problems(observation), "value set", "Observation.valueQuantity.comparator")
    assert with_problem(problems(patient), "value set", "Patient.telecom[0].system")
    assert with_problem(problems(questionnaire), "value set", "Questionnaire.item[0].item[0].type")


def test_it_checks_contained_resources():
    condition = changed(VALID[5], contained=[changed(PATIENT, id="x", gender="nope")])

    found = problems(condition)

    assert with_problem(found, "value set", "Condition.contained[0].gender")
    assert with_problem(found, "schema", "Condition.contained[0].gender")


def test_it_rejects_nulls_and_empty_values():
    found = problems(changed(PATIENT, gender=None, address=[], active=True, photo=[{}]))

    assert with_problem(found, "json", "Patient.gender")
    assert with_problem(found, "json", "Patient.address")
    assert with_problem(found, "json", "Patient.photo[0]")


def test_it_checks_the_capability_statement_codes():
    capability = copy.deepcopy(VALID[-1])
    capability["fhirVersion"] = "4.0.2"
    capability["format"] = ["fhir json"]
    capability["rest"][0]["resource"][0]["interaction"].append({"code": "patch-all"})

    found = problems(capability)

    assert with_problem(found, "value set", "CapabilityStatement.fhirVersion")
    assert with_problem(found, "value set", "CapabilityStatement.format[0]")
    assert with_problem(
        found, "value set", "CapabilityStatement.rest[0].resource[0].interaction[2].code"
    )


def test_it_is_not_a_resource_without_a_resource_type():
    assert problems({"id": "x"}) == [
        "[json] $: not a FHIR resource (an object with a resourceType)"
    ]
    assert with_problem(problems({"resourceType": "Patientish"}), "schema", "Patientish")


def test_it_tells_to_run_make_bootstrap_when_the_files_are_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(validator, "SCHEMA_FILE", tmp_path / "fhir.schema.json")
    validator._schema_definitions.cache_clear()
    validator._schema_validator.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match="run `make bootstrap`"):
            problems(PATIENT)
    finally:
        validator._schema_definitions.cache_clear()
        validator._schema_validator.cache_clear()


def test_it_uses_a_schema_nowhere_stricter_than_r4_4_0_1_for_the_types_we_serve():
    """The schema on npm is 4.0.0's: walk it beside the 4.0.1 StructureDefinitions, from each
    type we serve down through its backbone elements and data types, and find no element the
    schema lacks and no enum that differs from the 4.0.1 required value set, but one."""
    definitions = validator._definitions()
    schema = validator._schema_definitions()
    children = {}
    for path in definitions.elements:
        if "." in path:
            children.setdefault(path.rsplit(".", 1)[0], []).append(path)
    stricter, seen = [], set()
    pending = [(r["resourceType"], r["resourceType"]) for r in VALID]
    while pending:
        name, base = pending.pop()
        if (name, base) in seen:
            continue
        seen.add((name, base))
        properties = schema[name]["properties"]
        for path in children.get(base, []):
            element = definitions.elements[path]
            key = path.rsplit(".", 1)[1]
            names = [key]
            if key.endswith("[x]"):
                names = [key[:-3] + t[0].upper() + t[1:] for t in element.types]
            for json_name in names:
                if json_name not in properties:
                    stricter.append(f"{path}: {json_name} is not in the schema")
                    continue
                prop = properties[json_name].get("items", properties[json_name])
                target = element.content_reference or path
                ref = prop.get("$ref", "").rsplit("/", 1)[-1]
                if "properties" in schema.get(ref, {}):  # a backbone element or a data type
                    pending.append((ref, target if target in definitions.parents else ref))
                codes = definitions.value_sets.get(element.value_set)
                codes = None if isinstance(codes, str) else codes  # a value set we skip
                if "enum" in prop and set(prop["enum"]) != {code for _, code in codes or ()}:
                    bound = element.value_set or "no required binding"
                    stricter.append(f"{path}: the schema's enum is not 4.0.1's ({bound})")

    # Both reached through Extension.value[x] only, and we put neither in an extension: 4.0.1
    # made Meta an extension value, and loosened Expression.language to an extensible binding.
    assert sorted(stricter) == [
        "Expression.language: the schema's enum is not 4.0.1's (no required binding)",
        "Extension.value[x]: valueMeta is not in the schema",
    ]
    assert len(seen) > 60  # the walk reached the backbone elements and the data types
