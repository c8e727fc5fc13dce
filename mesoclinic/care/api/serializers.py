"""The screening endpoint's JSON, for the OpenAPI schema. Requests are read by the engine's own
strict parser (`care.facts.parse_facts`), so the API and the self-check accept exactly the
same facts; these serializers describe that contract."""

from rest_framework import serializers

from mesoclinic.care.vocabulary import CONDITIONS, INDICATIONS, INGREDIENTS, MEDICATIONS, SEXES
from mesoclinic.restapi.schema import ClosedObject


class FactsSerializer(ClosedObject):
    sex = serializers.ChoiceField(choices=SEXES)
    age = serializers.IntegerField(
        min_value=0,
        max_value=130,
        help_text="Whole years. Below the chain's adult age (the 'minor' rule, 18 as shipped) "
        "the screening needs a dermatologist's review.",
    )
    pregnant = serializers.BooleanField(required=False, default=False)
    breastfeeding = serializers.BooleanField(required=False, default=False)
    may_become_pregnant = serializers.BooleanField(required=False, default=False)
    unspecified_allergy = serializers.BooleanField(
        required=False, default=False, help_text="A reaction to some medicine, ingredient unknown."
    )
    allergies = serializers.ListField(
        child=serializers.ChoiceField(choices=INGREDIENTS), required=False, default=list
    )
    conditions = serializers.ListField(
        child=serializers.ChoiceField(choices=CONDITIONS), required=False, default=list
    )
    medications = serializers.ListField(
        child=serializers.ChoiceField(choices=MEDICATIONS), required=False, default=list
    )
    positive_patch_tests = serializers.ListField(
        child=serializers.ChoiceField(choices=INGREDIENTS), required=False, default=list
    )


class ScreeningRequestSerializer(ClosedObject):
    patient = FactsSerializer(help_text="What is known; a fact not given is false or empty.")
    ingredients = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="Ingredient codes of the planned cocktail (the formulary's codes).",
    )
    indication = serializers.ChoiceField(choices=INDICATIONS, required=False, allow_null=True)


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=["absolute", "relative"])
    message = serializers.CharField(help_text="In the request's language (Accept-Language).")
    message_en = serializers.CharField()
    message_ur = serializers.CharField()
    source = serializers.CharField()
    unverified = serializers.BooleanField(help_text="The rule is marked 'clinic to confirm'.")
    ingredients = serializers.ListField(child=serializers.CharField())


class ScreeningResultSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["eligible", "needs_review", "contraindicated"])
    reasons = ReasonSerializer(many=True)
