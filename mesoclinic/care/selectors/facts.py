"""A patient's clinical facts as screening reads them: allergies, positive patch tests, the
latest screening and whether it stands on old facts. Callers have already scoped the patient;
these gather what the services and forms need, not lists shown to a user (`records`)."""

from mesoclinic.care.models import Allergy, Consultation, PatchTest
from mesoclinic.formulary.models import ProductIngredient


def allergy_codes(patient) -> list[str]:
    """The ingredient codes the patient is allergic to (one query; a patient or their id):
    their standing allergies, the ones screenings, the gate (through `screening_outdated`) and
    patch tests read. A retracted allergy is not one of them."""
    return sorted(
        Allergy.objects.standing()
        .filter(patient=patient)
        .values_list("ingredient__code", flat=True)
    )


def standing_allergies(patient) -> list[Allergy]:
    """The patient's allergies that screenings see, with their ingredients (one query), for
    the consultation form, which a practitioner fills in with them in view."""
    return list(Allergy.objects.standing().filter(patient=patient).select_related("ingredient"))


def positive_patch_test_codes(patient) -> list[str]:
    """Every ingredient of every product applied in a positive patch test (one query; a
    patient or their id)."""
    codes = ProductIngredient.objects.filter(
        product__lots__patch_test_items__patch_test__patient=patient,
        product__lots__patch_test_items__patch_test__result=PatchTest.Result.POSITIVE,
    ).values_list("ingredient__code", flat=True)
    return sorted(set(codes))


def screening_outdated(consultation: Consultation) -> bool:
    """True when allergies or positive patch tests were recorded after this screening (two
    queries): the decision stands on old facts and a new consultation is needed."""
    patient_id = consultation.patient_id
    return allergy_codes(patient_id) != sorted(consultation.allergies) or (
        positive_patch_test_codes(patient_id) != sorted(consultation.positive_patch_tests)
    )


def latest_consultation(patient) -> Consultation | None:
    return Consultation.objects.filter(patient=patient).order_by("-id").first()
