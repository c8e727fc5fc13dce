"""Patients are archived, never deleted: an administrator archives one with a reason and may
restore them; archived patients leave search, lists, the API, pickers and the worklist, while
the recall of a lot still finds them and the audit keeps every line. Clinic staff get 404 for
an archived patient's page; administrators see it marked Archived. The admin deletes nothing."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from mesoclinic.accounts.roles import Role
from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.care.worklist import worklists
from mesoclinic.formulary import services as formulary
from mesoclinic.patients import services
from mesoclinic.patients.models import Patient

pytestmark = pytest.mark.django_db

#: Admins whose rows may be deleted: the appointment book's settings, the guide's public text,
#: the clinics' list of services. Every other admin deletes nothing (consent and aftercare
#: texts: a draft only, never a published text, which is what patients signed).
DELETABLE = {
    "appointments.appointmenttype",
    "appointments.workinghours",
    "appointments.break",
    "appointments.daychange",
    "appointments.leave",
    "appointments.closure",
    "clinics.service",
    "guide.topic",
    "guide.question",
    "guide.concern",
    "guide.timelinestep",
}


def archive(patient, administrator, reason="Registered twice by mistake; see MRN of the other"):
    return services.archive_patient(
        acting_user=administrator, via=Interface.WEB, patient=patient, reason=reason
    )


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_an_archived_patient_leaves_search_the_list_and_the_api(
    client, receptionist, administrator, make_patient, clinic_a
):
    kept, gone = make_patient(clinic_a), make_patient(clinic_a)
    archive(gone, administrator)

    kept_link = f'href="{reverse("patients:detail", args=[kept.pk])}"'
    gone_link = f'href="{reverse("patients:detail", args=[gone.pk])}"'
    for user in (receptionist, administrator):
        client.force_login(user)
        listed = client.get(reverse("patients:list")).text
        assert kept_link in listed and gone_link not in listed
        for query in (gone.mrn, gone.cnic, gone.mobile, gone.last_name):
            assert gone_link not in client.get(reverse("patients:list"), {"q": query}).text
        assert kept_link in client.get(reverse("patients:list"), {"q": kept.mrn}).text
        rows = api(user).get("/api/v1/patients/").json()["results"]
        assert {row["mrn"] for row in rows} >= {kept.mrn} and gone.mrn not in {
            row["mrn"] for row in rows
        }
    assert not Patient.objects.for_user(receptionist).filter(pk=gone.pk).exists()
    assert Patient.objects.for_user(administrator, archived=True).filter(pk=gone.pk).exists()


def test_clinic_staff_get_404_and_an_administrator_sees_it_marked_archived(
    client, receptionist, practitioner_user, administrator, patient_a
):
    archive(patient_a, administrator, reason="Asked to leave the clinic")
    url = reverse("patients:detail", args=[patient_a.pk])
    for staff in (receptionist, practitioner_user):
        client.force_login(staff)
        assert client.get(url).status_code == 404
        assert api(staff).get(f"/api/v1/patients/{patient_a.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_id=str(patient_a.pk)).exists()

    client.force_login(administrator)
    page = client.get(url)
    assert page.status_code == 200
    assert 'id="archived"' in page.text and "Asked to leave the clinic" in page.text
    assert "Restore" in page.text
    assert "Book an appointment" not in page.text  # taken out of the day's work


def test_the_recall_of_a_lot_still_finds_an_archived_patient(
    administrator, manager, make_lot, clinic_a, txa, patient_a
):
    lot = make_lot(clinic_a, txa, "RC9", "10")
    formulary.record_movement(
        acting_user=administrator,
        via=Interface.CLI,
        lot=lot,
        kind="used",
        quantity=Decimal("1"),
        patient=patient_a,
    )
    archive(patient_a, administrator)

    for user in (manager, administrator):
        rows = api(user).get(f"/api/v1/lots/{lot.pk}/recipients/").json()["results"]
        assert [row["mrn"] for row in rows] == [patient_a.mrn]
        assert rows[0]["mobile"] == patient_a.mobile  # still reachable to be told


def test_an_archived_patient_leaves_the_worklist(
    dermatologist, administrator, apply_test, clinic_a, patient_a
):
    apply_test(patient_a, hours_ago=50)
    assert worklists(dermatologist.user, [clinic_a.pk])[clinic_a.pk].open
    archive(patient_a, administrator)
    assert not worklists(dermatologist.user, [clinic_a.pk])[clinic_a.pk].open


def test_only_an_administrator_archives_or_restores(client, manager, practitioner_user, patient_a):
    for user in (manager, practitioner_user):
        with pytest.raises(PermissionDenied):
            archive(patient_a, user)
        client.force_login(user)
        response = client.post(
            reverse("patients:archive", args=[patient_a.pk]), {"reason": "no", "action": "archive"}
        )
        assert response.status_code == 403
    patient_a.refresh_from_db()
    assert not patient_a.archived


def test_a_reason_is_required(client, administrator, patient_a):
    with pytest.raises(ValidationError) as refused:
        archive(patient_a, administrator, reason="   ")
    assert "Say why the patient is archived." in refused.value.message_dict["reason"]
    client.force_login(administrator)
    response = client.post(reverse("patients:archive", args=[patient_a.pk]), {"reason": ""})
    assert response.status_code == 302
    assert "Say why the patient is archived." in client.get(response.url).text
    patient_a.refresh_from_db()
    assert not patient_a.archived


def test_archive_and_restore_from_the_page_are_audited_without_the_reason(
    client, administrator, patient_a, receptionist
):
    client.force_login(administrator)
    url = reverse("patients:archive", args=[patient_a.pk])
    client.post(url, {"action": "archive", "reason": "Duplicate of another record"})
    patient_a.refresh_from_db()
    assert patient_a.archived and patient_a.archived_by == administrator
    assert patient_a.archive_reason == "Duplicate of another record"

    client.post(url, {"action": "restore"})
    patient_a.refresh_from_db()
    assert not patient_a.archived and patient_a.archive_reason == ""
    events = AuditEvent.objects.filter(
        action="security", object_type="patients.patient", object_id=str(patient_a.pk)
    ).order_by("id")
    assert [e.detail["code"] for e in events] == ["patient_archived", "patient_restored"]
    assert all(e.changed_fields == ["archive_reason", "archived_at", "archived_by"] for e in events)
    assert not any("Duplicate" in str(e.detail) for e in events)
    client.force_login(receptionist)  # back in the day's work
    assert client.get(reverse("patients:detail", args=[patient_a.pk])).status_code == 200


def test_registering_an_archived_patient_again_says_to_restore_them(administrator, patient_a):
    archive(patient_a, administrator)
    with pytest.raises(ValidationError) as refused:
        services.register_patient(
            acting_user=administrator,
            via=Interface.WEB,
            clinic=patient_a.registered_clinic,
            data={
                "first_name": "Someone",
                "last_name": "Else",
                "date_of_birth": patient_a.date_of_birth,
                "sex": "female",
                "cnic": patient_a.cnic,
                "mobile": "+923001112223",
            },
        )
    assert "archived" in refused.value.message_dict["cnic"][0]


@pytest.fixture
def root(make_user):
    """An administrator holding every model permission (a superuser), so that what the admin
    refuses is refused by its own rule, not for want of a permission."""
    return make_user("root", Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


def test_the_admin_offers_no_delete_for_patients(client, root, patient_a):
    client.force_login(root)
    assert client.get(f"/admin/patients/patient/{patient_a.pk}/change/").status_code == 200
    assert client.get(f"/admin/patients/patient/{patient_a.pk}/delete/").status_code == 403
    listing = client.get("/admin/patients/patient/")
    assert "delete_selected" not in listing.text
    assert 'value="archive"' in listing.text and 'value="restore"' in listing.text
    response = client.post(
        "/admin/patients/patient/",
        {"action": "delete_selected", "_selected_action": [patient_a.pk], "post": "yes"},
    )
    assert Patient.objects.filter(pk=patient_a.pk).exists()
    assert response.status_code in (200, 302)


def test_the_admin_archives_with_a_reason_and_restores(client, root, patient_a):
    client.force_login(root)
    selected = {"_selected_action": [patient_a.pk], "index": 0}
    client.post("/admin/patients/patient/", {**selected, "action": "archive", "reason": ""})
    patient_a.refresh_from_db()
    assert not patient_a.archived  # no reason, no archiving
    client.post("/admin/patients/patient/", {**selected, "action": "archive", "reason": "Left"})
    patient_a.refresh_from_db()
    assert patient_a.archived and patient_a.archive_reason == "Left"
    assert patient_a.mrn in client.get("/admin/patients/patient/", {"archived": "yes"}).text
    client.post("/admin/patients/patient/", {**selected, "action": "restore"})
    patient_a.refresh_from_db()
    assert not patient_a.archived


def test_no_admin_deletes_a_record(root):
    """Every admin of our own apps, for a superuser: only the settings listed in DELETABLE may
    be deleted; patients, consents, sessions, lots, the audit and the rest never are. (The
    sign-in libraries' own admins, axes' attempts and django-otp's devices, are the sign-in
    and second-factor slices' concern: deleting an attempt is how a lockout is lifted.)"""
    request = RequestFactory().get("/admin/")
    request.user = root
    deletable = {
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_delete_permission(request)
        and (model.__module__.startswith("mesoclinic.") or model._meta.app_label == "auth")
    }
    assert deletable == DELETABLE, deletable ^ DELETABLE
    assert "patients.patient" not in deletable and "audit.auditevent" not in deletable
