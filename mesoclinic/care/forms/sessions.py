"""Forms for a treatment plan and for charting a session (built for a tablet: few fields,
sensible defaults, one tap per zone on the map)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.care import labels, zones
from mesoclinic.care.forms.screening import YES_NO, DateTimeLocalInput, is_database_id
from mesoclinic.formulary.models import Lot, ProtocolVersion


class CourseForm(forms.Form):
    """The plan's schedule; the volumes per component are fields added per component."""

    sessions = forms.IntegerField(label=_("Sessions"), min_value=1, max_value=50)
    interval_days = forms.IntegerField(label=_("Days between sessions"), min_value=1, max_value=365)
    maintenance_days = forms.IntegerField(
        label=_("Maintenance after the last session (days)"), min_value=1, max_value=3650
    )
    start_date = forms.DateField(
        label=_("First session"), widget=forms.DateInput(attrs={"type": "date"})
    )
    override_reason = forms.CharField(
        label=_("Dermatologist only: the clinical reason to pass a protocol limit"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("Leave empty unless a volume above is outside the protocol's limits."),
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.components = list(version.components.select_related("ingredient", "product"))
        for component in self.components:
            self.fields[f"volume_{component.pk}"] = forms.DecimalField(
                label=_("%(component)s: mL per session") % {"component": component.label},
                min_value=0.01,
                max_value=1000,
                decimal_places=2,
                initial=component.volume_per_session_min or component.volume_per_session_max,
            )
        self.fields["sessions"].initial = version.sessions_min
        self.fields["interval_days"].initial = version.interval_days_min
        self.fields["maintenance_days"].initial = version.maintenance_days_min
        self.fields["start_date"].initial = timezone.localdate()

    def volume_fields(self):
        return [self[f"volume_{component.pk}"] for component in self.components]


class LotSelect(forms.ModelChoiceField):
    def label_from_instance(self, lot):
        return f"{lot.product.brand} · {lot.lot_number} · {lot.balance.normalize():f} mL"

    def to_python(self, value):
        if value not in self.empty_values and not is_database_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class SessionLineForm(forms.Form):
    """One product given: the lot, the volume and the zones it went to."""

    lot = LotSelect(label=_("Lot"), queryset=Lot.objects.none())
    volume = forms.DecimalField(
        label=_("mL"), min_value=0.01, max_value=1000, decimal_places=2, localize=False
    )
    zones = forms.MultipleChoiceField(
        label=_("Zones"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, lots, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = lots
        self.fields["zones"].choices = [
            (code, labels.ZONES[code]) for code in zones.MAPS.get(procedure, ())
        ]


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data for form in self.forms):
            raise forms.ValidationError(_("Record at least one product given."))


SessionLineFormSet = forms.formset_factory(
    SessionLineForm, formset=BaseLineFormSet, extra=3, max_num=8, validate_max=True
)


class SessionForm(forms.Form):
    pregnant_today = forms.ChoiceField(
        label=_("Asked today: pregnant, or could be?"), choices=YES_NO, widget=forms.RadioSelect
    )
    breastfeeding_today = forms.ChoiceField(
        label=_("Asked today: breastfeeding?"), choices=YES_NO, widget=forms.RadioSelect
    )
    points = forms.IntegerField(label=_("Injection points"), min_value=1, max_value=2000)
    technique = forms.ChoiceField(label=_("Technique"), choices=ProtocolVersion.Technique.choices)
    depth = forms.CharField(label=_("Depth"), max_length=80)
    needle = forms.CharField(label=_("Needle"), max_length=80)
    numbing_cream = forms.BooleanField(label=_("Numbing cream used"), required=False)
    started_at = forms.DateTimeField(label=_("Started"), widget=DateTimeLocalInput())
    ended_at = forms.DateTimeField(label=_("Ended"), widget=DateTimeLocalInput())
    reactions = forms.CharField(
        label=_("Immediate reactions"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        version = course.protocol_version
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["technique"].initial = version.technique
        self.fields["depth"].initial = version.depth
        self.fields["needle"].initial = version.needle
        # Opening the page is the start: the gate is passed before the needle. Times are
        # editable when charting afterwards.
        self.fields["started_at"].initial = now
        self.fields["ended_at"].initial = now
