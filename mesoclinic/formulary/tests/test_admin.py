"""The admin keeps the catalogue but cannot rewrite what lots and protocols rely on."""

from decimal import Decimal

from django.urls import reverse

from mesoclinic.formulary.models import Product, ProductIngredient


def test_a_products_composition_is_fixed_once_a_lot_exists(client, administrator, txa, lot_a):
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    client.force_login(administrator)
    url = reverse("admin:formulary_product_change", args=[txa.pk])
    page = client.get(url).content.decode()
    assert 'name="multi_dose"' not in page and 'name="components-0-concentration"' not in page
    component = ProductIngredient.objects.get(product=txa)
    response = client.post(
        url,
        {
            "components-TOTAL_FORMS": "1",
            "components-INITIAL_FORMS": "1",
            "components-MIN_NUM_FORMS": "0",
            "components-MAX_NUM_FORMS": "1000",
            "components-0-id": component.pk,
            "components-0-product": txa.pk,
            "brand": "TXA 4 renamed",
            "manufacturer": "Test Pharma",
            "drap_registration": "",
            "storage": "room",
            "low_stock_level": "10",
            "is_active": "on",
            "multi_dose": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    txa.refresh_from_db()
    assert txa.brand == "TXA 4 renamed" and txa.multi_dose is False


def test_a_product_strength_in_a_unit_that_does_not_convert_is_refused(txa):
    from django.core.exceptions import ValidationError

    from mesoclinic.formulary.models import Ingredient

    bad = ProductIngredient(
        product=Product.objects.get(pk=txa.pk),
        ingredient=Ingredient.objects.get(code="glutathione"),
        concentration=Decimal("1"),
        unit="IU/mL",
    )
    try:
        bad.full_clean()
    except ValidationError as exc:
        assert exc.message_dict["unit"] == [
            "Glutathione is measured in mg/mL; IU/mL cannot be converted to it."
        ]
    else:  # pragma: no cover
        raise AssertionError("IU/mL accepted for glutathione")


def test_the_ingredient_admin_shows_the_screening_rules_that_name_it(client, administrator, txa):
    """The rules are care's; care adds them to the formulary's ingredient admin."""
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    client.force_login(administrator)
    ingredient = ProductIngredient.objects.get(product=txa).ingredient
    page = client.get(reverse("admin:formulary_ingredient_change", args=[ingredient.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Screening rules for this ingredient" in body
    assert "(absolute)" in body or "(relative)" in body
