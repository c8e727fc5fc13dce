"""The words of aftercare as codes: side effects, CTCAE grades, outcome-score scales, photo
views and work-up steps. Pure Python, no Django; the labels in both languages are in
`aftercare.labels`.

Side effects and grading: `../shared/CLINICAL.md` ("Side effects and escalation"): expected,
self-limiting effects (24–72 h) are erythema, bruising, swelling, pain or burning, itching and
small papules; nodules, abscesses or discharge appearing late suggest a nontuberculous
mycobacterial infection (incubation 1–12 weeks); rash, hives, breathing trouble or a swelling
face are signs of an allergic reaction. CTCAE v5.0 grades 1 (mild) to 5 (death).
"""

#: The effects a patient or clinician can name, in the form's order.
EFFECTS = (
    "erythema",
    "bruising",
    "swelling",
    "pain_burning",
    "itching",
    "papules",
    "nodule",
    "abscess_discharge",
    "rash_hives",
    "breathing_face_swelling",
    "dark_patches",
    "hair_shedding",
    "numbness",
    "other",
)

#: The shipped defaults of the clinic-editable escalation data (aftercare.AftercareSettings).
DEFAULT_EXPECTED = ("erythema", "bruising", "swelling", "pain_burning", "itching", "papules")
DEFAULT_LATE_INFECTION = ("nodule", "abscess_discharge")
DEFAULT_ALLERGIC = ("rash_hives", "breathing_face_swelling")
#: Of the allergic signs, those that send the patient to emergency care at once.
EMERGENCY = frozenset({"breathing_face_swelling"})

GRADES = (1, 2, 3, 4, 5)

#: How the skin is, the first question of a check-in.
SKIN = ("fine", "some_problems", "worried")

#: Standardized photo views, per indication.
VIEWS = ("face_front", "face_left", "face_right", "scalp_vertex", "scalp_frontal")
VIEWS_FOR_INDICATION = {
    "melasma": ("face_front", "face_left", "face_right"),
    "rejuvenation": ("face_front", "face_left", "face_right"),
    "androgenetic_alopecia": ("scalp_vertex", "scalp_frontal"),
    "alopecia_areata": ("scalp_vertex", "scalp_frontal"),
}

#: Work-up steps an adverse event's checklist can hold.
STEPS = (
    "review_in_person",
    "photograph",
    "acid_fast_smear",
    "culture",
    "biopsy",
    "assess_airway",
    "antihistamine_or_adrenaline",
    "stop_products",
    "report_lots",
)
