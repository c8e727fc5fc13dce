"""A clinic's aftercare values: edited in the audited admin, checked before they are saved,
and read by the services (defaults when the clinic has none)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mesoclinic.aftercare.models import AftercareSettings, CheckIn
from mesoclinic.aftercare.selectors import settings_for

pytestmark = pytest.mark.django_db


def test_a_clinic_without_its_own_values_uses_the_cited_defaults(clinic_a):
    found = settings_for(clinic_a.pk)
    assert found.pk is None and found.check_in_hours == [24, 72, 504]
    assert "Zeng" in found.source and found.rules().escalate_grade == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("check_in_hours", [72, 24]),
        ("check_in_hours", []),
        ("check_in_hours", [24, 5000]),
        ("check_in_hours", ["24"]),
        ("expected_effects", ["sunburn"]),
    ],
)
def test_a_malformed_value_is_refused_with_the_field_named(clinic_a, field, value):
    row = AftercareSettings(clinic=clinic_a, **{field: value})
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert field in refused.value.message_dict


def test_a_clinics_own_schedule_lays_out_its_sessions_check_ins(
    clinic_a, make_ready, patient_a, dermatologist, lot_a
):
    from mesoclinic.care.tests.conftest import chart_session

    AftercareSettings.objects.create(clinic=clinic_a, check_in_hours=[6, 48])
    session = chart_session(dermatologist.user, make_ready(patient_a), lot_a)
    assert sorted(
        CheckIn.objects.filter(session=session).values_list("hours_after", flat=True)
    ) == [6, 48]


def test_the_admin_edits_them_and_refuses_a_bad_schedule(client, administrator, clinic_a):
    administrator.is_staff = True
    administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    url = reverse("admin:aftercare_aftercaresettings_add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "clinic": clinic_a.pk,
            "check_in_hours": "[72, 24]",
            "link_valid_days": 14,
            "overdue_after_hours": 24,
            "escalate_grade": 2,
            "expected_hours": 72,
            "late_infection_days": 7,
            "expected_effects": '["erythema"]',
            "late_infection_effects": '["nodule"]',
            "allergic_effects": '["rash_hives"]',
            "cluster_events": 3,
            "cluster_days": 42,
            "source": "Our dermatologists, 2026.",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert "earliest first" in response.content.decode()
    assert not AftercareSettings.objects.exists()
