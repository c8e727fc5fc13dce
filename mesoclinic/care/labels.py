"""Staff-facing words for the engine's codes (the codes themselves live in `care.vocabulary`).

Clinical wording for staff pages and forms; the public self-check words its questions for
patients in `guide.forms`.
"""

from django.utils.translation import gettext_lazy as _

INDICATIONS = {
    "melasma": _("Melasma"),
    "hyperpigmentation": _("Hyperpigmentation"),
    "skin_rejuvenation": _("Skin rejuvenation (ageing)"),
    "androgenetic_alopecia": _("Androgenetic alopecia"),
    "alopecia_areata": _("Alopecia areata"),
    "localized_fat": _("Localized fat"),
    "cellulite": _("Cellulite"),
}

CONDITIONS = {
    "thromboembolism": _("Thromboembolism (DVT, PE, stroke)"),
    "thrombophilia": _("Thrombophilia (clotting disorder)"),
    "bleeding_disorder": _("Bleeding disorder"),
    "seizures": _("Seizures / epilepsy"),
    "renal_impairment": _("Renal impairment"),
    "autoimmune_disease": _("Autoimmune disease"),
    "keloid_tendency": _("Keloid tendency"),
    "immunosuppression": _("Immunosuppression"),
    "uncontrolled_diabetes": _("Uncontrolled diabetes"),
    "g6pd_deficiency": _("G6PD deficiency"),
    "infection_at_site": _("Infection at the treatment site"),
    "active_skin_disease_at_site": _("Active skin disease at the site"),
}

MEDICATIONS = {
    "anticoagulant": _("Anticoagulant (warfarin, DOAC, heparin)"),
    "antiplatelet": _("Antiplatelet (aspirin, clopidogrel)"),
    "hormonal_contraception": _("Hormonal contraception"),
    "isotretinoin_last_6_months": _("Isotretinoin in the last 6 months"),
}

PROCEDURES = {
    "mesotherapy_face": _("Mesotherapy of the face and skin"),
    "mesotherapy_scalp": _("Mesotherapy of the scalp (hair)"),
    "injection_lipolysis": _("Injection lipolysis (fat-dissolving injections)"),
}

DECISIONS = {
    "eligible": _("Eligible"),
    "needs_review": _("Needs a dermatologist's review"),
    "contraindicated": _("Contraindicated"),
}

ZONES = {
    "forehead": _("Forehead"),
    "glabella": _("Between the brows"),
    "periorbital_right": _("Around the right eye"),
    "periorbital_left": _("Around the left eye"),
    "nose": _("Nose"),
    "cheek_right": _("Right cheek"),
    "cheek_left": _("Left cheek"),
    "upper_lip": _("Upper lip"),
    "chin": _("Chin"),
    "jawline_right": _("Right jawline"),
    "jawline_left": _("Left jawline"),
    "neck": _("Neck"),
    "frontal": _("Frontal scalp"),
    "midscalp": _("Mid-scalp"),
    "vertex": _("Crown (vertex)"),
    "temporal_right": _("Right temple"),
    "temporal_left": _("Left temple"),
    "occipital": _("Back of the head"),
    "submental": _("Under the chin"),
    "arm_right": _("Right upper arm"),
    "arm_left": _("Left upper arm"),
    "abdomen": _("Abdomen"),
    "flank_right": _("Right flank"),
    "flank_left": _("Left flank"),
    "thigh_right": _("Right thigh"),
    "thigh_left": _("Left thigh"),
}
