"""Formulary fixtures, built through the services: products, lots and a dermatologist. Shared
with every app's tests through the root conftest (care needs lots and protocols too)."""

from datetime import date, timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps as django_apps

from mesoclinic.audit.services import Interface
from mesoclinic.formulary import services
from mesoclinic.formulary.models import Ingredient, Product, ProductIngredient, Protocol


@pytest.fixture
def formulary_seed(db):
    """The seeded ingredients and draft protocols. Transactional tests (threads, browser)
    flush data-migration rows, so they are loaded again with the migration's own loader."""
    if not Ingredient.objects.exists():
        import_module("mesoclinic.formulary.migrations.0003_seed_v1").forwards(django_apps, None)


def _product(brand, ingredient, strength, unit, **extra):
    product = Product.objects.create(
        brand=brand,
        manufacturer="Test Pharma",
        form="solution",
        pack_size=Decimal("5"),
        storage="room",
        low_stock_level=Decimal("10"),
        **extra,
    )
    ProductIngredient.objects.create(
        product=product,
        ingredient=Ingredient.objects.get(code=ingredient),
        concentration=Decimal(strength),
        unit=unit,
    )
    return product


@pytest.fixture
def txa(formulary_seed):
    return _product("TXA 4", "tranexamic_acid", "4", "mg/mL")


@pytest.fixture
def biotin_multi_dose(formulary_seed):
    return _product("Biotin MD", "biotin", "5", "mg/mL", multi_dose=True, discard_after_hours=24)


@pytest.fixture
def make_lot(administrator):
    def make(clinic, product, number="L1", quantity="10", expires_in=365, received_ago=1):
        today = date.today()
        return services.receive_lot(
            acting_user=administrator,
            via=Interface.CLI,
            clinic=clinic,
            product=product,
            lot_number=number,
            expires_on=today + timedelta(days=expires_in),
            received_on=today - timedelta(days=received_ago),
            quantity=Decimal(quantity),
        )

    return make


@pytest.fixture
def lot_a(make_lot, clinic_a, txa):
    return make_lot(clinic_a, txa, "TXA-A1", "10")


@pytest.fixture
def dermatologist(make_practitioner, clinic_a):
    """A credentialed dermatologist at clinic A (user: derm_a)."""
    return make_practitioner("derm_a", clinic_a)


@pytest.fixture
def melasma(formulary_seed):
    """The seeded melasma protocol (tranexamic acid), with its approved and draft versions."""
    return Protocol.objects.get(code="melasma-txa")


def approve(user, version, **extra):
    """Approve `version` as reviewed now (its current revision)."""
    return services.approve_version(
        acting_user=user, via=Interface.WEB, version=version, revision=version.revision, **extra
    )


def draft_of(protocol):
    return protocol.versions.get(status="draft")
