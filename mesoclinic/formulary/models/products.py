"""Ingredients and the products (vials, ampoules, creams) that contain them."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mesoclinic.formulary.doses import ConcentrationUnit, compatible_units

CONCENTRATION_UNITS = [(unit.value, unit.value) for unit in ConcentrationUnit]

code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]*\Z", _("Lower-case letters, digits and underscores, starting with a letter.")
)


class Ingredient(models.Model):
    """An active substance (tranexamic acid, dutasteride …) identified by the screening code.

    The code is the one the contraindication engine and patients' allergies use
    (`care.vocabulary.INGREDIENTS`, extended here by a clinic's own ingredients), so a rule
    such as "dutasteride: absolute if pregnant" reaches every product and protocol containing
    it. Codes are never renamed: stored allergies and rules refer to them.
    """

    code = models.CharField(max_length=60, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=120)
    name_ur = models.CharField(_("name in Urdu"), max_length=120)
    concentration_unit = models.CharField(
        _("concentration unit"),
        max_length=10,
        choices=CONCENTRATION_UNITS,
        help_text=_("The unit products and protocols state this ingredient's strength in."),
    )
    notes = models.TextField(_("notes and evidence"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_ur if get_language() == "ur" and self.name_ur else self.name


class Product(models.Model):
    """A product as bought: brand, maker, DRAP registration, pack and how it is kept.

    Stock is counted in `stock_unit` (mL for injectables). Multi-dose vials record how long an
    opened vial may be used: published mycobacterial outbreaks after mesotherapy were traced to
    multi-dose vials (CLINICAL.md), so use after the discard time is refused.
    """

    class Form(models.TextChoices):
        SOLUTION = "solution", _("Solution for injection")
        POWDER = "powder", _("Powder for reconstitution")
        CREAM = "cream", _("Cream or gel")

    class StockUnit(models.TextChoices):
        ML = "mL", _("millilitres (mL)")
        G = "g", _("grams (g)")

    class Storage(models.TextChoices):
        ROOM = "room", _("Below 25 °C")
        FRIDGE = "fridge", _("Refrigerated, 2–8 °C")

    brand = models.CharField(_("brand"), max_length=120)
    manufacturer = models.CharField(_("manufacturer"), max_length=120)
    drap_registration = models.CharField(
        _("DRAP registration number"),
        max_length=60,
        blank=True,
        help_text=_("As printed on the pack; the format is not checked."),
    )
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    ingredients = models.ManyToManyField(
        Ingredient, through="ProductIngredient", related_name="products"
    )
    stock_unit = models.CharField(
        _("stock unit"), max_length=4, choices=StockUnit.choices, default=StockUnit.ML
    )
    pack_size = models.DecimalField(
        _("vial or pack size"), max_digits=8, decimal_places=2, help_text=_("In the stock unit.")
    )
    storage = models.CharField(_("storage"), max_length=10, choices=Storage.choices)
    multi_dose = models.BooleanField(_("multi-dose vial"), default=False)
    discard_after_hours = models.PositiveSmallIntegerField(
        _("discard after (hours)"),
        null=True,
        blank=True,
        help_text=_("Multi-dose vials only: how long an opened vial may be used."),
    )
    low_stock_level = models.DecimalField(
        _("low-stock level"),
        max_digits=10,
        decimal_places=2,
        default=0,
        help_text=_("A clinic's lot at or below this balance is listed as low (stock unit)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["brand"]
        constraints = [
            models.CheckConstraint(name="product_pack_size_positive", condition=Q(pack_size__gt=0)),
            models.CheckConstraint(
                name="product_low_stock_not_negative", condition=Q(low_stock_level__gte=0)
            ),
            models.CheckConstraint(
                name="product_discard_hours_iff_multi_dose",
                condition=Q(multi_dose=True, discard_after_hours__gt=0)
                | Q(multi_dose=False, discard_after_hours__isnull=True),
                violation_error_message=_(
                    "A multi-dose vial needs its discard-after hours; a single-dose one has none."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.brand} ({self.manufacturer})"


class ProductIngredient(models.Model):
    """An ingredient of a product and its strength, in the ingredient's own unit (or one that
    converts to it, such as % and mg/mL)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="components")
    ingredient = models.ForeignKey(Ingredient, on_delete=models.PROTECT, related_name="+")
    concentration = models.DecimalField(_("concentration"), max_digits=10, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=10, choices=CONCENTRATION_UNITS)

    class Meta:
        ordering = ["product", "ingredient__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "ingredient"], name="productingredient_unique"
            ),
            models.CheckConstraint(
                name="productingredient_concentration_positive", condition=Q(concentration__gt=0)
            ),
        ]

    def __str__(self):
        return f"{self.ingredient.name} {self.concentration} {self.unit}"

    def clean(self):
        if self.ingredient_id and self.unit:
            expected = self.ingredient.concentration_unit
            if not compatible_units(self.unit, expected):
                raise ValidationError({"unit": unit_mismatch_message(self.ingredient, self.unit)})


def unit_mismatch_message(ingredient, unit) -> str:
    return _("%(ingredient)s is measured in %(expected)s; %(unit)s cannot be converted to it.") % {
        "ingredient": ingredient.name,
        "expected": ingredient.concentration_unit,
        "unit": unit,
    }
