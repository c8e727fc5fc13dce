"""The check-in form a patient answers on their phone, from the link in their message.

One set of questions for all the effects ticked, not one set per effect. On a cheap phone with
no JavaScript, a block of "where, since when, how bad, still there" per effect would have to be
drawn for all fourteen effects (there is no script to show only the ticked ones): fifty-odd
questions to scroll past, each read out by a screen reader, for a patient who usually has one
sore area. So the patient says where, since when, how bad the worst of them is and whether it
is still there, once; each ticked effect is stored with those answers. The rating errs on the
safe side (the worst one's rating is given to each, so nothing escalates less than it should),
and the clinician confirms or changes each effect's grade on review (`confirm_grades`).

"Since when" is a tap (today, yesterday, 2–3 days ago, longer) or a date. A tapped answer is
approximate, so it is never put before the session's day (a patient three hours after their
session who taps "yesterday" means "since the visit"); a typed date is taken as typed, and
one before the session is refused by the service with the session's date.
"""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.aftercare import labels, vocabulary
from mesoclinic.aftercare.services.checkins import Answers, EffectAnswer

SINCE = {
    "today": _("Today"),
    "yesterday": _("Yesterday"),
    "days_2_3": _("2 or 3 days ago"),
    "longer": _("More than 3 days ago"),
}
#: Days before today each tapped answer means ("longer": the date, if given, else not said).
SINCE_DAYS = {"today": 0, "yesterday": 1, "days_2_3": 2}

STILL = {"yes": _("Still there"), "no": _("Gone now")}

#: The service's error keys, as this form's fields (None: said above the form).
SERVICE_FIELDS = {
    "skin": "skin",
    "effects": "effects",
    "self_grade": "how_bad",
    "onset_on": "since_date",
    "other": "other",
    "photo": "photo",
}


class CheckInForm(forms.Form):
    skin = forms.ChoiceField(
        label=_("How is your skin since your visit?"),
        choices=list(labels.SKIN.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how your skin is.")},
    )
    effects = forms.MultipleChoiceField(
        label=_("Do you have any of these? Tick all that you have."),
        choices=[(code, labels.EFFECTS[code]) for code in vocabulary.EFFECTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other = forms.CharField(
        label=_("If something else: what is it?"), max_length=200, required=False
    )
    site = forms.CharField(
        label=_("Where on your body?"),
        help_text=_("For example: left cheek, forehead, the top of the head."),
        max_length=120,
        required=False,
    )
    since = forms.ChoiceField(
        label=_("Since when?"),
        choices=list(SINCE.items()),
        widget=forms.RadioSelect,
        required=False,
    )
    since_date = forms.DateField(
        label=_("Or the date it began"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"],
        error_messages={"invalid": _("Give the date as day, month and year.")},
    )
    how_bad = forms.TypedChoiceField(
        label=_("How bad is it? If you ticked more than one, the worst of them."),
        choices=list(labels.SELF_RATING.items()),
        coerce=int,
        widget=forms.RadioSelect,
        required=False,
    )
    still = forms.ChoiceField(
        label=_("Is it still there?"),
        choices=list(STILL.items()),
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(
        label=_("Anything else you want to tell the clinic (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(
        label=_("A photo of the area (optional)"),
        help_text=_(
            "A clear photo in daylight helps the doctor. Location and camera details are removed."
        ),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, session_day: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.session_day = session_day
        today = timezone.localdate()
        self.fields["since_date"].widget.attrs.update(
            {"min": session_day.isoformat(), "max": today.isoformat()}
        )

    def clean(self):
        data = super().clean()
        if data.get("effects"):
            said = data.get("since") or data.get("since_date") or "since_date" in self.errors
            if not said:
                self.add_error("since", _("Say when it began."))
            if not data.get("how_bad"):
                self.add_error("how_bad", _("Say how bad it is."))
            if not data.get("still"):
                self.add_error("still", _("Say whether it is still there."))
            if "other" in data["effects"] and not (data.get("other") or "").strip():
                self.add_error("other", _("Say what the other effect is."))
        return data

    def onset(self) -> date | None:
        """The day it began: the typed date, else the tapped answer (never before the
        session's day), else not said."""
        typed = self.cleaned_data.get("since_date")
        if typed is not None:
            return typed
        days = SINCE_DAYS.get(self.cleaned_data.get("since") or "")
        if days is None:
            return None
        return max(timezone.localdate() - timedelta(days=days), self.session_day)

    def answers(self) -> Answers:
        data = self.cleaned_data
        onset = self.onset()
        present = data.get("still") != "no"
        return Answers(
            skin=data["skin"],
            effects=tuple(
                EffectAnswer(
                    code=code,
                    site=data.get("site") or "",
                    onset_on=onset,
                    present=present,
                    self_grade=data.get("how_bad") or None,
                    other=(data.get("other") or "") if code == "other" else "",
                )
                for code in data.get("effects") or ()
            ),
            note=data.get("note") or "",
            photo=data.get("photo"),
        )

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """The service's refusal, on the fields the patient answered."""
        for key, messages in errors.items():
            field = SERVICE_FIELDS.get(key)
            for message in messages:
                self.add_error(field, message)

    def describe_fields(self) -> None:
        """Tie each typed answer to its hint and its error (`aria-describedby`), and mark it
        invalid, so a screen reader says why it was refused; questions answered by taps carry
        theirs on their fieldset (`_choices.html`)."""
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.RadioSelect):  # CheckboxSelectMultiple included
                continue
            ids = [f"{name}-help"] if field.help_text else []
            if self.is_bound and self.errors.get(name):
                ids.append(f"{name}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def linked_errors(self) -> list[tuple[str, str]]:
        """(anchor, message) for the summary above the form: each links to the first input
        of its question, so a tap (or a screen reader) goes straight to it."""
        found = []
        for message in self.non_field_errors():
            found.append(("", message))
        for name, field in self.fields.items():
            for message in self.errors.get(name, ()):
                tapped = isinstance(field.widget, forms.RadioSelect)
                anchor = f"id_{name}_0" if tapped else f"id_{name}"
                found.append((anchor, message))
        return found


def form_context(form: CheckInForm) -> dict:
    """What a page showing the form needs: the form, each answer tied to its hint and error,
    and the summary of what to fix (none before it is sent). The signed link's pages and the
    patient portal's show the same form the same way."""
    form.describe_fields()
    return {"form": form, "errors": form.linked_errors() if form.is_bound else []}
