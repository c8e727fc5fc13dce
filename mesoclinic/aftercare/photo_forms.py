"""The course photo form: which standardized view, at the baseline or at which session, and
the file. The choices come from the course (its indication's views, its charted sessions);
the service checks them again."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mesoclinic.aftercare import labels
from mesoclinic.aftercare.services.photos import allowed_views

BASELINE = "baseline"


class CoursePhotoForm(forms.Form):
    view = forms.ChoiceField(label=pgettext_lazy("course progress", "View"))
    moment = forms.ChoiceField(label=pgettext_lazy("course progress", "Taken at"))
    photo = forms.FileField(
        label=pgettext_lazy("course progress", "Photo"),
        help_text=_("JPEG, PNG or WebP. Location and camera details are removed on upload."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, course, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = {str(s.pk): s for s in sessions}
        self.fields["view"].choices = [(v, labels.VIEWS[v]) for v in allowed_views(course)]
        self.fields["moment"].choices = [(BASELINE, _("Baseline, before the first session"))] + [
            (str(s.pk), _("Session %(number)s") % {"number": s.number}) for s in sessions
        ]
        if sessions and not self.is_bound:
            self.initial.setdefault("moment", str(sessions[-1].pk))

    def session(self):
        """The chosen session, or None for the baseline."""
        return self.sessions.get(self.cleaned_data["moment"])
