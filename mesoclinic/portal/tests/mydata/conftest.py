"""My data's world: Sana (portal_world) treated at clinic A (screened, patch-tested, a course,
a consent, a session with a lot), consulted at clinic B, and her sister and the stranger each
consulted at clinic A with words only their own records hold. Built through the services."""

from dataclasses import dataclass

import pytest

from mesoclinic.accounts.roles import Role
from mesoclinic.care.tests.conftest import (  # noqa: F401 (care's set-up, for these tests)
    chart_session,
    consent_texts,
    consult,
    make_ready,
    melasma_version,
    screening_rules,
    shipped_care_data,
)
from mesoclinic.care.tests.worklist_fixtures import (  # noqa: F401 (make_ready's set-up)
    apply_test,
    due_everywhere,
    viewer,
)

SISTER_WORDS = "hina-only-concern"
STRANGER_WORDS = "rabia-only-concern"
SANA_B_WORDS = "sana-at-b-concern"


@dataclass
class Treated:
    session: object  # Sana's session at clinic A
    doctor_b: object  # the practitioner who consulted her at clinic B


@pytest.fixture
def treated(
    portal_world,
    make_ready,  # noqa: F811 (the imported fixture, asked for by name)
    consult,  # noqa: F811 (the imported fixture, asked for by name)
    dermatologist,
    lot_a,
    make_practitioner,
    clinic_b,
):
    course = make_ready(portal_world.at_a)
    session = chart_session(dermatologist.user, course, lot_a)
    doctor_b = make_practitioner("doctor_b", clinic_b)
    consult(doctor_b.user, portal_world.at_b, text={"concerns": SANA_B_WORDS})
    consult(dermatologist.user, portal_world.sister, text={"concerns": SISTER_WORDS})
    consult(dermatologist.user, portal_world.stranger, text={"concerns": STRANGER_WORDS})
    return Treated(session=session, doctor_b=doctor_b)


@pytest.fixture
def manager_with_email(make_user, clinic_a):
    return make_user("manager_a", Role.CLINIC_MANAGER, [clinic_a], email="manager.a@example.pk")
