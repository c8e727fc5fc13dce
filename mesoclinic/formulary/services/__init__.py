"""Every write to the formulary: one transaction each, with its audit row."""

from mesoclinic.formulary.services.lots import (
    open_vial,
    recall_lot,
    recall_product,
    receive_lot,
    record_movement,
    set_lot_status,
)
from mesoclinic.formulary.services.protocols import (
    approve_version,
    dose_problems,
    retire_version,
    save_draft,
    start_new_version,
)

__all__ = [
    "approve_version",
    "dose_problems",
    "open_vial",
    "recall_lot",
    "recall_product",
    "receive_lot",
    "record_movement",
    "retire_version",
    "save_draft",
    "set_lot_status",
    "start_new_version",
]
