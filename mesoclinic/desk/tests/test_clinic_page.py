"""A clinic's staff page: only the user's clinics, its staff's credentials in fixed queries, in
English and Urdu; membership is what scopes staff to a clinic's patients."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.clinics import services
from mesoclinic.clinics.models import Membership, Practitioner

pytestmark = pytest.mark.django_db


def test_another_clinics_page_is_404_for_staff(client, outsider, clinic_a):
    client.force_login(outsider)
    assert client.get(reverse("clinics:detail", args=[clinic_a.slug])).status_code == 404


def test_the_clinic_page_flags_the_uncredentialed_nurse(client, manager, staffed_clinic):
    client.force_login(manager)
    response = client.get(reverse("clinics:detail", args=[staffed_clinic.slug]))
    assert response.status_code == 200
    assert response.text.count("not credentialed") == 1
    assert "has not been verified" in response.text


def test_the_clinic_page_costs_fixed_queries(
    client, manager, staffed_clinic, make_user, django_assert_num_queries
):
    client.force_login(manager)
    url = reverse("clinics:detail", args=[staffed_clinic.slug])
    # session, user, groups, clinic, hours, rooms, services, memberships+users+practitioners,
    # their groups, newest patients, the audit insert for that listing
    with django_assert_num_queries(12):  # +1: the session's second factor
        client.get(url)
    for n in range(5):
        make_user(f"extra{n}", "receptionist", [staffed_clinic])
    with django_assert_num_queries(12):  # +1: the session's second factor
        client.get(url)
    assert AuditEvent.objects.filter(action="list", clinic=staffed_clinic).count() == 2


def test_membership_is_what_scopes_staff(client, make_user, clinic_a, clinic_b, patient_b):
    user = make_user("floater", "receptionist", [clinic_a])
    client.force_login(user)
    assert client.get(reverse("patients:detail", args=[patient_b.pk])).status_code == 404
    Membership.objects.create(user=user, clinic=clinic_b)
    assert client.get(reverse("patients:detail", args=[patient_b.pk])).status_code == 200


def test_the_clinic_page_names_each_practitioners_council(client, manager, staffed_clinic):
    client.force_login(manager)
    text = client.get(reverse("clinics:detail", args=[staffed_clinic.slug])).text
    assert "PMDC registration" not in text  # the column is "Registration", for both councils
    assert (
        '<span class="registering-body">PMDC</span>\n            <span class="ltr">DERM-1' in text
    )
    assert (
        '<span class="registering-body">PNMC</span>\n            <span class="ltr">NURSE-1' in text
    )
    assert "The PNMC registration has not been verified." in text


def test_the_clinic_page_names_an_expiry_date_in_urdu_too(
    client, manager, staffed_clinic, administrator
):
    nurse = Practitioner.objects.get(user__username="nurse")
    expired_on = timezone.localdate() - timedelta(days=3)
    services.record_registration(
        acting_user=administrator,
        via=Interface.CLI,
        practitioner=nurse,
        number="NURSE-1",
        expires_on=expired_on,
    )
    services.verify_practitioner(
        acting_user=administrator, via=Interface.CLI, practitioner=nurse, evidence="PNMC register"
    )
    client.force_login(manager)
    client.cookies["django_language"] = "ur"
    text = client.get(reverse("clinics:detail", args=[staffed_clinic.slug])).text
    with translation.override("ur"):
        day = date_format(expired_on, "j M Y")
    assert f"PNMC رجسٹریشن کی میعاد {day} کو ختم ہو گئی۔" in text
