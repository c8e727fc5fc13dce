"""The pure clinical mappings on rows the services rarely make in a test: a guardian's
signature, a patch-test allergy, staged and density scores, a skin type judged without the
questionnaire. No database: rows are plain objects with the attributes the mapping reads."""

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

from mesoclinic.fhir.mapping.clinical import allergy_resource, consent_resource
from mesoclinic.fhir.mapping.observations import score_resource, skin_type_resource
from mesoclinic.fhir.tests.validator import assert_valid

SIGNED = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
LATER = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)


def consent(**changes):
    text = SimpleNamespace(
        procedure="mesotherapy_scalp", version=2, title_en="Scalp mesotherapy consent"
    )
    row = {
        "pk": 7,
        "patient_id": 3,
        "clinic_id": 1,
        "text": text,
        "language": "ur",
        "signer_name": "Ayesha Khan",
        "signer_relation": "",
        "signed_at": SIGNED,
        "invalidated_at": None,
        "photo_consent": True,
        "updated_at": SIGNED,
    }
    return SimpleNamespace(**{**row, **changes})


def test_it_names_a_guardian_who_signs_for_a_minor():
    resource = consent_resource(
        consent(signer_relation="Mother"), pdf_url="https://clinic.example/care/consents/7/pdf/"
    )
    assert_valid(resource)
    assert resource["performer"] == [{"display": "Ayesha Khan (Mother)"}]
    assert resource["provision"]["provision"][0]["type"] == "permit"  # photos agreed
    assert resource["sourceAttachment"]["language"] == "ur"


def test_it_marks_an_ended_consent_inactive_with_the_end_of_its_period():
    resource = consent_resource(
        consent(invalidated_at=LATER, updated_at=LATER), pdf_url="https://clinic.example/x.pdf"
    )
    assert_valid(resource)
    assert resource["status"] == "inactive"
    assert resource["provision"]["period"] == {
        "start": "2026-03-01T09:30:00.000Z",
        "end": "2026-04-01T09:30:00.000Z",
    }


def test_it_confirms_an_allergy_a_patch_test_found():
    allergy = SimpleNamespace(
        pk=4,
        patient_id=3,
        ingredient=SimpleNamespace(code="minoxidil", name="Minoxidil"),
        source="patch_test",
        reaction="Weal 8 mm.",
        recorded_at=SIGNED,
        retracted_at=None,
        retraction_reason="",
        updated_at=SIGNED,
    )
    resource = allergy_resource(allergy)
    assert_valid(resource)
    assert resource["verificationStatus"]["coding"][0]["code"] == "confirmed"
    assert resource["reaction"] == [{"manifestation": [{"text": "Weal 8 mm."}]}]


def score(**changes):
    row = {
        "pk": 9,
        "patient_id": 3,
        "session_id": 5,
        "scale": "norwood",
        "rater": "clinician",
        "value": Decimal("5"),
        "band": "IIIv",
        "scored_at": SIGNED,
    }
    return SimpleNamespace(**{**row, **changes})


def test_it_gives_a_staged_scale_its_stage_as_the_value():
    resource = score_resource(score(), "score-9")
    assert_valid(resource)
    assert resource["valueCodeableConcept"]["coding"][0] == {
        "system": "https://fhir.mesoclinic.pk/CodeSystem/norwood",
        "code": "IIIv",
    }
    assert "valueQuantity" not in resource


def test_it_gives_hair_density_in_ucum_per_square_centimetre():
    resource = score_resource(
        score(scale="hair_count", value=Decimal("142.86"), band="", session_id=None), "score-9"
    )
    assert_valid(resource)
    assert resource["valueQuantity"] == {
        "value": 142.86,
        "unit": "hairs/cm2",
        "system": "http://unitsofmeasure.org",
        "code": "/cm2",
    }
    assert resource["note"][0]["text"].startswith("Baseline")


def test_it_reads_a_judged_skin_type_as_an_exam_without_a_questionnaire():
    consultation = SimpleNamespace(
        pk=2,
        patient_id=3,
        fitzpatrick_type=5,
        fitzpatrick_answers=None,
        fitzpatrick_total=None,
        fitzpatrick_banding="",
        recorded_at=SIGNED,
        entered_at=SIGNED,
    )
    resource = skin_type_resource(consultation, "fitz-2")
    assert_valid(resource)
    assert resource["valueCodeableConcept"]["coding"][0]["code"] == "V"
    assert resource["category"][0]["coding"][0]["code"] == "exam"
    assert "derivedFrom" not in resource and "component" not in resource
