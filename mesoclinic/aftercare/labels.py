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
