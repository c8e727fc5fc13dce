"""Forms for the clinical pathway. They check shape and completeness and name every field to
fix; the services decide what is allowed (scoping, windows, signatures, the engine)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.care import fitzpatrick, labels, scores
from mesoclinic.care.models import Consent, Consultation, PatchTest
from mesoclinic.care.services.screening import TEXT_FIELDS, ConsultationInput
from mesoclinic.care.vocabulary import SCALE_SEX, SCALES_FOR_INDICATION
from mesoclinic.core.text import is_database_id
from mesoclinic.formulary.models import Ingredient, Lot

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
ROMAN = ["I", "II", "III", "IV", "V", "VI"]
SKIN_TYPES = [("", "—"), *((n, roman) for n, roman in enumerate(ROMAN, 1))]

#: The ten questionnaire items, each scored 0–4, with the answers at either end.
FITZPATRICK_ITEMS = [
    _("Eye colour (0 light blue, grey or green … 4 dark brown or black)"),
    _("Natural hair colour (0 red … 4 black)"),
    _("Skin colour where not exposed to sun (0 reddish … 4 dark brown)"),
    _("Freckles where not exposed to sun (0 many … 4 none)"),
    _("Staying too long in the sun (0 painful redness, blisters, peeling … 4 never burns)"),
    _("Does the skin turn brown? (0 never … 4 always, deeply)"),
    _("How brown after sun (0 hardly or not at all … 4 very dark brown)"),
    _("Face's sensitivity to the sun (0 very sensitive … 4 never a problem)"),
    _("Last exposure to sun or tanning (0 more than 3 months ago … 4 less than 2 weeks ago)"),
    _("Face exposed to the sun (0 never … 4 always)"),
]
NORWOOD = ["I", "II", "IIa", "III", "IIIa", "IIIv", "IV", "IVa", "V", "Va", "VI", "VII"]
HAIR_STAGES = [
    ("", "—"),
    (
        _("Norwood–Hamilton"),
        [(f"norwood:{s}", s) for s in NORWOOD],
    ),
    (_("Ludwig"), [(f"ludwig:{s}", s) for s in ["I", "II", "III"]]),
]
REGION_LABELS = {
    "forehead": _("Forehead"),
    "right_malar": _("Right malar"),
    "left_malar": _("Left malar"),
    "chin": _("Chin"),
}

GRADE_LABELS = {"area": _("Area"), "darkness": _("Darkness"), "homogeneity": _("Homogeneity")}


def _notes(label, rows: int = 2):
    """A free-text note: optional, bounded, a few rows high."""
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), required=False, max_length=4000
    )


def _grade_field(top: int):
    return forms.TypedChoiceField(
        choices=[("", "—")] + [(n, n) for n in range(top + 1)],
        coerce=int,
        empty_value=None,
        required=False,
    )


class ConsultationForm(forms.Form):
    indication = forms.ChoiceField(label=_("Indication"))
    concerns = _notes(_("Concerns, in the patient's words"))
    pregnant = forms.ChoiceField(
        label=_("Pregnant, or could be pregnant now?"), choices=YES_NO, widget=forms.RadioSelect
    )
    breastfeeding = forms.ChoiceField(
        label=_("Breastfeeding?"), choices=YES_NO, widget=forms.RadioSelect
    )
    may_become_pregnant = forms.ChoiceField(
        label=_("May become pregnant during the course?"), choices=YES_NO, widget=forms.RadioSelect
    )
    conditions = forms.MultipleChoiceField(
        label=_("Conditions"), widget=forms.CheckboxSelectMultiple, required=False
    )
    medications = forms.MultipleChoiceField(
        label=_("Medicines"), widget=forms.CheckboxSelectMultiple, required=False
    )
    medication_notes = _notes(_("Current medications (names and doses)"))
    allergies = forms.ModelMultipleChoiceField(
        label=_("New allergies to formulary ingredients"),
        queryset=Ingredient.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    unspecified_allergy = forms.BooleanField(
        label=_("Has reacted to a medicine or injection but does not know which ingredient"),
        required=False,
    )
    other_allergies = _notes(_("Other allergies (not in the formulary)"))
    medical_history = _notes(_("Medical history"), rows=3)
    planned_ingredients = forms.MultipleChoiceField(
        label=_("Planned ingredients"), widget=forms.CheckboxSelectMultiple, required=False
    )
    fitzpatrick_type = forms.TypedChoiceField(
        label=_("Fitzpatrick skin type (direct entry)"),
        choices=SKIN_TYPES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    exam_notes = _notes(_("Examination"), rows=3)
    baseline_scale = forms.ChoiceField(
        label=_("Baseline score"),
        choices=[("", "—"), *Consultation.Scale.choices],
        required=False,
    )
    baseline_stage = forms.ChoiceField(
        label=_("Hair loss stage"), choices=HAIR_STAGES, required=False
    )
    baseline_note = _notes(_("Baseline note (GAIS: describe the starting point)"))

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        ingredients = Ingredient.objects.filter(is_active=True).order_by("name")
        self.fields["indication"].choices = [("", "—"), *labels.INDICATIONS.items()]
        self.fields["conditions"].choices = list(labels.CONDITIONS.items())
        self.fields["medications"].choices = list(labels.MEDICATIONS.items())
        self.fields["allergies"].queryset = ingredients
        self.fields["planned_ingredients"].choices = [(i.code, i.name) for i in ingredients]
        for number, label in enumerate(FITZPATRICK_ITEMS, start=1):
            self.fields[f"fitz_{number}"] = _grade_field(fitzpatrick.ITEM_MAX)
            self.fields[f"fitz_{number}"].label = label
        for region, label in REGION_LABELS.items():
            for grade, top in (
                ("area", scores.AREA_MAX),
                ("darkness", scores.DARKNESS_MAX),
                ("homogeneity", scores.HOMOGENEITY_MAX),
            ):
                self.fields[f"{region}_{grade}"] = _grade_field(top)
                self.fields[f"{region}_{grade}"].label = f"{label}: {GRADE_LABELS[grade]}"

    def fitzpatrick_fields(self):
        return [self[f"fitz_{n}"] for n in range(1, fitzpatrick.ITEMS + 1)]

    def masi_rows(self):
        return [
            (label, [self[f"{region}_{g}"] for g in ("area", "darkness", "homogeneity")])
            for region, label in REGION_LABELS.items()
        ]

    def clean(self):
        data = super().clean()
        answers = [data.get(f"fitz_{n}") for n in range(1, fitzpatrick.ITEMS + 1)]
        given = [a for a in answers if a is not None]
        data["fitzpatrick_answers"] = None
        if given and len(given) < fitzpatrick.ITEMS:
            for number, answer in enumerate(answers, start=1):
                if answer is None:
                    self.add_error(f"fitz_{number}", _("Answer every item, or none of them."))
        elif given:
            data["fitzpatrick_answers"] = answers
            result = fitzpatrick.score(answers)
            if data.get("fitzpatrick_type") not in (None, result.skin_type):
                self.add_error(
                    "fitzpatrick_type",
                    _("The questionnaire gives type %(type)s: leave the direct entry empty.")
                    % {"type": result.skin_type},
                )
        elif data.get("fitzpatrick_type") is None:
            self.add_error(
                "fitzpatrick_type", _("Give the skin type, or answer the questionnaire.")
            )
        scale = data.get("baseline_scale")
        if scale in (Consultation.Scale.MASI, Consultation.Scale.MMASI):
            needed = ["area", "darkness"] + (["homogeneity"] if scale == "masi" else [])
            for region in REGION_LABELS:
                for grade in needed:
                    if data.get(f"{region}_{grade}") is None:
                        self.add_error(f"{region}_{grade}", _("Grade every region (0 if clear)."))
        indication = data.get("indication")
        if scale and indication and scale not in SCALES_FOR_INDICATION.get(indication, ()):
            self.add_error(
                "baseline_scale",
                _("This scale does not measure %(indication)s.")
                % {"indication": labels.INDICATIONS.get(indication, indication)},
            )
        elif scale in SCALE_SEX and self.patient.sex in set(SCALE_SEX.values()) - {
            SCALE_SEX[scale]
        }:
            self.add_error(
                "baseline_scale",
                _("Norwood–Hamilton stages men's hair loss; Ludwig stages women's."),
            )
        if scale == Consultation.Scale.GAIS and not (data.get("baseline_note") or "").strip():
            self.add_error("baseline_note", _("Describe the starting point for GAIS."))
        stage = data.get("baseline_stage") or ""
        if scale in (Consultation.Scale.NORWOOD, Consultation.Scale.LUDWIG):
            if not stage.startswith(f"{scale}:"):
                self.add_error("baseline_stage", _("Choose a stage of the chosen scale."))
        elif stage:
            self.add_error("baseline_stage", _("Choose Norwood–Hamilton or Ludwig as the score."))
        return data

    def _screening_facts(self) -> dict:
        """The answers the engine reads; an unanswered yes/no question counts as "no" (only
        the live preview sees unanswered ones: saving requires every answer)."""
        data = getattr(self, "cleaned_data", {})
        return {
            "indication": data.get("indication") or None,
            "pregnant": data.get("pregnant") == "yes",
            "breastfeeding": data.get("breastfeeding") == "yes",
            "may_become_pregnant": data.get("may_become_pregnant") == "yes",
            "unspecified_allergy": data.get("unspecified_allergy", False),
            "conditions": list(data.get("conditions") or []),
            "medications": list(data.get("medications") or []),
            "new_allergies": list(data.get("allergies") or []),
            "planned_ingredients": list(data.get("planned_ingredients") or []),
        }

    def to_input(self) -> ConsultationInput:
        data = self.cleaned_data
        scale = data.get("baseline_scale") or ""
        grades = None
        if scale in (Consultation.Scale.MASI, Consultation.Scale.MMASI):
            grades = {
                region: scores.RegionGrades(
                    area=data[f"{region}_area"],
                    darkness=data[f"{region}_darkness"],
                    homogeneity=data.get(f"{region}_homogeneity") or 0,
                )
                for region in REGION_LABELS
            }
        return ConsultationInput(
            **self._screening_facts(),
            fitzpatrick_answers=data.get("fitzpatrick_answers"),
            fitzpatrick_type=data.get("fitzpatrick_type"),
            baseline_scale=scale,
            baseline_grades=grades,
            baseline_stage=(data.get("baseline_stage") or "").partition(":")[2],
            text={name: data.get(name, "") for name in TEXT_FIELDS},
        )

    def preview_input(self) -> ConsultationInput:
        """The facts typed so far, for the live decision: whatever is complete enough to
        evaluate (the indication and the three pregnancy questions may still be blank)."""
        return ConsultationInput(**self._screening_facts())


def initial_from(consultation: Consultation | None) -> dict:
    """Prefill a new consultation from the last one. Pregnancy, breastfeeding and pregnancy
    plans are left blank on purpose: they are asked again every time."""
    if consultation is None:
        return {}
    # The skin type is asked once: a later consultation starts from the one recorded.
    return {
        "indication": consultation.indication,
        "conditions": consultation.conditions,
        "medications": consultation.medications,
        "unspecified_allergy": consultation.unspecified_allergy,
        "planned_ingredients": consultation.planned_ingredients,
        "fitzpatrick_type": consultation.fitzpatrick_type,
        **{name: getattr(consultation, name) for name in TEXT_FIELDS if name != "baseline_note"},
    }


class JustifyForm(forms.Form):
    review_note = forms.CharField(
        label=_("Why treatment may go ahead despite the reasons above"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class AllergyRetractForm(forms.Form):
    # Not required here: the service words the refusal (`services.allergies`).
    reason = forms.CharField(
        label=_("Why it was recorded in error"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo (JPEG, PNG or WebP, up to 10 MB)"))
    label = forms.CharField(
        label=_("View, e.g. front, left profile"), max_length=80, required=False
    )


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class LotChoiceField(forms.ModelMultipleChoiceField):
    """Ids outside the database's integer range are "not one of the choices" (SQLite would
    otherwise raise OverflowError on the lookup)."""

    def _check_values(self, value):
        for pk in value:
            if not is_database_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(pk)[:20]},
                )
        return super()._check_values(value)


class PatchTestApplyForm(forms.Form):
    lots = LotChoiceField(
        label=_("Products applied (by lot)"),
        queryset=Lot.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    site = forms.ChoiceField(label=_("Site"), choices=PatchTest.Site.choices)
    site_note = forms.CharField(label=_("Site details"), max_length=120, required=False)
    applied_at = forms.DateTimeField(
        label=_("Applied at (leave empty for now)"), widget=DateTimeLocalInput(), required=False
    )
    backdate_reason = forms.CharField(
        label=_("Dermatologist's attestation: why it is entered late"),
        help_text=_(
            "Only for an application stated further back than this clinic allows, e.g. applied "
            "during a power cut and entered from the paper record."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # Offer the clinic's usable lots; the service re-checks them under its lock.
        self.fields["lots"].queryset = (
            Lot.objects.filter(
                clinic_id=patient.registered_clinic_id,
                status=Lot.Status.AVAILABLE,
                expires_on__gte=today,
            )
            .select_related("product")
            .order_by("product__brand", "expires_on")
        )
        self.fields["lots"].label_from_instance = lambda lot: (
            f"{lot.product.brand} · {lot.lot_number} · {lot.expires_on:%d %b %Y}"
        )


class PatchTestReadForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[c for c in PatchTest.Result.choices if c[0] != PatchTest.Result.PENDING],
        widget=forms.RadioSelect,
    )
    reaction = forms.CharField(
        label=_("Reaction seen (required when positive)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    read_at = forms.DateTimeField(
        label=_("Read at (leave empty for now)"), widget=DateTimeLocalInput(), required=False
    )


class ConsentForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language the patient read"),
        choices=Consent.Language.choices,
        widget=forms.RadioSelect,
    )
    photo_consent = forms.ChoiceField(
        label=_("Photo use (a separate choice)"), choices=YES_NO, widget=forms.RadioSelect
    )
    signer_name = forms.CharField(label=_("Patient's name, typed by the patient"), max_length=160)
    signer_relation = forms.CharField(
        label=_("Signing for a minor: relation to the patient (e.g. mother)"),
        max_length=60,
        required=False,
    )
    consultation = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The fingerprint of the plan the page showed: a plan changed meanwhile is not consented.
    plan = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    signature = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200_000)

    def __init__(self, *args, adult_age: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if adult_age is not None:
            self.fields["signer_relation"].label = _(
                "Signing for a patient under %(age)s: relation to the patient (e.g. mother)"
            ) % {"age": adult_age}
