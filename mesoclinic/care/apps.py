from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "mesoclinic.care"
    label = "care"

    def ready(self):
        # The formulary shows the screening rules beside each ingredient but may not import
        # care (a layer above it): care hands it the reader.
        from mesoclinic.care.policy_reads import rules_by_ingredient
        from mesoclinic.formulary import ingredient_rules

        ingredient_rules.provide(rules_by_ingredient)
