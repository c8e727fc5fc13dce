"""The patient's branch of the one scoping rule, and the portal's door."""

from mesoclinic.care.models import Consent
from mesoclinic.clinics import scoping
from mesoclinic.patients.models import Patient
from mesoclinic.patients.services import update_patient
from mesoclinic.portal import services
from mesoclinic.portal.tests.conftest import SANA_BORN, SANA_MOBILE


def test_it_links_one_account_to_the_records_at_both_clinics(portal_world):
    assert portal_world.at_a.portal_user == portal_world.user
    assert portal_world.at_b.portal_user == portal_world.user
    assert portal_world.sister.portal_user is None
    assert portal_world.stranger.portal_user is None


def test_it_signs_the_same_person_in_to_the_same_account_again(portal_world):
    again = services.link_account(mobile=SANA_MOBILE, date_of_birth=SANA_BORN)
    assert again == portal_world.user


def test_it_lets_a_patient_read_only_their_own_records(portal_world):
    visible = set(Patient.objects.for_user(portal_world.user).values_list("pk", flat=True))
    assert visible == {portal_world.at_a.pk, portal_world.at_b.pk}


def test_it_keeps_kinds_without_a_patient_path_closed_to_a_patient(portal_world):
    from mesoclinic.formulary.models import StockMovement

    assert not StockMovement.objects.for_user(portal_world.user).exists()
    assert scoping.scope(portal_world.user, scoping.Kind.STOCK).nowhere


def test_it_never_lets_a_patient_pass_a_staff_surface(portal_world):
    for kind in scoping.Kind:
        assert not scoping.reaches(portal_world.user, kind)


def test_it_reads_clinical_kinds_by_the_row_patient(portal_world):
    assert list(Consent.objects.for_user(portal_world.user)) == []


def test_it_unlinks_a_record_whose_mobile_the_clinic_changes(portal_world, administrator):
    update_patient(
        acting_user=administrator,
        via="web",
        patient=portal_world.at_b,
        data={"mobile": "+923009998877"},
    )
    portal_world.at_b.refresh_from_db()
    assert portal_world.at_b.portal_user is None
    visible = set(Patient.objects.for_user(portal_world.user).values_list("pk", flat=True))
    assert visible == {portal_world.at_a.pk}


def test_it_shows_the_patient_both_clinics_and_nobody_else(patient_client, portal_world):
    page = patient_client.get("/en/portal/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Clinic A Islamabad" in text and "Clinic B Lahore" in text
    assert portal_world.stranger.mrn not in text and portal_world.sister.mrn not in text


def test_it_sends_an_anonymous_visitor_to_sign_in(client):
    page = client.get("/ur/portal/")
    assert page.status_code == 302
    assert page["Location"].startswith("/ur/portal/sign-in/")


def test_it_sends_staff_to_their_own_pages(client, receptionist):
    client.force_login(receptionist)
    page = client.get("/en/portal/")
    assert page.status_code == 302 and page["Location"] == "/"


def test_it_keeps_a_patient_off_the_staff_pages_and_the_api(patient_client, portal_world):
    assert patient_client.get(f"/patients/{portal_world.at_a.pk}/").status_code in (302, 403, 404)
    assert patient_client.get("/api/v1/patients/").status_code == 403
