"""Forms for a treatment plan and for charting a session (built for a tablet: few fields,
sensible defaults, one tap per zone on the map)."""

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mesoclinic.care import labels, zones
from mesoclinic.care.forms.screening import YES_NO, DateTimeLocalInput
from mesoclinic.core.text import is_database_id
from mesoclinic.formulary import lot_words
from mesoclinic.formulary.depths import depth_from_label, depth_label
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
                min_value=Decimal("0.01"),
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


class LotWidget(forms.Select):
    """A select whose unusable lots are listed, after the usable ones, but cannot be chosen."""

    disabled_values: frozenset[str] = frozenset()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


def lot_label(option) -> str:
    """A lot as the list shows it: product, number, expiry, balance, and why it cannot be used."""
    lot = option.lot
    label = _("%(product)s · lot %(lot)s · expires %(date)s · %(balance)s %(unit)s left") % {
        "product": lot.product.brand,
        "lot": lot_words.isolate(lot.lot_number),
        "date": lot_words.day(lot.expires_on),
        "balance": lot_words.amount(lot.balance),
        "unit": lot.product.stock_unit,
    }
    if option.usable:
        return label
    return _("%(lot)s — cannot be used: %(why)s") % {
        "lot": label,
        "why": lot_words.join(option.why),
    }


class LotSelect(forms.ModelChoiceField):
    """A lot of the course's clinic. Whatever is posted is looked up among that clinic's lots
    only, so another clinic's lot id is refused without a word about that lot. A lot the page
    listed (`listed`, by id: that clinic's lots, read with their products for the page) is
    taken from the list, not read again."""

    widget = LotWidget
    listed: dict = {}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not is_database_id(value):
            raise forms.ValidationError(lot_words.not_this_clinics(), code="invalid_choice")
        if int(value) in self.listed:
            return self.listed[int(value)]
        try:
            return self.queryset.get(pk=int(value))
        except self.queryset.model.DoesNotExist:
            raise forms.ValidationError(
                lot_words.not_this_clinics(), code="invalid_choice"
            ) from None


class SessionLineForm(forms.Form):
    """One product given: the lot, the volume and the zones it went to.

    `lots` is the page's list (care.selectors.session_lot_options, read once for every line):
    usable lots first, first-expiring first, each with its expiry and balance; the unusable
    ones follow, greyed out, saying why. A lot posted that cannot be used (recalled, expired,
    quarantined, empty or short, a vial past its discard time) is refused on its line, in words.
    """

    lot = LotSelect(label=_("Lot"), queryset=Lot.objects.none())
    volume = forms.DecimalField(
        label=_("mL"), min_value=Decimal("0.01"), max_value=1000, decimal_places=2, localize=False
    )
    zones = forms.MultipleChoiceField(
        label=_("Zones"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, lots, clinic_id, procedure, now, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        field = self.fields["lot"]
        field.queryset = Lot.objects.filter(clinic_id=clinic_id).select_related("product")
        field.listed = {o.lot.pk: o.lot for o in lots if o.lot.clinic_id == clinic_id}
        field.choices = [("", "---------")] + [(o.lot.pk, lot_label(o)) for o in lots]
        field.widget.disabled_values = frozenset(str(o.lot.pk) for o in lots if not o.usable)
        self.fields["zones"].choices = [
            (code, labels.ZONES[code]) for code in zones.MAPS.get(procedure, ())
        ]

    def clean(self):
        data = super().clean()
        lot = data.get("lot")
        why = lot and lot_words.why_unusable(lot, now=self.now, needed=data.get("volume"))
        if why:
            self.add_error("lot", lot_words.refusal(lot, why))
        return data


class BaseLineFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not any(form.cleaned_data for form in self.forms):
            raise forms.ValidationError(_("Record at least one product given."))
        # One lot on several lines: together they may need more than it holds.
        lines = defaultdict(list)
        for form in self.forms:
            if form.cleaned_data.get("lot") is not None:
                lines[form.cleaned_data["lot"].pk].append(form)
        for forms_of_lot in lines.values():
            lot = forms_of_lot[0].cleaned_data["lot"]
            needed = sum((f.cleaned_data["volume"] for f in forms_of_lot), Decimal(0))
            if len(forms_of_lot) > 1 and lot.balance < needed:
                why = [lot_words.shortfall_words(lot.balance, needed, lot.product.stock_unit)]
                forms_of_lot[-1].add_error("lot", lot_words.refusal(lot, why))


SessionLineFormSet = forms.formset_factory(
    SessionLineForm, formset=BaseLineFormSet, extra=3, max_num=8, validate_max=True
)


#: How long a passed start check lets the session be charted: a long session and its notes fit
#: in it; a page left open overnight must be started again.
START_VALID_FOR = timedelta(hours=12)
_START_SALT = "mesoclinic.care.session-start"


def start_token(
    *,
    course,
    user,
    number: int,
    pregnant: bool,
    breastfeeding: bool,
    checked_at,
    override_reason: str = "",
) -> str:
    """A signed note that the gate passed before the needle, for this course, practitioner and
    session number, with today's answers: the charting form carries it, so the answers cannot
    be changed there, and it charts one session only (the service checks the number)."""
    return signing.dumps(
        {
            "course": course.pk,
            "user": user.pk,
            "number": number,
            "pregnant": pregnant,
            "breastfeeding": breastfeeding,
            "at": checked_at.isoformat(),
            "override": override_reason,
        },
        salt=_START_SALT,
    )


def read_start_token(token: str, *, course, user) -> dict | None:
    """The start check's answers and time if `token` is this practitioner's, for this course,
    and recent; None otherwise."""
    try:
        data = signing.loads(token or "", salt=_START_SALT, max_age=START_VALID_FOR.total_seconds())
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("course") != course.pk or data.get("user") != user.pk:
        return None
    try:
        checked_at = datetime.fromisoformat(data["at"])
        return {
            "pregnant_today": bool(data["pregnant"]),
            "breastfeeding_today": bool(data["breastfeeding"]),
            "start_checked_at": checked_at,
            "start_number": int(data["number"]),
            "start_override_reason": str(data.get("override") or ""),
        }
    except (KeyError, TypeError, ValueError):
        return None


class SessionStartForm(forms.Form):
    """Before the needle: the two questions asked again today, then the gate."""

    pregnant_today = forms.ChoiceField(
        label=_("Asked today: pregnant, or could be?"), choices=YES_NO, widget=forms.RadioSelect
    )
    breastfeeding_today = forms.ChoiceField(
        label=_("Asked today: breastfeeding?"), choices=YES_NO, widget=forms.RadioSelect
    )
    override_reason = forms.CharField(
        label=_("Dermatologist only: the clinical reason to start before the protocol's interval"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("Leave empty unless the gate says the session is too soon."),
    )


class SessionForm(forms.Form):
    """The session as given. Today's answers come from the start check's signed token."""

    # Not "required": a missing start gets the same message as a forged one, from clean_start.
    start = forms.CharField(widget=forms.HiddenInput, required=False)
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
    override_reason = forms.CharField(
        label=_(
            "Dermatologist only: the clinical reason to pass the plan's volume, a protocol "
            "limit or the interval"
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("Leave empty unless a volume is above the plan or the session is too soon."),
    )

    def __init__(self, *args, course, user, start=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.course, self.user = course, user
        version = course.protocol_version
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["technique"].initial = version.technique
        # In the page's language; saved in the protocol's own words (clean_depth).
        self.fields["depth"].initial = depth_label(version.depth)
        self.fields["needle"].initial = version.needle
        # The start check's time is the start; times stay editable when charting afterwards.
        started = start["start_checked_at"] if start else now
        self.fields["started_at"].initial = timezone.localtime(started).replace(
            second=0, microsecond=0
        )
        self.fields["ended_at"].initial = now
        if start and start.get("start_override_reason"):
            self.fields["override_reason"].initial = start["start_override_reason"]

    def clean_depth(self):
        """A depth the glossary knows is stored in the protocol's words, whichever language
        it was typed or prefilled in, so every page can say it in its own."""
        return depth_from_label(self.cleaned_data["depth"])

    def clean_start(self):
        start = read_start_token(self.cleaned_data["start"], course=self.course, user=self.user)
        if start is None:
            raise forms.ValidationError(
                _("Start the session first: the safety gate is checked before the needle."),
                code="not_started",
            )
        return start

    def clean(self):
        data = super().clean()
        start, started_at = data.get("start"), data.get("started_at")
        if start and started_at:
            checked = start["start_checked_at"].replace(second=0, microsecond=0)
            if not checked <= started_at <= checked + START_VALID_FOR:
                self.add_error(
                    "started_at",
                    _("The session started when the safety gate passed (%(time)s) or later.")
                    % {"time": timezone.localtime(checked).strftime("%H:%M")},
                )
        return data

    def session_data(self) -> dict:
        """The cleaned data with today's answers and the start check's time from the token."""
        data = dict(self.cleaned_data)
        data.update(data.pop("start"))
        data.pop("start_override_reason", None)
        return data
