"""The clinic's aftercare forms: a check-in recorded by phone or at a visit (the same questions
as the patient's form), the clinician's review of a check-in, and the adverse event's grade,
checklist and closing. They read input only; the services decide and refuse."""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from mesoclinic.aftercare import labels, vocabulary
from mesoclinic.aftercare.models import CheckIn
from mesoclinic.aftercare.services.checkins import Answers, EffectAnswer
from mesoclinic.care.models import AdverseEvent

RATING_CHOICES = [("", "—"), *((str(k), v) for k, v in labels.SELF_RATING.items())]
GRADE_CHOICES = [("", "—"), *((str(k), v) for k, v in labels.GRADES.items())]
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _datetime_field(label, **kwargs):
    return forms.DateTimeField(
        label=label, widget=DATETIME_WIDGET, input_formats=DATETIME_FORMATS, **kwargs
    )


class StaffCheckInForm(forms.Form):
    """A check-in as staff heard it: per effect, ticked with where, since when, the patient's
    own rating and whether it is still there. Fields per effect: `effect_<code>`, `site_<code>`,
    `onset_<code>`, `rating_<code>`, `present_<code>` (and `other` for "something else")."""

    channel = forms.ChoiceField(
        label=_("How"),
        choices=[
            (CheckIn.Channel.PHONE, CheckIn.Channel.PHONE.label),
            (CheckIn.Channel.VISIT, CheckIn.Channel.VISIT.label),
        ],
        widget=forms.RadioSelect,
        initial=CheckIn.Channel.PHONE,
    )
    answered_at = _datetime_field(_("When the call or visit was"))
    skin = forms.ChoiceField(
        label=_("How is the skin"), choices=list(labels.SKIN.items()), widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("In the patient's words"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(label=_("Photo (optional)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        for code in vocabulary.EFFECTS:
            self.fields[f"effect_{code}"] = forms.BooleanField(
                label=labels.EFFECTS[code], required=False
            )
            self.fields[f"site_{code}"] = forms.CharField(
                label=_("Where"), required=False, max_length=120
            )
            self.fields[f"onset_{code}"] = forms.DateField(
                label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
            self.fields[f"rating_{code}"] = forms.TypedChoiceField(
                label=_("How bad (the patient's rating)"),
                choices=RATING_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"present_{code}"] = forms.BooleanField(
                label=_("Still there"), required=False, initial=True
            )
        self.fields["other"] = forms.CharField(
            label=_("The other effect, in words"), required=False, max_length=200
        )
        # The table's cells have no label of their own: each says its column and its effect.
        for code in vocabulary.EFFECTS:
            for part in ("site", "onset", "rating", "present"):
                field = self.fields[f"{part}_{code}"]
                field.widget.attrs["aria-label"] = format_lazy(
                    "{} · {}", field.label, labels.EFFECTS[code]
                )
        self.fields["other"].widget.attrs["aria-label"] = self.fields["other"].label

    def effect_rows(self):
        """The fields of each effect, for the template: (code, tick, site, onset, rating,
        present)."""
        return [
            (
                code,
                *(
                    self[f"{part}_{code}"]
                    for part in ("effect", "site", "onset", "rating", "present")
                ),
            )
            for code in vocabulary.EFFECTS
        ]

    def answers(self) -> Answers:
        data = self.cleaned_data
        effects = tuple(
            EffectAnswer(
                code=code,
                site=data.get(f"site_{code}") or "",
                onset_on=data.get(f"onset_{code}"),
                present=bool(data.get(f"present_{code}")),
                self_grade=data.get(f"rating_{code}"),
                other=(data.get("other") or "") if code == "other" else "",
            )
            for code in vocabulary.EFFECTS
            if data.get(f"effect_{code}")
        )
        return Answers(
            skin=data["skin"],
            effects=effects,
            note=data.get("note") or "",
            photo=data.get("photo"),
            answered_at=data["answered_at"],
        )


class ReviewForm(forms.Form):
    """The clinician's grade (CTCAE v5, its definition in each choice) and resolved-at for each
    effect of a check-in: fields `grade_<effect id>` and `resolved_<effect id>`, the names the
    service's refusals use."""

    def __init__(self, *args, effects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.effects = list(effects)
        for effect in self.effects:
            self.fields[f"grade_{effect.pk}"] = forms.TypedChoiceField(
                label=_("CTCAE grade"),
                choices=GRADE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=effect.current_grade,
            )
            self.fields[f"resolved_{effect.pk}"] = _datetime_field(
                _("Resolved at"),
                required=False,
                initial=effect.resolved_at and timezone.localtime(effect.resolved_at),
            )

    def rows(self):
        return [(e, self[f"grade_{e.pk}"], self[f"resolved_{e.pk}"]) for e in self.effects]

    def grades(self) -> dict:
        return {
            e.pk: self.cleaned_data[f"grade_{e.pk}"]
            for e in self.effects
            if self.cleaned_data.get(f"grade_{e.pk}") is not None
        }

    def resolved(self) -> dict:
        return {e.pk: self.cleaned_data.get(f"resolved_{e.pk}") for e in self.effects}


class GradeForm(forms.Form):
    grade = forms.TypedChoiceField(
        label=_("CTCAE grade"), choices=GRADE_CHOICES[1:], coerce=int, widget=forms.RadioSelect
    )


class StepForm(forms.Form):
    code = forms.ChoiceField(choices=[(c, c) for c in vocabulary.STEPS])
    done = forms.BooleanField(required=False)


class CloseForm(forms.Form):
    """Closing: the outcome is checked by the service (with the dermatologist), so a missing
    outcome and a closer who is not a dermatologist are said together, beside their fields."""

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", "—"), *AdverseEvent.Outcome.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Outcome note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resume_course = forms.BooleanField(label=_("Resume the course"), required=False)
    # Not typed: the place where the service's "not a dermatologist" refusal is shown.
    dermatologist = forms.CharField(required=False, widget=forms.HiddenInput, label=_("Closed by"))
