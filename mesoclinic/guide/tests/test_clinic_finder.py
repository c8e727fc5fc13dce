"""The clinic finder, the public clinic page and the appointment request that staff receive."""

import re

import pytest
from django.contrib.auth import get_user_model

from mesoclinic.audit.models import AuditEvent
from mesoclinic.clinics.models import Clinic
from mesoclinic.notifications import services
from mesoclinic.notifications.models import Message
from mesoclinic.notifications.tests.helpers import RecordingChannel, next_morning
from mesoclinic.patients.models import Enquiry

pytestmark = pytest.mark.django_db
User = get_user_model()

VALID = {
    "name": "Ayesha Khan",
    "mobile": "0300-1234567",
    "preferred_language": "ur",
    "concern": "melasma",
    "preferred_time": "evening",
    "message": "",
    "agree": "on",
}


@pytest.fixture
def listed(clinic_a, clinic_b, make_practitioner):
    clinic_a.email = "frontdesk@clinic-a.example"
    clinic_a.save(update_fields=["email"])
    make_practitioner("drsana", clinic_a, number="12345-P")
    make_practitioner("drunverified", clinic_a, verified=False, number="99999-P")
    make_practitioner("drlahore", clinic_b)
    return clinic_a


def test_it_lists_a_citys_clinics_with_only_credentialed_practitioners(client, listed):
    html = client.get("/en/clinics/", {"city": "islamabad"}).content.decode()
    assert "Clinic A Islamabad" in html and "Clinic B Lahore" not in html
    assert "12345-P" in html and "PMDC registration verified" in html
    assert "99999-P" not in html and "Drunverified" not in html
    assert "F-7 Markaz" in html


def test_a_nurse_is_listed_with_the_pnmc_not_the_pmdc(client, clinic_a, make_practitioner):
    make_practitioner("nursekhan", clinic_a, qualification="nurse", number="N-777")
    make_practitioner("drsana", clinic_a, number="12345-P")
    html = client.get("/en/clinics/", {"city": "islamabad"}).content.decode()
    nurse = html[html.index("Nursekhan") : html.index("N-777")]
    assert "PNMC registration verified" in nurse and "PMDC" not in nurse
    doctor = html[html.index("Drsana") : html.index("12345-P")]
    assert "PMDC registration verified" in doctor
    urdu = client.get("/ur/clinics/", {"city": "islamabad"}).content.decode()
    assert "PNMC رجسٹریشن تصدیق شدہ" in urdu


def test_it_groups_all_clinics_by_city_without_a_filter(client, listed):
    html = client.get("/en/clinics/").content.decode()
    assert html.index("Islamabad") < html.index("Lahore")


def test_it_explains_an_unknown_city_and_offers_the_known_ones(client, listed):
    response = client.get("/ur/clinics/", {"city": "Atlantis"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "Atlantis" in html and 'value="Islamabad"' in html


def test_it_hides_inactive_clinics(client, listed):
    listed.is_active = False
    listed.save(update_fields=["is_active"])
    assert client.get("/en/clinics/clinic-a/").status_code == 404


def test_it_lists_clinics_in_a_constant_number_of_queries(
    client, listed, make_practitioner, django_assert_num_queries
):
    # 1: cities; 2: clinics; 3: hours; 4: services; 5: credentialed practitioners.
    with django_assert_num_queries(5):
        client.get("/en/clinics/")
    for number in range(3):
        clinic = Clinic.objects.create(
            name=f"Extra {number}",
            slug=f"extra-{number}",
            city="Karachi",
            address="Clifton",
            phone="+922135870000",
        )
        make_practitioner(f"drextra{number}", clinic)
    with django_assert_num_queries(5):
        html = client.get("/en/clinics/").content.decode()
    assert "Extra 2" in html


def test_it_hides_a_practitioner_whose_account_is_switched_off(client, listed):
    User.objects.filter(username="drsana").update(is_active=False)
    assert "12345-P" not in client.get("/en/clinics/clinic-a/").content.decode()


def test_it_takes_no_requests_for_a_clinic_without_a_verified_practitioner(client, clinic_b):
    page = client.get("/en/clinics/clinic-b/").content.decode()
    assert "does not take requests here" in page and 'name="mobile"' not in page
    response = client.post("/en/clinics/clinic-b/", VALID)
    assert response.status_code == 400
    assert not Enquiry.objects.exists()


def test_it_keeps_one_open_request_per_mobile_when_a_visitor_clicks_twice(client, listed):
    client.post("/en/clinics/clinic-a/", VALID)
    response = client.post("/en/clinics/clinic-a/", VALID)
    assert response.status_code == 302
    assert Enquiry.objects.count() == 1


def test_it_never_caches_a_refused_request_holding_a_name_and_number(client, listed):
    response = client.post("/en/clinics/clinic-a/", {**VALID, "mobile": "12345"})
    assert "no-store" in response["Cache-Control"]
    assert "Ayesha Khan" in response.content.decode()  # kept for the visitor to correct


def test_it_turns_a_request_into_an_enquiry_and_tells_the_clinic_without_personal_data(
    client, listed
):
    response = client.post("/en/clinics/clinic-a/", VALID)
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/clinics/clinic-a/sent/"
    enquiry = Enquiry.objects.get()
    assert (enquiry.clinic, enquiry.mobile, enquiry.status) == (listed, "+923001234567", "new")
    assert AuditEvent.objects.filter(
        object_type="patients.enquiry", action="create", interface="public"
    ).exists()
    # The notice waits in the outbox, written with the request; the worker sends it.
    notice = Message.objects.get()
    assert (notice.idempotency_key, notice.subject) == (
        f"enquiry-{enquiry.pk}-notice",
        f"patients.enquiry:{enquiry.pk}",
    )
    assert (notice.channel, notice.address, notice.template, notice.language) == (
        "email",
        "frontdesk@clinic-a.example",
        "enquiry-notice",
        "en",
    )
    assert (notice.clinic_id, notice.patient_id, notice.status) == (listed.pk, None, "queued")
    clinic_inbox = RecordingChannel()
    assert services.drain(now=next_morning(), channel_for=lambda name: clinic_inbox).sent == 1
    [received] = clinic_inbox.calls
    assert received["to"] == "frontdesk@clinic-a.example"
    assert "Clinic A Islamabad" in received["body"]
    assert "http://testserver/patients/enquiries/" in received["body"]
    assert "Ayesha" not in received["body"] and "1234567" not in received["body"]


def test_it_queues_no_notice_for_a_clinic_without_an_email(client, listed):
    listed.email = ""
    listed.save(update_fields=["email"])
    client.post("/en/clinics/clinic-a/", VALID)
    assert Enquiry.objects.exists() and not Message.objects.exists()


def test_it_queues_one_notice_when_a_visitor_sends_twice(client, listed):
    client.post("/en/clinics/clinic-a/", VALID)
    client.post("/en/clinics/clinic-a/", VALID)
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field_message"),
    [
        ({"mobile": "12345"}, "mobile"),
        ({"mobile": "042-35761234"}, "mobile"),
        ({"name": "   "}, "This field is required"),
        ({"agree": ""}, "so the clinic may contact you"),
        ({"concern": "tattoo"}, "Choose a concern"),
        ({"message": "x" * 501}, "500"),
        ({"preferred_language": "fr"}, "valid choice"),
    ],
)
def test_it_refuses_a_bad_request_with_a_clear_message_and_saves_nothing(
    client, listed, change, field_message
):
    response = client.post("/en/clinics/clinic-a/", {**VALID, **change})
    assert response.status_code == 400
    assert field_message.lower() in response.content.decode().lower()
    assert not Enquiry.objects.exists()


def test_it_quietly_drops_requests_from_robots_that_fill_the_hidden_field(client, listed):
    response = client.post("/en/clinics/clinic-a/", {**VALID, "website": "http://spam"})
    assert response.status_code == 302  # the robot learns nothing
    assert not Enquiry.objects.exists()


def test_it_keeps_the_hidden_field_out_of_keyboard_and_autofill_reach(client, listed):
    html = client.get("/en/clinics/clinic-a/").content.decode()
    field = re.search(r'<input[^>]*name="website"[^>]*>', html).group(0)
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field


def test_it_answers_404_for_an_enquiry_number_beyond_any_id(client, listed, receptionist):
    client.force_login(receptionist)
    response = client.post(f"/patients/enquiries/{'9' * 60}/status/", {"status": "closed"})
    assert response.status_code == 404


def test_it_shows_staff_their_clinics_enquiries_only(client, listed, receptionist, outsider):
    client.post("/en/clinics/clinic-a/", VALID)
    client.force_login(receptionist)
    html = client.get("/patients/enquiries/").content.decode()
    assert "Ayesha Khan" in html and "0300 1234567" in html.replace("-", " ")
    assert "melasma" in html.lower() and "Dark patches" in html
    client.force_login(outsider)
    assert "Ayesha Khan" not in client.get("/patients/enquiries/").content.decode()


def test_it_lets_staff_mark_an_enquiry_contacted_and_audits_it(client, listed, receptionist):
    client.post("/en/clinics/clinic-a/", VALID)
    enquiry = Enquiry.objects.get()
    client.force_login(receptionist)
    response = client.post(f"/patients/enquiries/{enquiry.pk}/status/", {"status": "contacted"})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.handled_by) == ("contacted", receptionist)
    assert AuditEvent.objects.filter(
        object_type="patients.enquiry", action="update", actor=receptionist
    ).exists()


def test_it_answers_404_for_another_clinics_enquiry_and_audits_the_attempt(
    client, listed, outsider
):
    client.post("/en/clinics/clinic-a/", VALID)
    enquiry = Enquiry.objects.get()
    client.force_login(outsider)
    response = client.post(f"/patients/enquiries/{enquiry.pk}/status/", {"status": "closed"})
    assert response.status_code == 404
    enquiry.refresh_from_db()
    assert enquiry.status == "new"
    assert AuditEvent.objects.filter(action="denied", object_type="patients.enquiry").exists()


def test_it_keeps_enquiries_away_from_visitors_without_a_staff_role(client, listed):
    response = client.get("/patients/enquiries/")
    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]


def test_it_reads_the_inbox_in_a_constant_number_of_queries(
    client, listed, receptionist, django_assert_num_queries
):
    client.post("/en/clinics/clinic-a/", VALID)
    client.force_login(receptionist)
    # 1 session, 2 user, 3 roles, 4 enquiries with their clinic, 5 audit insert,
    # 6 concern labels.
    with django_assert_num_queries(7):  # +1: the session's second factor
        client.get("/patients/enquiries/")
    client.post("/en/clinics/clinic-a/", {**VALID, "mobile": "0301-7654321"})
    with django_assert_num_queries(7):  # +1: the session's second factor
        client.get("/patients/enquiries/")


def test_it_lets_administrators_close_a_request_in_the_admin_through_the_service(
    client, listed, administrator
):
    client.post("/en/clinics/clinic-a/", VALID)
    enquiry = Enquiry.objects.get()
    administrator.is_superuser = True  # model permissions in the admin, as the demo admin has
    administrator.save(update_fields=["is_superuser"])
    client.force_login(administrator)
    assert client.get("/admin/patients/enquiry/add/").status_code == 403
    client.get("/admin/patients/enquiry/")
    response = client.post(f"/admin/patients/enquiry/{enquiry.pk}/change/", {"status": "closed"})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.handled_by, enquiry.name) == (
        "closed",
        administrator,
        "Ayesha Khan",
    )
    actions = set(
        AuditEvent.objects.filter(object_type="patients.enquiry", interface="admin").values_list(
            "action", flat=True
        )
    )
    assert {"list", "update"} <= actions
