"""Public forms: guide search, the self-check and the appointment request.

The self-check form turns answers into the rules engine's facts vocabulary; nothing it receives
is saved. Every question is required so a missing answer is named, never guessed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from mesoclinic.care import rules
from mesoclinic.core import validation as shared_validation
from mesoclinic.core.text import fold_digits
from mesoclinic.guide.search import MAX_QUERY_LENGTH
from mesoclinic.patients.models import Enquiry
from mesoclinic.patients.validation import clean_name

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
YES_NO_UNSURE = [("yes", _("Yes")), ("no", _("No")), ("unsure", _("Not sure"))]

#: Health conditions a visitor may tick, as engine codes with words a patient understands.
OTHER_CONDITIONS = [
    ("thromboembolism", _("A blood clot in a leg or lung, or a stroke")),
    ("thrombophilia", _("A clotting disorder (blood that clots too easily)")),
    ("bleeding_disorder", _("A bleeding problem or bruising very easily")),
    ("seizures", _("Fits or seizures (epilepsy)")),
    ("renal_impairment", _("Kidney disease")),
    ("uncontrolled_diabetes", _("Diabetes that is not well controlled")),
    ("immunosuppression", _("Weak immunity, or medicines that lower immunity")),
    ("autoimmune_disease", _("An autoimmune disease (e.g. lupus)")),
    ("keloid_tendency", _("Raised, thick scars (keloids)")),
    ("g6pd_deficiency", _("G6PD deficiency")),
    (
        "active_skin_disease_at_site",
        _("Eczema, psoriasis or acne flaring where you want treatment"),
    ),
]
OTHER_MEDICATIONS = [
    ("hormonal_contraception", _("The contraceptive pill or another hormonal contraceptive")),
]


class GuideSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the guide"),
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "required": _("Type a word to search for, e.g. melasma."),
            "max_length": _("Keep your search under %(limit_value)d characters."),
        },
    )


class SelfCheckForm(forms.Form):
    concern = forms.ChoiceField(label=_("What would you like treated?"), widget=forms.RadioSelect)
    pregnant = forms.ChoiceField(
        label=_("Are you pregnant, or could you be pregnant now?"),
        choices=YES_NO_UNSURE,
        widget=forms.RadioSelect,
    )
    breastfeeding = forms.ChoiceField(
        label=_("Are you breastfeeding?"), choices=YES_NO, widget=forms.RadioSelect
    )
    planning_pregnancy = forms.ChoiceField(
        label=_("Could you become pregnant in the next few months?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    allergy = forms.ChoiceField(
        label=_(
            "Have you ever had an allergic reaction to a medicine, a numbing cream or a skin "
            "injection?"
        ),
        choices=YES_NO_UNSURE,
        widget=forms.RadioSelect,
    )
    infection = forms.ChoiceField(
        label=_("Is there an infection, a cold sore or broken skin where you want treatment?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    blood_thinners = forms.ChoiceField(
        label=_("Do you take blood thinners (e.g. warfarin, aspirin, clopidogrel)?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    isotretinoin = forms.ChoiceField(
        label=_("Have you taken isotretinoin (for acne) in the last 6 months?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
    )
    conditions = forms.MultipleChoiceField(
        label=_("Do any of these apply to you? Tick all that do, or none."),
        choices=[*OTHER_CONDITIONS, *OTHER_MEDICATIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, concerns, adult_age: int | None = None, **kwargs):
        """`adult_age` is the chain policy's (`rules.Policy.adult_age`, from the "minor"
        rule's data): the visitor says which side of it they are, nothing more precise. With
        no age rule in the policy, age changes nothing and is not asked."""
        super().__init__(*args, **kwargs)
        self.concerns = {concern.code: concern for concern in concerns}
        self.fields["concern"].choices = [(c.code, c.label) for c in concerns]
        self.adult_age = adult_age
        if adult_age is not None:
            self.fields["age"] = forms.ChoiceField(
                label=_("How old are you?"),
                choices=[
                    ("under", _("Under %(age)s") % {"age": adult_age}),
                    ("adult", _("%(age)s or older") % {"age": adult_age}),
                ],
                widget=forms.RadioSelect,
            )
            self.order_fields(["concern", "age"])
        for field in self.fields.values():
            if field.required:
                field.error_messages["required"] = _("Please answer this question.")

    def facts(self) -> rules.Facts:
        """The answers in the engine's vocabulary ("not sure" is treated as "yes": the safe
        reading of a question about pregnancy or allergy)."""
        data = self.cleaned_data
        ticked = set(data["conditions"])
        medications = {code for code, _label in OTHER_MEDICATIONS if code in ticked}
        conditions = ticked - medications
        if data["infection"] == "yes":
            conditions.add("infection_at_site")
        if data["blood_thinners"] == "yes":
            medications.add("anticoagulant")
        if data["isotretinoin"] == "yes":
            medications.add("isotretinoin_last_6_months")
        # The band stands for an age on its side of the line, which is all the age rule reads.
        age = None
        if self.adult_age is not None:
            age = self.adult_age - 1 if data["age"] == "under" else self.adult_age
        return rules.Facts(
            age=age,
            pregnant=data["pregnant"] in ("yes", "unsure"),
            breastfeeding=data["breastfeeding"] == "yes",
            may_become_pregnant=data["planning_pregnancy"] == "yes",
            unspecified_allergy=data["allergy"] in ("yes", "unsure"),
            conditions=frozenset(conditions),
            medications=frozenset(medications),
        )

    def declared(self, evaluation) -> list[str]:
        """The ticked conditions and medicines no reason already names, in the visitor's words:
        the result asks them to tell the doctor about these too."""
        named = {trigger for reason in evaluation.reasons for trigger in reason.triggers}
        labels = dict([*OTHER_CONDITIONS, *OTHER_MEDICATIONS])
        medications = {code for code, _label in OTHER_MEDICATIONS}
        return [
            str(labels[code])
            for code in self.cleaned_data["conditions"]
            if f"{'medication' if code in medications else 'condition'}:{code}" not in named
        ]

    @property
    def minor(self) -> bool:
        """The visitor said they are under the adult age."""
        return self.adult_age is not None and self.cleaned_data.get("age") == "under"

    @property
    def chosen_concern(self):
        return self.concerns[self.cleaned_data["concern"]]


class EnquiryForm(forms.ModelForm):
    """A request for an appointment. The mobile number is checked the same way as on the
    staff's patient form; the hidden `website` field catches form-filling robots."""

    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        help_text=_("e.g. 0300-1234567"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    agree = forms.BooleanField(
        label=_("The clinic may call or message me on this number about my request."),
        error_messages={"required": _("Tick this box so the clinic may contact you.")},
    )
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = Enquiry
        fields = ["name", "mobile", "preferred_language", "concern", "preferred_time", "message"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "concern": forms.Select(),
            "message": forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        }
        labels = {"name": _("Your name"), "message": _("Anything the clinic should know")}

    def __init__(self, *args, concerns, **kwargs):
        # No ":" after labels: Urdu labels end in "۔" and Django would add one after it.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["concern"].widget.choices = [
            ("", _("Not sure yet")),
            *[(c.code, c.label) for c in concerns],
        ]
        self.concern_codes = {c.code for c in concerns}
        self.fields["preferred_language"].widget = forms.RadioSelect(
            choices=self.fields["preferred_language"].choices[1:]
        )

    def clean_name(self):
        return clean_name(self.cleaned_data["name"], max_length=120)

    def clean_mobile(self):
        return shared_validation.clean_mobile(self.cleaned_data["mobile"])

    def clean_concern(self):
        concern = self.cleaned_data.get("concern", "")
        if concern and concern not in self.concern_codes:
            raise forms.ValidationError(_("Choose a concern from the list."))
        return concern

    @property
    def is_robot(self) -> bool:
        """A filled hidden field: the request is dropped quietly (a robot learns nothing)."""
        return bool(self.cleaned_data.get("website"))


class BookingForm(forms.Form):
    """A visitor's details for booking the chosen consultation time (`start`, Karachi wall
    clock, carried from the slot link). The number receives the one-time code."""

    start = forms.DateTimeField(
        widget=forms.HiddenInput, input_formats=["%Y-%m-%dT%H:%M"], required=True
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Please enter your name.")},
    )
    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        help_text=_("We send a 6-digit code to this number to confirm the booking."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for messages"),
        choices=[("en", _("English")), ("ur", _("Urdu"))],
        widget=forms.RadioSelect,
    )
    agree = forms.BooleanField(
        label=_("The clinic may call or message me on this number about my appointment."),
        error_messages={"required": _("Tick this box so the clinic may contact you.")},
    )
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_name(self):
        return clean_name(self.cleaned_data["name"], max_length=120)

    def clean_mobile(self):
        return shared_validation.clean_mobile(self.cleaned_data["mobile"])

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code we sent you"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
        error_messages={"required": _("Enter the code from the message.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_code(self):
        code = fold_digits("".join(self.cleaned_data["code"].split()))
        if not (code.isascii() and code.isdigit()) or len(code) != 6:
            raise forms.ValidationError(_("The code has 6 digits."))
        return code
