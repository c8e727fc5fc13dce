"""The formulary's staff pages: stock and recalls, protocols."""

from mesoclinic.formulary.views.protocols import (
    EditVersionView,
    NewVersionView,
    ProtocolListView,
    VersionActionView,
    VersionView,
)
from mesoclinic.formulary.views.stock import (
    LotStatusView,
    LotView,
    MovementView,
    OpenVialView,
    ProductRecipientsView,
    RecallProductView,
    ReceiveLotView,
    RecipientsView,
    StockView,
)

__all__ = [
    "EditVersionView",
    "LotStatusView",
    "LotView",
    "MovementView",
    "NewVersionView",
    "OpenVialView",
    "ProductRecipientsView",
    "ProtocolListView",
    "RecallProductView",
    "ReceiveLotView",
    "RecipientsView",
    "StockView",
    "VersionActionView",
    "VersionView",
]
