"""Administrators keep the catalogue (ingredients, products) here. Stock and protocols are
read-only in the admin: their writes go through the services on the staff pages,
which hold the ledger's lock, the approval rule and the role checks (only clinic managers and
dermatologists change protocols)."""

from django.contrib import admin

from mesoclinic.audit.admin_mixins import AuditedModelAdmin
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


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ingredient)
class IngredientAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "name_ur", "concentration_unit", "is_active"]
    list_filter = ["is_active", "concentration_unit"]
    search_fields = ["code", "name", "name_ur"]

    def get_readonly_fields(self, request, obj=None):
        # Codes are never renamed (allergies and rules refer to them), and the unit strengths
        # are stated in stays once products or protocols use it.
        return (
            [*self.readonly_fields, "code", "concentration_unit"] if obj else self.readonly_fields
        )

    def has_delete_permission(self, request, obj=None):
        return False


#: What a product is made of and how it is kept: fixed once a lot of it exists, because lots,
#: uses and screening refer to it. A changed product is a new product.
COMPOSITION = ["form", "stock_unit", "pack_size", "multi_dose", "discard_after_hours"]


def _has_lots(product) -> bool:
    return product is not None and product.pk is not None and product.lots.exists()


class ProductIngredientInline(admin.TabularInline):
    model = ProductIngredient
    extra = 1
    autocomplete_fields = ["ingredient"]

    def has_add_permission(self, request, obj=None):
        return not _has_lots(obj)

    def has_change_permission(self, request, obj=None):
        return not _has_lots(obj)

    def has_delete_permission(self, request, obj=None):
        return not _has_lots(obj)


@admin.register(Product)
class ProductAdmin(AuditedModelAdmin):
    list_display = ["brand", "manufacturer", "drap_registration", "form", "multi_dose", "is_active"]
    list_filter = ["form", "multi_dose", "storage", "is_active"]
    search_fields = ["brand", "manufacturer", "drap_registration"]
    inlines = [ProductIngredientInline]

    def get_readonly_fields(self, request, obj=None):
        return COMPOSITION if _has_lots(obj) else []

    def has_delete_permission(self, request, obj=None):
        return False  # lots refer to it; mark it inactive instead


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = ["lot_number", "product", "clinic", "expires_on", "balance", "status"]
    list_filter = ["status", "clinic"]
    search_fields = ["lot_number", "product__brand"]
    list_select_related = ["product", "clinic"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    """Uses name patients: opening the list is audited like any patient listing."""

    audit_listing = True
    list_display = ["id", "lot", "kind", "quantity", "patient", "recorded_at"]
    list_filter = ["kind"]
    list_select_related = ["lot__product", "patient"]
    raw_id_fields = ["lot", "patient"]


class ProtocolComponentInline(admin.TabularInline):
    model = ProtocolComponent
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProtocolVersion)
class ProtocolVersionAdmin(ReadOnlyAdmin):
    list_display = ["protocol", "number", "status", "unverified", "approved_by", "approved_at"]
    list_filter = ["status", "unverified"]
    list_select_related = ["protocol", "approved_by__user"]
    inlines = [ProtocolComponentInline]


@admin.register(Protocol)
class ProtocolAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "indication"]
    list_filter = ["indication"]
