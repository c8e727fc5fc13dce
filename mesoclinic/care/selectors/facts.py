"""A patient's clinical facts as screening reads them: allergies, positive patch tests, the
latest screening and whether it stands on old facts. Callers have already scoped the patient;
these gather what the services and forms need, not lists shown to a user (`records`)."""

from django.db.models import Q

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


def patch_test_codes(patient, *, valid_at, read_by) -> tuple[frozenset[str], list[str]]:
    """(negative, positive) in one query: the ingredient codes of the products applied in the
    patient's negative patch tests still valid at `valid_at` and read by `read_by` (what the
    gate accepts for a session), and `positive_patch_test_codes`."""
    tested = "product__lots__patch_test_items__patch_test__"
    rows = (
        ProductIngredient.objects.filter(
            Q(
                **{
                    f"{tested}result": PatchTest.Result.NEGATIVE,
                    f"{tested}valid_until__gte": valid_at,
                    f"{tested}read_at__lte": read_by,
                }
            )
            | Q(**{f"{tested}result": PatchTest.Result.POSITIVE}),
            # In the same filter() as the results: one patch test answers both conditions.
            **{f"{tested}patient": patient},
        )
        .values_list("ingredient__code", f"{tested}result")
        .order_by()
    )
    codes = {PatchTest.Result.NEGATIVE: set(), PatchTest.Result.POSITIVE: set()}
    for code, result in rows:
        codes[result].add(code)
    return frozenset(codes[PatchTest.Result.NEGATIVE]), sorted(codes[PatchTest.Result.POSITIVE])


def screening_outdated(consultation: Consultation, *, positive_codes=None) -> bool:
    """True when allergies or positive patch tests were recorded after this screening (two
    queries; one when the caller has just read the patient's `positive_codes` with
    `positive_patch_test_codes`): the decision stands on old facts and a new consultation is
    needed."""
    patient_id = consultation.patient_id
    if positive_codes is None:
        positive_codes = positive_patch_test_codes(patient_id)
    return allergy_codes(patient_id) != sorted(consultation.allergies) or (
        sorted(positive_codes) != sorted(consultation.positive_patch_tests)
    )


def latest_consultation(patient) -> Consultation | None:
    return Consultation.objects.filter(patient=patient).order_by("-id").first()
