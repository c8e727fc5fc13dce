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
