"""`assert_valid(resource)` for the conformance tests: the validator of branch i21-validator
(`fhir/tests/validator.py`) when it is here; until it is merged, the `fhir.resources` models
alone (its `[model]` layer), so every resource the tests receive is still checked."""

try:
    from mesoclinic.fhir.tests.validator import assert_valid
except ImportError:  # pragma: no cover - until i21-validator is merged
    from fhir.resources.R4B import get_fhir_model_class

    def assert_valid(resource: dict) -> None:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


__all__ = ["assert_valid"]
