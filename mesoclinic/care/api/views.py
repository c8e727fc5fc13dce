"""POST /api/v1/screening/evaluate: the contraindication engine as JSON, for staff and
integrations. The same engine and policy answer the public self-check."""

from collections.abc import Mapping

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from mesoclinic.care import rules
from mesoclinic.care.api.serializers import ScreeningRequestSerializer, ScreeningResultSerializer
from mesoclinic.care.selectors import accepted_ingredients, current_policy

FIELDS = {"patient", "ingredients", "indication"}
REQUIRED_FACTS = ("sex", "age")


def _read(body, accepted: frozenset[str]):
    """(facts, ingredients, indication) from the request body, or a 400 naming every bad
    field. Strict on purpose: a misspelt code silently ignored could hide a contraindication."""
    if not isinstance(body, Mapping):
        raise ValidationError({"non_field_errors": ["Send a JSON object."]})
    errors: dict = {key: ["Unknown field."] for key in body if key not in FIELDS}
    patient = body.get("patient")
    facts = None
    if not isinstance(patient, Mapping):
        errors["patient"] = ["Give the patient's facts as an object, with sex and age."]
    else:
        patient_errors = {
            key: ["This field is required."] for key in REQUIRED_FACTS if patient.get(key) is None
        }
        try:
            facts = rules.parse_facts(patient, ingredients=accepted)
        except rules.InvalidFacts as exc:
            patient_errors.update({k: [v] for k, v in exc.errors.items()})
        if patient_errors:
            errors["patient"] = patient_errors
    ingredients = body.get("ingredients", [])
    if not isinstance(ingredients, list) or not all(isinstance(i, str) for i in ingredients):
        errors["ingredients"] = ["Give a list of ingredient codes."]
    elif bad := rules.unknown_codes(ingredients, accepted):
        errors["ingredients"] = [f"Unknown ingredient codes: {', '.join(bad)}."]
    indication = body.get("indication")
    if indication is not None and indication not in rules.INDICATIONS:
        errors["indication"] = [
            f"Unknown indication {indication!r}; use one of: {', '.join(rules.INDICATIONS)}."
        ]
    if errors:
        raise ValidationError(errors)
    return facts, ingredients, indication


class ScreeningEvaluateView(APIView):
    """Evaluate facts against the clinic chain's screening policy: the decision and every
    reason (absolute reasons block; relative ones need a dermatologist's justification)."""

    @extend_schema(
        operation_id="screening_evaluate",
        request=ScreeningRequestSerializer,
        responses={200: ScreeningResultSerializer},
    )
    def post(self, request):
        policy = current_policy()
        facts, ingredients, indication = _read(request.data, accepted_ingredients())
        evaluation = rules.evaluate(facts, policy, ingredients=ingredients, indication=indication)
        language = get_language() or "en"
        return Response(
            {
                "decision": evaluation.decision.value,
                "reasons": [
                    {
                        "code": reason.code,
                        "severity": reason.severity.value,
                        "message": reason.message(language),
                        "message_en": reason.message_en,
                        "message_ur": reason.message_ur,
                        "source": reason.source,
                        "unverified": reason.unverified,
                        "ingredients": list(reason.ingredients),
                    }
                    for reason in evaluation.reasons
                ],
            }
        )
