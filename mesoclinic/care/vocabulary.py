"""The words of the contraindication engine: a stable contract, extend it, never rename.

Stored facts (consultations), stored rules (clinic policy) and the engine (`care.rules`) all
refer to these codes; renaming one would silently detach old records and rules from it.
Pure Python, no Django.
"""

from collections.abc import Mapping

SEXES = ("female", "male")

#: Yes/no facts. `unspecified_allergy`: the person reports a reaction to some medicine or
#: injection but does not know the ingredient (the self-check asks this; a patient rarely
#: knows the INN of what they reacted to).
FLAGS = ("pregnant", "breastfeeding", "may_become_pregnant", "unspecified_allergy")

#: `thrombophilia` is our name for "a clotting disorder" (CLINICAL.md, tranexamic acid).
CONDITIONS = (
    "thromboembolism",
    "thrombophilia",
    "bleeding_disorder",
    "seizures",
    "renal_impairment",
    "autoimmune_disease",
    "keloid_tendency",
    "immunosuppression",
    "uncontrolled_diabetes",
    "g6pd_deficiency",
    "infection_at_site",
    "active_skin_disease_at_site",
)

MEDICATIONS = (
    "anticoagulant",
    "antiplatelet",
    "hormonal_contraception",
    "isotretinoin_last_6_months",
)

INGREDIENTS = (
    "tranexamic_acid",
    "kojic_acid",
    "glutathione",
    "ascorbic_acid",
    "hyaluronic_acid",
    "biotin",
    "dutasteride",
    "minoxidil",
    "deoxycholic_acid",
    "phosphatidylcholine",
    "lidocaine",
    "triamcinolone",
)

INDICATIONS = (
    "melasma",
    "hyperpigmentation",
    "skin_rejuvenation",
    "androgenetic_alopecia",
    "alopecia_areata",
    "localized_fat",
    "cellulite",
)

#: Trigger kind -> the codes it accepts. Allergy and patch-test triggers have one code,
#: "planned": they compare the person's allergies with whatever cocktail is planned, so one
#: rule covers every ingredient. The age trigger has one code, "minor": it fires for a person
#: whose age is known and below the rule's `adult_age` (the number is the rule's data, so a
#: clinic can set its own without a new code).
TRIGGER_KINDS: Mapping[str, tuple[str, ...]] = {
    "flag": FLAGS,
    "condition": CONDITIONS,
    "medication": MEDICATIONS,
    "allergy": ("planned",),
    "patch_test": ("planned",),
    "age": ("minor",),
}
AGE_TRIGGER = "age:minor"
PLANNED_TRIGGERS = ("allergy:planned", "patch_test:planned")

#: The code of the reason the engine itself adds for a planned ingredient the policy does not
#: know; reserved, so no clinic rule may use it.
UNKNOWN_INGREDIENT = "unknown_ingredient"

#: ICD-10 codes for the indications, where one fits (CLINICAL.md, FHIR mapping). Skin
#: rejuvenation and cellulite are cosmetic concerns without a diagnosis code of their own, so
#: they stay uncoded rather than carry a code that would misstate the diagnosis.
ICD10 = {
    "melasma": "L81.1",
    "hyperpigmentation": "L81.4",
    "androgenetic_alopecia": "L64.9",
    "alopecia_areata": "L63.9",
    "localized_fat": "E65",
}

#: Consent is given per kind of procedure; each indication belongs to one.
PROCEDURES = ("mesotherapy_face", "mesotherapy_scalp", "injection_lipolysis")
PROCEDURE_FOR_INDICATION = {
    "melasma": "mesotherapy_face",
    "hyperpigmentation": "mesotherapy_face",
    "skin_rejuvenation": "mesotherapy_face",
    "androgenetic_alopecia": "mesotherapy_scalp",
    "alopecia_areata": "mesotherapy_scalp",
    "localized_fat": "injection_lipolysis",
    "cellulite": "injection_lipolysis",
}


#: The baseline outcome scales that measure each indication (CLINICAL.md, "Outcome scales"):
#: MASI/mMASI for melasma-type pigmentation, Norwood–Hamilton (men) or Ludwig (women) for
#: androgenetic alopecia, and a GAIS baseline note where no scale is standard.
SCALES_FOR_INDICATION = {
    "melasma": ("masi", "mmasi"),
    "hyperpigmentation": ("masi", "mmasi", "gais"),
    "skin_rejuvenation": ("gais",),
    "androgenetic_alopecia": ("norwood", "ludwig"),
    "alopecia_areata": ("gais",),
    "localized_fat": ("gais",),
    "cellulite": ("gais",),
}
#: Hair-loss scales drawn for one sex only.
SCALE_SEX = {"norwood": "male", "ludwig": "female"}
