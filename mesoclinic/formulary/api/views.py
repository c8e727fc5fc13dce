"""/api/v1/ for the formulary: the same scoping, services and audit as the staff pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError

from mesoclinic.api.views import ReadOnlyViewSet, ScopedViewSetMixin
from mesoclinic.clinics.selectors import clinics_for_user
from mesoclinic.formulary import access, selectors, services
from mesoclinic.formulary.api.serializers import (
    IngredientSerializer,
    LotSerializer,
    ProductSerializer,
    ProtocolSerializer,
    RecipientSerializer,
    StockMovementSerializer,
)
from mesoclinic.formulary.models import Ingredient, Lot, Product, Protocol, StockMovement
from mesoclinic.patients.models import Patient


def _api_error(exc: DjangoValidationError) -> ApiValidationError:
    if hasattr(exc, "error_dict"):
        return ApiValidationError(exc.message_dict)
    return ApiValidationError({"non_field_errors": exc.messages})


class IngredientViewSet(ReadOnlyViewSet):
    """Ingredients, by the codes screening uses."""

    serializer_class = IngredientSerializer
    queryset = Ingredient.objects.none()

    def scoped_queryset(self, user):
        return Ingredient.objects.order_by("-id")


class ProductViewSet(ReadOnlyViewSet):
    """Products with their ingredients and strengths."""

    serializer_class = ProductSerializer
    queryset = Product.objects.none()

    def scoped_queryset(self, user):
        return selectors.products().order_by("-id")


class LotViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Lots of the clinics you work at, with balance (from the ledger), expiry and status.
    POST receives a delivery (practitioners, clinic managers, administrators)."""

    serializer_class = LotSerializer
    queryset = Lot.objects.none()

    def scoped_queryset(self, user):
        return selectors.lots_for_user(user)

    def get_serializer(self, *args, **kwargs):
        kwargs["clinics"] = clinics_for_user(self.request.user)
        return super().get_serializer(*args, **kwargs)

    def get_object(self):
        return selectors.get_lot_for_user(self.request.user, self.kwargs["pk"], via=self.via)

    def perform_create(self, serializer):
        if not access.can_handle_stock(self.request.user):
            raise PermissionDenied("Your role does not receive stock.")
        data = serializer.validated_data
        try:
            serializer.instance = services.receive_lot(
                acting_user=self.request.user,
                via=self.via,
                clinic=data["clinic"],
                product=data["product"],
                lot_number=data["lot_number"],
                expires_on=data["expires_on"],
                received_on=data.get("received_on"),
                quantity=data["received_quantity"],
            )
        except DjangoValidationError as exc:
            if "quantity" in getattr(exc, "error_dict", {}):
                exc.error_dict["received_quantity"] = exc.error_dict.pop("quantity")
            raise _api_error(exc) from exc

    @extend_schema(responses=RecipientSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=RecipientSerializer)
    def recipients(self, request, pk=None):
        """Every patient who received this manufacturer's lot, in every clinic you may see,
        newest first, with contacts. Administrators and clinic managers only."""
        if not access.can_manage_lots(request.user):
            raise PermissionDenied("Only administrators and clinic managers read recall lists.")
        lot = self.get_object()
        page = self.paginate_queryset(selectors.recall_recipients(request.user, lot=lot))
        selectors.audit_patient_listing(
            request.user, via=self.via, count=len(page), recall_of_lot=lot.pk
        )
        return self.get_paginated_response(RecipientSerializer(page, many=True).data)


class StockMovementViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The ledger of the clinics you work at. Create only: a movement is never changed or
    deleted; a mistake is corrected with an adjustment."""

    serializer_class = StockMovementSerializer
    queryset = StockMovement.objects.none()

    def scoped_queryset(self, user):
        movements = StockMovement.objects.filter(lot__in=Lot.objects.for_user(user).values("pk"))
        lot = self.request.query_params.get("lot", "")
        if lot.isdigit():
            movements = movements.filter(lot_id=int(lot))
        return movements.order_by("-id")

    def get_serializer(self, *args, **kwargs):
        user = self.request.user
        kwargs["lots"] = Lot.objects.for_user(user).select_related("product")
        kwargs["patients"] = Patient.objects.for_user(user)
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer):
        if not access.can_handle_stock(self.request.user):
            raise PermissionDenied("Your role does not record stock movements.")
        data = serializer.validated_data
        try:
            serializer.instance = services.record_movement(
                acting_user=self.request.user,
                via=self.via,
                lot=data["lot"],
                kind=data["kind"],
                quantity=data["quantity"],
                increase=data.get("increase", False),
                patient=data.get("patient"),
                vial_opened_at=data.get("vial_opened_at"),
                note=data.get("note", ""),
            )
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc


class ProtocolViewSet(ReadOnlyViewSet):
    """Protocols with every version (newest first) and their cocktails. Read only here."""

    serializer_class = ProtocolSerializer
    queryset = Protocol.objects.none()

    def scoped_queryset(self, user):
        return selectors.protocols().order_by("-id")
