"""Formulary JSON. Balances are read-only (the ledger derives them); quantities going in are
positive amounts whose direction comes from the movement's kind."""

from decimal import Decimal

from django.utils.translation import gettext as _
from rest_framework import serializers

from mesoclinic.clinics.models import Clinic
from mesoclinic.formulary.models import (
    Ingredient,
    Lot,
    Product,
    ProductIngredient,
    Protocol,
    ProtocolComponent,
    ProtocolVersion,
    StockMovement,
)
from mesoclinic.formulary.models.stock import MAX_QUANTITY
from mesoclinic.formulary.services.protocols import COMPONENT_FIELDS, VERSION_FIELDS
from mesoclinic.patients.api.serializers import ClinicSlugField
from mesoclinic.patients.models import Patient
from mesoclinic.restapi.schema import WritableSubsetChoiceField


class IngredientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ingredient
        fields = ["id", "code", "name", "name_ur", "concentration_unit", "notes", "is_active"]


class ProductIngredientSerializer(serializers.ModelSerializer):
    ingredient = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ProductIngredient
        fields = ["ingredient", "concentration", "unit"]


class ProductSerializer(serializers.ModelSerializer):
    ingredients = ProductIngredientSerializer(source="components", many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "brand",
            "manufacturer",
            "drap_registration",
            "form",
            "ingredients",
            "stock_unit",
            "pack_size",
            "storage",
            "multi_dose",
            "discard_after_hours",
            "low_stock_level",
            "is_active",
        ]


class LotSerializer(serializers.ModelSerializer):
    clinic = ClinicSlugField(slug_field="slug", queryset=Clinic.objects.none())
    product = serializers.PrimaryKeyRelatedField(queryset=Product.objects.filter(is_active=True))
    product_brand = serializers.CharField(source="product.brand", read_only=True)
    stock_unit = serializers.CharField(source="product.stock_unit", read_only=True)
    usable = serializers.SerializerMethodField()
    received_quantity = serializers.DecimalField(
        max_digits=10, decimal_places=2, max_value=Decimal(MAX_QUANTITY)
    )

    class Meta:
        model = Lot
        fields = [
            "id",
            "clinic",
            "product",
            "product_brand",
            "lot_number",
            "received_on",
            "expires_on",
            "received_quantity",
            "balance",
            "stock_unit",
            "status",
            "status_reason",
            "vial_opened_at",
            "usable",
            "created_at",
        ]
        read_only_fields = [
            "balance",
            "status",
            "status_reason",
            "vial_opened_at",
            "created_at",
        ]
        validators = []  # the service names a duplicate lot in the clinic's words

    def __init__(self, *args, clinics=None, **kwargs):
        super().__init__(*args, **kwargs)
        if clinics is not None:
            self.fields["clinic"].queryset = clinics

    def get_usable(self, lot) -> bool:
        return lot.status == Lot.Status.AVAILABLE and not lot.is_expired and lot.balance > 0

    def validate(self, data):
        """Both checks at once, so the caller fixes everything in one round."""
        errors = {}
        if data["received_quantity"] <= 0:
            errors["received_quantity"] = [_("Enter a quantity greater than zero.")]
        received = data.get("received_on")
        if received and data["expires_on"] < received:
            errors["expires_on"] = [_("The expiry date is before the date received.")]
        if errors:
            raise serializers.ValidationError(errors)
        return data


#: A movement's kinds as read, and those a client may post; named in the schema by
#: settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] (two sets on one field need two names).
MOVEMENT_KINDS = list(StockMovement.Kind.values)
POSTED_MOVEMENT_KINDS = [k for k in MOVEMENT_KINDS if k != StockMovement.Kind.RECEIVED]


class StockMovementSerializer(serializers.ModelSerializer):
    lot = serializers.PrimaryKeyRelatedField(queryset=Lot.objects.none())
    # Every kind is read back; "received" is only ever written by receiving a lot (POST /lots/).
    kind = WritableSubsetChoiceField(choices=MOVEMENT_KINDS, writable=POSTED_MOVEMENT_KINDS)
    quantity = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(MAX_QUANTITY),
        help_text="A positive amount in the product's stock unit; the kind gives the direction.",
    )
    increase = serializers.BooleanField(
        write_only=True, default=False, help_text="Adjustments only: the count is higher."
    )
    patient = serializers.PrimaryKeyRelatedField(
        queryset=Patient.objects.none(),
        required=False,
        allow_null=True,
        help_text="Required for a use.",
    )
    signed_quantity = serializers.DecimalField(
        source="quantity", max_digits=10, decimal_places=2, read_only=True
    )

    class Meta:
        model = StockMovement
        fields = [
            "id",
            "lot",
            "kind",
            "quantity",
            "increase",
            "signed_quantity",
            "patient",
            "vial_opened_at",
            "note",
            "recorded_at",
        ]
        read_only_fields = ["vial_opened_at", "recorded_at"]

    def __init__(self, *args, lots=None, patients=None, **kwargs):
        super().__init__(*args, **kwargs)
        if lots is not None:
            self.fields["lot"].queryset = lots
        if patients is not None:
            self.fields["patient"].queryset = patients

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["quantity"] = f"{abs(instance.quantity):.2f}"
        return data


class ProtocolComponentSerializer(serializers.ModelSerializer):
    ingredient = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ProtocolComponent
        fields = list(COMPONENT_FIELDS)


class ProtocolVersionSerializer(serializers.ModelSerializer):
    components = ProtocolComponentSerializer(many=True, read_only=True)
    # Null until the version is approved.
    approved_by = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = ProtocolVersion
        fields = [
            "id",
            "number",
            "status",
            *VERSION_FIELDS,
            "components",
            "approved_by",
            "approved_at",
            "retired_at",
            "created_at",
        ]


class ProtocolSerializer(serializers.ModelSerializer):
    versions = ProtocolVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Protocol
        fields = ["id", "code", "name", "name_ur", "indication", "versions"]


class RecipientSerializer(serializers.ModelSerializer):
    """One use of a recalled lot: who, where, when, how much, and how to reach them."""

    def get_session(self, movement) -> int | None:
        line = getattr(movement, "session_product", None)
        return line.session_id if line is not None else None

    movement_id = serializers.IntegerField(source="id")
    used_at = serializers.DateTimeField(source="recorded_at")
    clinic = serializers.CharField(source="lot.clinic.slug")
    lot_id = serializers.IntegerField()
    lot_number = serializers.CharField(source="lot.lot_number")
    quantity = serializers.SerializerMethodField()
    patient_id = serializers.IntegerField()
    mrn = serializers.CharField(source="patient.mrn")
    first_name = serializers.CharField(source="patient.first_name")
    last_name = serializers.CharField(source="patient.last_name")
    name_ur = serializers.CharField(source="patient.name_ur")
    mobile = serializers.CharField(source="patient.mobile")
    preferred_language = serializers.CharField(source="patient.preferred_language")
    session = serializers.SerializerMethodField(help_text="The charted session, if any.")

    class Meta:
        model = StockMovement
        fields = [
            "movement_id",
            "session",
            "used_at",
            "clinic",
            "lot_id",
            "lot_number",
            "quantity",
            "patient_id",
            "mrn",
            "first_name",
            "last_name",
            "name_ur",
            "mobile",
            "preferred_language",
        ]

    def get_quantity(self, movement) -> str:
        return f"{-movement.quantity:.2f}"
