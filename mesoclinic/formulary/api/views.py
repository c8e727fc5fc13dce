"""/api/v1/ for the formulary: the same scoping, services and audit as the staff pages.

Services raise Django ValidationErrors; `mesoclinic.restapi.exceptions` turns them into 400s
with field errors. Role checks run before validation, so a caller without the role learns
nothing from field errors.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

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
from mesoclinic.restapi.params import id_filter, id_parameter
from mesoclinic.restapi.views import AuditedListMixin, ReadOnlyViewSet, ScopedViewSetMixin


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

    def create(self, request, *args, **kwargs):
        if not access.can_handle_stock(request.user):
            raise PermissionDenied("Your role does not receive stock.")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
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
            errors = exc.message_dict
            if "quantity" in errors:  # the service's name for this API's received_quantity
                errors["received_quantity"] = errors.pop("quantity")
            raise ApiValidationError(errors) from exc

    @extend_schema(request=None, responses=LotSerializer)
    @action(detail=True, methods=["post"], url_path="open-vial")
    def open_vial(self, request, pk=None):
        """Open a new vial of a multi-dose lot now; its discard time starts at this moment."""
        if not access.can_handle_stock(request.user):
            raise PermissionDenied("Your role does not handle stock.")
        lot = services.open_vial(acting_user=request.user, via=self.via, lot=self.get_object())
        return Response(LotSerializer(lot, clinics=clinics_for_user(request.user)).data)

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


@extend_schema_view(
    list=extend_schema(parameters=[id_parameter("lot", "Only this lot's ledger (its id)")])
)
class StockMovementViewSet(
    AuditedListMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The ledger of the clinics you work at. Create only: a movement is never changed or
    deleted; a mistake is corrected with an adjustment. Uses name patients: they are clinical
    records (`StockMovement.objects.for_user`: a receptionist gets none), and reads that return
    any are audited as patient listings."""

    serializer_class = StockMovementSerializer
    queryset = StockMovement.objects.none()
    # No browsable form: its patient <select> would list every visible patient unaudited.
    renderer_classes = [JSONRenderer]

    def scoped_queryset(self, user):
        movements = StockMovement.objects.for_user(user)
        lot = id_filter(self.request, "lot", what="lot")
        if lot is not None:
            movements = movements.filter(lot_id=lot)
        return movements.order_by("-id")

    def get_serializer(self, *args, **kwargs):
        user = self.request.user
        kwargs["lots"] = Lot.objects.for_user(user).select_related("product")
        kwargs["patients"] = Patient.objects.for_user(user)
        return super().get_serializer(*args, **kwargs)

    def audit_list(self, rows):
        """Only the lines that name a patient make this a patient listing."""
        named = sum(1 for row in rows if row["patient"] is not None)
        if named:
            selectors.audit_patient_listing(
                self.request.user, via=self.via, count=named, ledger=True
            )

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if response.data["patient"] is not None:
            selectors.audit_patient_listing(request.user, via=self.via, count=1, ledger=True)
        return response

    def create(self, request, *args, **kwargs):
        if not access.can_handle_stock(request.user):
            raise PermissionDenied("Your role does not record stock movements.")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.record_movement(
            acting_user=self.request.user,
            via=self.via,
            lot=data["lot"],
            kind=data["kind"],
            quantity=data["quantity"],
            increase=data.get("increase", False),
            patient=data.get("patient"),
            note=data.get("note", ""),
        )


class ProtocolViewSet(ReadOnlyViewSet):
    """Protocols with every version (newest first) and their cocktails. Read only here."""

    serializer_class = ProtocolSerializer
    queryset = Protocol.objects.none()

    def scoped_queryset(self, user):
        return selectors.protocols().order_by("-id")
