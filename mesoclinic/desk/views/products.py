"""The products page: the formulary's products and ingredients with, beside each ingredient,
the screening rules that name it. The rules are care's and the catalogue the formulary's, so
the page that joins them sits here, above both."""

from django.shortcuts import render
from django.views import View

from mesoclinic.accounts.access import StaffRequiredMixin
from mesoclinic.accounts.roles import is_administrator
from mesoclinic.care.policy_reads import rules_by_ingredient
from mesoclinic.clinics import scoping
from mesoclinic.formulary import selectors
from mesoclinic.formulary.forms import RecallProductForm


class ProductsView(StaffRequiredMixin, View):
    def get(self, request):
        return render(
            request,
            "formulary/products.html",
            {
                "products": selectors.products(),
                "ingredients": selectors.ingredients(),
                "rules": rules_by_ingredient(),
                "is_admin": is_administrator(request.user),
                "recall_form": RecallProductForm(),
                # Each product's adverse events: aftercare's register across the user's clinics.
                "reads_clinical": scoping.reaches(request.user, scoping.Kind.CLINICAL),
            },
        )
