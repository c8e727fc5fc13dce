"""The formulary: what may be injected (ingredients, products), what is on the shelf (lots and
their append-only ledger), and how it is given (versioned protocols)."""

from mesoclinic.formulary.models.products import Ingredient, Product, ProductIngredient
from mesoclinic.formulary.models.protocols import Protocol, ProtocolComponent, ProtocolVersion
from mesoclinic.formulary.models.stock import Lot, StockMovement

__all__ = [
    "Ingredient",
    "Lot",
    "Product",
    "ProductIngredient",
    "Protocol",
    "ProtocolComponent",
    "ProtocolVersion",
    "StockMovement",
]
