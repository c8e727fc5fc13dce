"""Dose overrides: a credentialed dermatologist's recorded reason to go past a protocol's limit
for one patient, refused without need, reason or approval, past a hard ceiling, on a draft, for
another clinic's patient or by anyone else; audited. (Moved from the formulary's tests with the
model, issue 16.)"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.care.models import DoseOverride
from mesoclinic.care.services import dose_overrides
from mesoclinic.formulary.doses import Amount
from mesoclinic.formulary.tests.fixtures import approve, draft_of

VIA = Interface.WEB


def test_a_dermatologist_records_an_override_with_a_reason_and_it_is_audited(
    melasma, dermatologist, patient_a
):
    version = approve(dermatologist.user, draft_of(melasma), confirmed_unverified=True)
    component = version.components.get()
    amount = Amount(per_point=Decimal("0.06"), points=50)
    override = dose_overrides.record_dose_override(
        acting_user=dermatologist.user,
        via=VIA,
        component=component,
        patient=patient_a,
        amount=amount,
        reason="Thick dermis on the malar area; tolerated 0.06 mL before.",
    )
    assert override.limits_crossed == ["per_point_max"]
    assert override.amount == {"per_point": "0.06", "points": 50, "total": "3"}
    assert AuditEvent.objects.filter(object_type="care.doseoverride").count() == 1


@pytest.mark.parametrize(
    ("amount", "reason", "message"),
    [
        (Amount(per_point=Decimal("0.05"), points=20), "fine", "no override is needed"),
        (Amount(per_point=Decimal("0.06"), points=50), " ", "clinical reason"),
        (Amount(per_point=Decimal("0.05"), points=120), "big face", "no override"),
    ],
)
def test_an_override_is_refused_without_need_reason_or_past_a_hard_ceiling(
    melasma, dermatologist, patient_a, amount, reason, message
):
    component = draft_of(melasma).components.get()
    with pytest.raises(ValidationError, match=message):
        dose_overrides.record_dose_override(
            acting_user=dermatologist.user,
            via=VIA,
            component=component,
            patient=patient_a,
            amount=amount,
            reason=reason,
        )
    assert not DoseOverride.objects.exists()


def test_overrides_apply_to_approved_versions_and_own_patients_only(
    melasma, dermatologist, patient_a, patient_b
):
    draft_component = draft_of(melasma).components.get()
    amount = Amount(per_point=Decimal("0.06"), points=50)
    with pytest.raises(ValidationError, match="approved protocol versions only"):
        dose_overrides.record_dose_override(
            acting_user=dermatologist.user,
            via=VIA,
            component=draft_component,
            patient=patient_a,
            amount=amount,
            reason="why",
        )
    version = approve(dermatologist.user, draft_of(melasma), confirmed_unverified=True)
    with pytest.raises(PermissionDenied):
        dose_overrides.record_dose_override(
            acting_user=dermatologist.user,
            via=VIA,
            component=version.components.get(),
            patient=patient_b,
            amount=amount,
            reason="why",
        )


def test_only_a_credentialed_dermatologist_overrides(melasma, manager, patient_a):
    component = draft_of(melasma).components.get()
    with pytest.raises(PermissionDenied):
        dose_overrides.record_dose_override(
            acting_user=manager,
            via=VIA,
            component=component,
            patient=patient_a,
            amount=Amount(per_point=Decimal("0.06"), points=50),
            reason="because",
        )
