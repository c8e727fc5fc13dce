"""Care fixtures: the formulary's products and lots, a consultation recorded through the
service, and the seeded consent texts (reloaded for transactional and browser tests)."""

from importlib import import_module

import pytest
from django.apps import apps as django_apps

from mesoclinic.audit.services import Interface
from mesoclinic.care.models import ConsentText
from mesoclinic.care.services import screening
from mesoclinic.formulary.tests.conftest import (  # noqa: F401 (fixtures shared with formulary)
    biotin_multi_dose,
    dermatologist,
    formulary_seed,
    lot_a,
    make_lot,
    txa,
)

# A signature that passes: two strokes across the pad.
SIGNATURE = (
    "[[[40,120],[80,80],[120,60],[160,100],[200,140],[280,70]],"
    "[[300,150],[360,120],[420,90],[470,110],[520,130]]]"
)


@pytest.fixture
def consent_texts(db):
    if not ConsentText.objects.exists():
        import_module("mesoclinic.care.migrations.0004_consent_texts_v1").forwards(
            django_apps, None
        )


@pytest.fixture
def consult(formulary_seed):  # noqa: F811 (the fixture imported above)
    """consult(user, patient, **overrides): record a consultation through the service."""

    def record(user, patient, **overrides):
        data = {
            "indication": "melasma",
            "pregnant": False,
            "breastfeeding": False,
            "may_become_pregnant": False,
            "fitzpatrick_type": 4,
            **overrides,
        }
        return screening.record_consultation(
            acting_user=user,
            via=Interface.WEB,
            patient=patient,
            data=screening.ConsultationInput(**data),
        )

    return record
