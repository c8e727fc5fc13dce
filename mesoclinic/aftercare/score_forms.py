"""The score entry form: one form per scale, its fields drawn from `scales.FIELDS` (named by
their dotted path, "forehead.area"), checked by the same pure calculator the API and the
service use. (Its own module, not `forms.py`, so the slices building aftercare in parallel do
not collide.)"""

from django import forms
from django.utils.translation import gettext_lazy as _

from mesoclinic.aftercare import labels, scales
from mesoclinic.aftercare.models import OutcomeScore

#: Grade lists no longer than this are drawn as a select; longer ones as a number box.
SELECT_UP_TO = 10


def _label(path: str):
    group, _dot, name = path.rpartition(".")
    if group == "answers":
        return _("Answer %(number)s") % {"number": int(name) + 1}
    word = labels.SCORE_INPUTS.get(name, name)
    return f"{labels.SCORE_REGIONS[group]} · {word}" if group else word


def _choices(scale: str, field: scales.Field) -> list[tuple[str, str]]:
    name = field.path.rpartition(".")[2]
    if field.kind == "choice":
        words = labels.GLOGAU if scale == "glogau" else {}
        return [(c, words.get(c, c)) for c in field.choices]
    words = {"gais": labels.GAIS}.get(scale, labels.MASI_AREAS if name == "area" else {})
    return [(str(n), words.get(n, str(n))) for n in range(field.lo, field.hi + 1)]


def _form_field(scale: str, field: scales.Field) -> forms.Field:
    label = _label(field.path)
    if field.kind == "number":
        return forms.DecimalField(
            label=label, min_value=field.lo, max_value=field.hi, max_digits=6, decimal_places=2
        )
    if field.kind == "whole" and field.hi - field.lo > SELECT_UP_TO:
        return forms.IntegerField(label=label, min_value=field.lo, max_value=field.hi)
    choices = [("", "—"), *_choices(scale, field)]
    if field.kind == "choice":
        return forms.ChoiceField(label=label, choices=choices)
    return forms.TypedChoiceField(label=label, choices=choices, coerce=int)


class ScoreForm(forms.Form):
    """The inputs of one scale and who rated; `result` holds the calculator's answer once the
    form is valid. The rater is stored beside the score (GAIS is rated by patient and
    investigator alike), never part of it."""

    def __init__(self, *args, scale: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale = scale
        self.result: scales.Result | None = None
        for field in scales.FIELDS[scale]:
            self.fields[field.path] = _form_field(scale, field)
        default = "patient" if scale == "satisfaction" else "clinician"
        self.fields["rater"] = forms.ChoiceField(
            label=_("Rated by"),
            choices=[(value, labels.RATERS[value]) for value in OutcomeScore.Rater.values],
            initial=default,
        )

    def inputs(self) -> dict:
        """The cleaned inputs, shaped as the calculator reads them."""
        return scales.nest(
            {path: self.cleaned_data[path] for path in self.fields if path != "rater"}
        )

    def clean(self):
        cleaned = super().clean()
        # The value needs only the scale's inputs (the live preview sends no rater).
        if any(path in self.errors for path in self.fields if path != "rater"):
            return cleaned
        try:
            self.result = scales.score(self.scale, self.inputs())
        except scales.InvalidInput as refused:  # the fields' own limits catch these first
            for path, message in refused.errors.items():
                self.add_error(path if path in self.fields else None, message)
        return cleaned

    def input_fields(self):
        return [self[path] for path in self.fields if path != "rater"]
