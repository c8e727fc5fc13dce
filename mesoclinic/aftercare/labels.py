"""Aftercare's codes in words, in the page's language (`aftercare.vocabulary` holds the codes).

The CTCAE v5.0 grade definitions are the general ones (Common Terminology Criteria for Adverse
Events v5.0, NCI 2017, "Grades"), shown beside every grade a clinician confirms; the patient's
form asks "how bad" in plain words that map to grades 1–3 (the clinician confirms or changes it).
"""

from django.utils.translation import gettext_lazy as _

EFFECTS = {
    "erythema": _("Redness"),
    "bruising": _("Bruising"),
    "swelling": _("Swelling"),
    "pain_burning": _("Pain or burning"),
    "itching": _("Itching"),
    "papules": _("Small bumps"),
    "nodule": _("A lump under the skin (nodule)"),
    "abscess_discharge": _("Pus, an abscess or discharge"),
    "rash_hives": _("Rash or hives"),
    "breathing_face_swelling": _("Trouble breathing, or the face or lips swelling"),
    "dark_patches": _("Dark patches"),
    "hair_shedding": _("Hair shedding"),
    "numbness": _("Numbness"),
    "other": _("Something else"),
}

SKIN = {
    "fine": _("Fine"),
    "some_problems": _("Some problems"),
    "worried": _("I am worried"),
}

#: The patient's "how bad", as the form asks it (their rating; the clinician grades).
SELF_RATING = {
    1: _("Mild: I notice it, it does not get in the way"),
    2: _("Moderate: I needed something for it (a cold pack, a painkiller) or it limits me"),
    3: _("Severe: I cannot do my daily things"),
}

#: CTCAE v5.0 general grade definitions.
GRADES = {
    1: _(
        "Grade 1 · Mild: no symptoms or mild symptoms; clinical or diagnostic observations only; "
        "no intervention needed."
    ),
    2: _(
        "Grade 2 · Moderate: minimal, local or non-invasive intervention needed; limits "
        "age-appropriate instrumental activities of daily living."
    ),
    3: _(
        "Grade 3 · Severe or medically significant but not immediately life-threatening; "
        "hospital care needed; disabling; limits self-care."
    ),
    4: _("Grade 4 · Life-threatening consequences; urgent intervention needed."),
    5: _("Grade 5 · Death related to the adverse event."),
}

TRIGGERS = {
    "grade": _("Graded at or above the clinic's threshold"),
    "persisting": _("An expected effect still present after its window"),
    "late_infection": _("A nodule, abscess or discharge appearing late (possible NTM infection)"),
    "allergic": _("Signs of an allergic reaction"),
}

STEPS = {
    "review_in_person": _("See the patient in person"),
    "photograph": _("Photograph the site"),
    "acid_fast_smear": _("Acid-fast smear"),
    "culture": _("Mycobacterial culture"),
    "biopsy": _("Biopsy"),
    "assess_airway": _("Assess airway and breathing"),
    "antihistamine_or_adrenaline": _("Antihistamine, or adrenaline if anaphylaxis"),
    "stop_products": _("Stop using the products until reviewed"),
    "report_lots": _("Review the lots used and report to the supplier or DRAP if needed"),
}

VIEWS = {
    "face_front": _("Face, front"),
    "face_left": _("Face, left side"),
    "face_right": _("Face, right side"),
    "scalp_vertex": _("Scalp, crown"),
    "scalp_frontal": _("Scalp, front"),
}

# Outcome scales (`aftercare.scales`): their names, their inputs and their bands in words.
SCALES = {
    "masi": _("MASI (melasma area and severity, 0–48)"),
    "mmasi": _("mMASI (modified MASI, 0–24)"),
    "fitzpatrick": _("Fitzpatrick skin type"),
    "gais": _("GAIS (global aesthetic improvement)"),
    "norwood": _("Norwood–Hamilton stage"),
    "ludwig": _("Ludwig stage"),
    "hair_count": _("Hair count in a marked area"),
    "glogau": _("Glogau photoageing type"),
    "satisfaction": _("Patient satisfaction (0–10)"),
}

SCORE_REGIONS = {
    "forehead": _("Forehead"),
    "right_malar": _("Right cheek"),
    "left_malar": _("Left cheek"),
    "chin": _("Chin"),
}

SCORE_INPUTS = {
    "area": _("Area"),
    "darkness": _("Darkness"),
    "homogeneity": _("Homogeneity"),
    "rating": _("Rating"),
    "stage": _("Stage"),
    "type": _("Type"),
    "hairs": _("Hairs counted"),
    "area_cm2": _("Area marked (cm²)"),
}

#: MASI area grades (Kimbrough-Green 1994): the share of the region involved.
MASI_AREAS = {
    0: _("0 · none"),
    1: _("1 · under 10%"),
    2: _("2 · 10–29%"),
    3: _("3 · 30–49%"),
    4: _("4 · 50–69%"),
    5: _("5 · 70–89%"),
    6: _("6 · 90–100%"),
}

GAIS = {
    1: _("1 · Very much improved"),
    2: _("2 · Much improved"),
    3: _("3 · Improved"),
    4: _("4 · No change"),
    5: _("5 · Worse"),
}

GLOGAU = {
    "I": _("I · No wrinkles"),
    "II": _("II · Wrinkles in motion"),
    "III": _("III · Wrinkles at rest"),
    "IV": _("IV · Only wrinkles"),
}

RATERS = {
    "clinician": _("Clinician (investigator)"),
    "patient": _("Patient"),
}

#: GAIS bands as the calculator names them (`scales.GAIS_LABELS`), in words.
GAIS_BANDS = {
    "very much improved": _("Very much improved"),
    "much improved": _("Much improved"),
    "improved": _("Improved"),
    "no change": _("No change"),
    "worse": _("Worse"),
}


def band_words(scale: str, band: str | None) -> str:
    """A stored or computed band in the page's language (stages and types are numerals)."""
    if not band:
        return ""
    if scale == "gais":
        return str(GAIS_BANDS.get(band, band))
    if scale == "glogau":
        return str(GLOGAU.get(band, band))
    return band
