"""Forms for stock and protocols: they validate what people type and name what to fix; the
services re-check under a lock and write."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from mesoclinic.formulary import doses, stock
from mesoclinic.formulary.models import (
    Lot,
    Product,
    ProtocolComponent,
    ProtocolVersion,
    StockMovement,
)
from mesoclinic.formulary.models.products import unit_mismatch_message
from mesoclinic.formulary.models.stock import MAX_QUANTITY
from mesoclinic.formulary.services.protocols import COMPONENT_FIELDS, VERSION_FIELDS
from mesoclinic.patients.models import Patient
from mesoclinic.patients.search import classify_query

#: Django 6.1's own Urdu catalogue lacks this select placeholder; naming it here lets
#: makemessages put it in ours.
_DJANGO_STRINGS = (gettext_noop("- Select an option -"),)

QUANTITY = {
    "max_digits": 10,
    "decimal_places": 2,
    "min_value": Decimal("0.01"),
    "max_value": Decimal(MAX_QUANTITY),
}


class ReceiveLotForm(forms.Form):
    clinic = forms.ModelChoiceField(queryset=None, label=_("Clinic"))
    product = forms.ModelChoiceField(
        queryset=Product.objects.filter(is_active=True), label=_("Product")
    )
    lot_number = forms.CharField(label=_("Lot number"), max_length=40)
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Expires on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    quantity = forms.DecimalField(
        label=_("Quantity received"), help_text=_("In the product's stock unit."), **QUANTITY
    )

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinic"].queryset = clinics
        self.fields["clinic"].label_from_instance = lambda clinic: clinic.name
        self.fields["received_on"].initial = timezone.localdate()
        if clinics.count() == 1:
            self.fields["clinic"].initial = clinics.first()

    def clean(self):
        data = super().clean()
        received, expires = data.get("received_on"), data.get("expires_on")
        if received and expires and expires < received:
            self.add_error("expires_on", _("The expiry date is before the date received."))
        return data


class MovementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[c for c in StockMovement.Kind.choices if c[0] != stock.MovementKind.RECEIVED],
    )
    quantity = forms.DecimalField(label=_("Quantity"), **QUANTITY)
    increase = forms.BooleanField(
        label=_("The count is higher than the ledger (adjustments only)"), required=False
    )
    patient_mrn = forms.CharField(label=_("Patient MRN (for a use)"), required=False, max_length=20)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, user, lot, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.lot = user, lot
        if lot.status != Lot.Status.AVAILABLE or lot.is_expired:
            # It may only leave the shelf: offering "used" would invite a refusal.
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] != stock.MovementKind.USED
            ]
            self.fields["kind"].initial = stock.MovementKind.RETURNED

    def clean(self):
        data = super().clean()
        mrn = (data.get("patient_mrn") or "").strip().upper()
        data["patient"] = None
        if mrn:
            kind, value = classify_query(mrn)
            patient = None
            if kind == "mrn":
                patient = Patient.objects.for_user(self.user).filter(mrn=value).first()
            if patient is None:
                self.add_error("patient_mrn", _("No patient of yours has this MRN."))
            data["patient"] = patient
        return data


class LotStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Lot.Status.choices)
    reason = forms.CharField(label=_("Reason or recall notice"), max_length=1000)


class RecallProductForm(forms.Form):
    reason = forms.CharField(label=_("Recall notice"), max_length=1000)


class VersionForm(forms.ModelForm):
    class Meta:
        model = ProtocolVersion
        fields = VERSION_FIELDS
        widgets = {
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class ComponentForm(forms.ModelForm):
    class Meta:
        model = ProtocolComponent
        fields = COMPONENT_FIELDS

    def clean(self):
        data = super().clean()
        ingredient, product = data.get("ingredient"), data.get("product")
        if bool(ingredient) == bool(product):
            raise forms.ValidationError(_("Choose an ingredient or a product, not both."))
        concentration, unit = data.get("concentration"), data.get("unit")
        if (concentration is None) != (not unit):
            self.add_error("unit", _("Give the concentration and its unit together."))
        elif (
            ingredient and unit and not doses.compatible_units(unit, ingredient.concentration_unit)
        ):
            self.add_error("unit", unit_mismatch_message(ingredient, unit))
        limits = doses.ComponentLimits(
            per_point_min=data.get("volume_per_point_min"),
            per_point_max=data.get("volume_per_point_max"),
            per_session_min=data.get("volume_per_session_min"),
            per_session_max=data.get("volume_per_session_max"),
            session_ceiling=data.get("session_ceiling"),
            max_points=data.get("max_points"),
        )
        for name in doses.limits_errors(limits):
            field = {
                "per_point_min": "volume_per_point_min",
                "per_point_max": "volume_per_point_max",
                "per_session_min": "volume_per_session_min",
                "per_session_max": "volume_per_session_max",
            }.get(name, name)
            self.add_error(field, _("Must be above zero and not below the minimum before it."))
        return data


ComponentFormSet = forms.formset_factory(
    ComponentForm, extra=1, can_delete=True, min_num=1, validate_min=True
)


class DoseCheckForm(forms.Form):
    component = forms.ModelChoiceField(queryset=None, label=_("Component"))
    per_point = forms.DecimalField(
        label=_("mL per point"), required=False, max_digits=6, decimal_places=3
    )
    points = forms.IntegerField(label=_("Points"), required=False, min_value=0)
    total = forms.DecimalField(
        label=_("mL in the session"), required=False, max_digits=6, decimal_places=2
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = version.components.select_related(
            "ingredient", "product"
        )
        self.fields["component"].label_from_instance = lambda c: c.label
        components = list(self.fields["component"].queryset)
        if len(components) == 1:
            self.fields["component"].initial = components[0].pk

    def clean(self):
        data = super().clean()
        if all(data.get(n) is None for n in ("per_point", "points", "total")):
            raise forms.ValidationError(
                _("Enter an amount per point, a number of points or a total.")
            )
        return data

    def amount(self) -> doses.Amount:
        data = self.cleaned_data
        return doses.Amount(
            per_point=data.get("per_point"), points=data.get("points"), total=data.get("total")
        )
