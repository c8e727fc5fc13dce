"""Every resource type the server offers, one module per group; importing this package (the
app's `ready`) registers them all. A new module is one line here."""

from mesoclinic.fhir.resources import (  # noqa: F401
    clinical,
    directory,
    groups,
    observations,
    patients,
    scheduling,
    slots,
    treatment,
)
