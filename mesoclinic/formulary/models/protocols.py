"""Protocols: how a clinic treats an indication, as numbered versions that are never edited
once approved. A session records the version it followed, so changing a protocol never rewrites
what was done."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mesoclinic.formulary import doses
from mesoclinic.formulary.models.products import CONCENTRATION_UNITS

INDICATIONS = [
    ("melasma", _("Melasma")),
    ("hyperpigmentation", _("Hyperpigmentation")),
    ("skin_rejuvenation", _("Skin rejuvenation")),
    ("androgenetic_alopecia", _("Androgenetic alopecia")),
    ("alopecia_areata", _("Alopecia areata")),
    ("localized_fat", _("Localized fat")),
    ("cellulite", _("Cellulite")),
    ("other", _("Other")),
]


class Protocol(models.Model):
    """A named way of treating one indication (e.g. "Melasma: intradermal tranexamic acid").
    Its content lives in its versions."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_ur = models.CharField(_("name in Urdu"), max_length=150)
    indication = models.CharField(_("indication"), max_length=30, choices=INDICATIONS)

    class Meta:
        ordering = ["indication", "name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name_ur if get_language() == "ur" and self.name_ur else self.name


class ProtocolVersion(models.Model):
    """One version of a protocol: draft while being written, approved by a named, credentialed
    dermatologist, retired when a newer version is approved. Only drafts change; changing an
    approved version means writing the next version, so sessions keep pointing at the one used.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        RETIRED = "retired", _("Retired")

    class Technique(models.TextChoices):
        NAPPAGE = "nappage", _("Nappage")
        PAPULES = "papules", _("Point-by-point papules")
        LINEAR = "linear", _("Linear retrograde")
        INTRALESIONAL = "intralesional", _("Intralesional")
        SUBCUTANEOUS = "subcutaneous", _("Subcutaneous injection")

    class OutcomeScale(models.TextChoices):
        MMASI = "mmasi", _("mMASI")
        MASI = "masi", _("MASI")
        GAIS = "gais", _("GAIS")
        NORWOOD_LUDWIG = "norwood_ludwig", _("Norwood–Hamilton / Ludwig")
        SALT = "salt", _("SALT (hair loss area)")
        PHOTOS = "photos", _("Standard photographs and measurements")

    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    technique = models.CharField(_("technique"), max_length=20, choices=Technique.choices)
    depth = models.CharField(_("depth"), max_length=80, help_text=_("e.g. mid-dermis, 1.5–2 mm"))
    needle = models.CharField(_("needle"), max_length=80, help_text=_("e.g. 30G × 4 mm"))
    sessions_min = models.PositiveSmallIntegerField(_("sessions, at least"))
    sessions_max = models.PositiveSmallIntegerField(_("sessions, at most"))
    interval_days_min = models.PositiveSmallIntegerField(_("days between sessions, at least"))
    interval_days_max = models.PositiveSmallIntegerField(_("days between sessions, at most"))
    maintenance_days_min = models.PositiveSmallIntegerField(
        _("maintenance after (days), at least"), null=True, blank=True
    )
    maintenance_days_max = models.PositiveSmallIntegerField(
        _("maintenance after (days), at most"), null=True, blank=True
    )
    outcome_scale = models.CharField(
        _("outcome scale"), max_length=20, choices=OutcomeScale.choices
    )
    evidence = models.TextField(_("evidence references"))
    unverified = models.BooleanField(
        _("clinic to confirm"),
        default=False,
        help_text=_("Some values have no firm published source (CLINICAL.md marks them)."),
    )
    notes = models.TextField(_("notes"), blank=True)
    revision = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text=_("Counts saves of the draft: an approval names the revision it reviewed."),
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        "clinics.Practitioner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_protocol_versions",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["protocol", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "number"], name="protocolversion_unique_number"
            ),
            models.UniqueConstraint(
                fields=["protocol"],
                condition=Q(status="approved"),
                name="protocolversion_one_approved",
            ),
            models.UniqueConstraint(
                fields=["protocol"],
                condition=Q(status="draft"),
                name="protocolversion_one_draft",
            ),
            models.CheckConstraint(
                name="protocolversion_approval_named",
                condition=Q(status="draft")
                | Q(approved_by__isnull=False, approved_at__isnull=False),
            ),
            models.CheckConstraint(
                name="protocolversion_sessions_range",
                condition=Q(sessions_min__gte=1, sessions_max__gte=F("sessions_min")),
            ),
            models.CheckConstraint(
                name="protocolversion_interval_range",
                condition=Q(
                    interval_days_min__gte=1, interval_days_max__gte=F("interval_days_min")
                ),
            ),
            models.CheckConstraint(
                name="protocolversion_maintenance_range",
                condition=Q(maintenance_days_min__isnull=True, maintenance_days_max__isnull=True)
                | Q(
                    maintenance_days_min__gte=1,
                    maintenance_days_max__gte=F("maintenance_days_min"),
                ),
            ),
        ]

    def __str__(self):
        return f"{self.protocol.name} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class ProtocolComponent(models.Model):
    """One part of a protocol version's cocktail: an ingredient at a strength, or a named
    product, with the volumes it may be given in (mL)."""

    version = models.ForeignKey(
        ProtocolVersion, on_delete=models.CASCADE, related_name="components"
    )
    ingredient = models.ForeignKey(
        "formulary.Ingredient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ingredient"),
    )
    product = models.ForeignKey(
        "formulary.Product",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product"),
    )
    concentration = models.DecimalField(
        _("concentration"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=10, choices=CONCENTRATION_UNITS, blank=True)
    volume_per_point_min = models.DecimalField(
        _("mL per point, at least"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    volume_per_point_max = models.DecimalField(
        _("mL per point, at most"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    volume_per_session_min = models.DecimalField(
        _("mL per session, at least"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    volume_per_session_max = models.DecimalField(
        _("mL per session, at most"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    session_ceiling = models.DecimalField(
        _("maximum mL in one session"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The hard ceiling (e.g. deoxycholic acid 10 mL); not even an override."),
    )
    max_points = models.PositiveSmallIntegerField(_("points, at most"), null=True, blank=True)
    unverified = models.BooleanField(_("clinic to confirm"), default=False)

    class Meta:
        ordering = ["version", "id"]
        constraints = [
            models.CheckConstraint(
                name="protocolcomponent_ingredient_xor_product",
                condition=Q(ingredient__isnull=False, product__isnull=True)
                | Q(ingredient__isnull=True, product__isnull=False),
            ),
            models.CheckConstraint(
                name="protocolcomponent_concentration_with_unit",
                condition=Q(concentration__isnull=True, unit="")
                | (Q(concentration__gt=0) & ~Q(unit="")),
            ),
            models.CheckConstraint(
                name="protocolcomponent_point_range",
                condition=Q(volume_per_point_min__isnull=True)
                | Q(volume_per_point_max__isnull=True)
                | Q(volume_per_point_max__gte=F("volume_per_point_min")),
            ),
            models.CheckConstraint(
                name="protocolcomponent_session_range",
                condition=Q(volume_per_session_min__isnull=True)
                | Q(volume_per_session_max__isnull=True)
                | Q(volume_per_session_max__gte=F("volume_per_session_min")),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        what = self.ingredient.display_name if self.ingredient_id else self.product.brand
        if self.concentration is None:
            return what
        strength = f"{self.concentration.normalize():f} {self.unit}"
        if get_language() == "ur":
            strength = f"\u2066{strength}\u2069"  # keeps "4 mg/mL" in order inside Urdu text
        return f"{what} {strength}"

    @property
    def limits(self) -> doses.ComponentLimits:
        return doses.ComponentLimits(
            per_point_min=self.volume_per_point_min,
            per_point_max=self.volume_per_point_max,
            per_session_min=self.volume_per_session_min,
            per_session_max=self.volume_per_session_max,
            session_ceiling=self.session_ceiling,
            max_points=self.max_points,
        )
