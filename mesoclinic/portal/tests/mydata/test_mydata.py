"""My data: the export (JSON and PDF), who opened my record, requests to correct or erase, and
the answers about being contacted."""

import json
import re
import shutil
import subprocess

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.conftest import ARTIFACTS
from mesoclinic.notifications.models import ContactConsent, Message
from mesoclinic.portal import mydata_selectors, mydata_services
from mesoclinic.portal.models import DataRequest
from mesoclinic.portal.tests.mydata.conftest import SANA_B_WORDS, SISTER_WORDS, STRANGER_WORDS

pytestmark = pytest.mark.django_db


def _url(name, *args, language="en"):
    with translation.override(language):
        return reverse(f"portal:{name}", args=args)


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


# --- the export --------------------------------------------------------------------------


def test_it_exports_her_records_at_both_clinics_and_nothing_of_her_sister_or_the_stranger(
    patient_client, portal_world, treated
):
    response = patient_client.get(_url("export_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    body = response.content.decode()
    export = json.loads(body)
    clinics = [r["clinic"]["name"] for r in export["records"]]
    assert clinics == ["Clinic A Islamabad", "Clinic B Lahore"]
    at_a, at_b = export["records"]
    assert at_a["patient"]["mrn"] == portal_world.at_a.mrn
    assert at_b["patient"]["last_name"] == "Malick"
    assert at_a["consultations"] and at_a["patch_tests"] and at_a["consents"]
    assert at_a["courses"] and at_a["check_ins"]
    (session,) = at_a["sessions"]
    assert session["products"][0]["lot_number"] == "TXA-A1"  # lot traceability
    assert at_b["consultations"][0]["concerns"] == SANA_B_WORDS
    for theirs in (
        SISTER_WORDS,
        STRANGER_WORDS,
        portal_world.sister.mrn,
        portal_world.stranger.mrn,
        "Hina",
        "Rabia",
    ):
        assert theirs not in body
    # Never the signature's strokes, a digest or what the outbox rendered.
    for secret in ('"signature"', '"facts_digest"', '"body"', '"address"', '"values"'):
        assert secret not in body
    exported = AuditEvent.objects.filter(
        actor=portal_world.user, detail__export="json", interface="portal", action="view"
    )
    assert sorted(exported.values_list("object_id", flat=True)) == sorted(
        [str(portal_world.at_a.pk), str(portal_world.at_b.pk)]
    )


def test_it_gathers_the_export_in_the_same_bounded_number_of_queries_for_more_data(
    portal_world, treated, consult, dermatologist
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            mydata_selectors.gather(portal_world.user)
        return len(queries)

    count()  # the account's roles, read once and kept on it
    before = count()
    assert before <= mydata_selectors.EXPORT_QUERIES
    for _ in range(3):
        consult(dermatologist.user, portal_world.at_a)
    assert count() == before


def test_it_lists_photos_by_file_name_only(portal_world, treated, dermatologist):
    from mesoclinic.care.models import Consultation
    from mesoclinic.care.services import screening
    from mesoclinic.security.tests.matrix_world import png_upload

    consultation = Consultation.objects.filter(patient=portal_world.at_a).first()
    screening.add_photo(
        acting_user=dermatologist.user,
        via=Interface.WEB,
        consultation=consultation,
        upload=png_upload(),
    )
    export = mydata_selectors.as_json(mydata_selectors.gather(portal_world.user))
    (photo,) = export["records"][0]["photos"]
    assert photo["file"] and "/" not in photo["file"]
    assert "base64" not in json.dumps(photo)


_BIDI_AND_SPACE = re.compile(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_it_prints_a_real_pdf_in_urdu_for_an_urdu_patient(patient_client, portal_world, treated):
    response = patient_client.get(_url("export_pdf", language="ur"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    folder = ARTIFACTS / "pdf" / connection.vendor
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "my-data-ur.pdf"
    path.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "NotoNastaliqUrdu" in fonts
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    letters = _BIDI_AND_SPACE.sub("", text)
    with translation.override("ur"):
        heading = str(translation.gettext("Who opened my record"))
    assert heading != "Who opened my record"  # translated
    assert _BIDI_AND_SPACE.sub("", heading) in letters
    assert "TXA-A1" in text and portal_world.at_a.mrn in text
    assert AuditEvent.objects.filter(actor=portal_world.user, detail__export="pdf").count() == 3
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(folder / "my-data")],
        check=True,
    )


# --- who opened my record ----------------------------------------------------------------


def test_it_shows_the_practitioners_name_and_role_after_they_opened_her_chart_and_no_ids(
    patient_client, portal_world, treated, practitioner_user
):
    doctor = _signed_in_staff(practitioner_user)
    assert doctor.get(reverse("patients:detail", args=[portal_world.at_a.pk])).status_code == 200
    response = patient_client.get(_url("access_log"))
    assert response.status_code == 200
    page = response.content.decode()
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    first = body[: body.index("</tr>")]
    assert "Doctor_A" in first and "Practitioner" in first and "Opened" in first
    assert "your details" in first
    # No internal id: no record type, no row number; the only digits are the dates.
    assert "patients.patient" not in page
    cells = re.sub(r"<bdi>[^<]*</bdi>", "", body)
    assert not re.search(r"\d", re.sub(r"<[^>]+>", "", cells))


def _signed_in_staff(user):
    from mesoclinic.conftest import SecondFactorClient

    client = SecondFactorClient()
    client.force_login(user)
    return client


def test_it_shows_her_own_portal_actions_as_you(patient_client, portal_world):
    patient_client.get(_url("my_data"))
    patient_client.get(_url("export_json"))
    page = patient_client.get(_url("access_log")).content.decode()
    assert "<strong>You</strong>" in page


def test_it_hides_the_name_of_another_patient_who_guessed_her_record(patient_client, portal_world):
    from mesoclinic.clinics import scoping
    from mesoclinic.portal import services

    hina = services.link_account(
        mobile=portal_world.sister.mobile, date_of_birth=portal_world.sister.date_of_birth
    )
    hina.first_name, hina.last_name = "Hina", "Malik"
    hina.save()
    scoping.denied(hina, type(portal_world.at_a), portal_world.at_a.pk, via="portal")
    page = patient_client.get(_url("access_log")).content.decode()
    assert "Another patient" in page and "Hina" not in page


def test_it_pages_the_access_log_newest_first_in_constant_queries(
    patient_client, portal_world, practitioner_user, django_assert_max_num_queries
):
    doctor = _signed_in_staff(practitioner_user)
    for _ in range(30):
        doctor.get(reverse("patients:detail", args=[portal_world.at_a.pk]))
    # session, user, roles, the record refs, the page, the actors' groups, the audit row
    # (and its savepoint).
    with django_assert_max_num_queries(9):
        first = patient_client.get(_url("access_log"))
    cursor = first.context["next_cursor"]
    assert len(first.context["entries"]) == 25 and cursor
    second = patient_client.get(_url("access_log") + f"?before={cursor}")
    assert second.context["entries"] and second.context["entries"][0].cursor < cursor
    assert patient_client.get(_url("access_log") + "?before=nonsense").status_code == 200


# --- requests ----------------------------------------------------------------------------


def test_it_sends_a_correction_to_the_managers_page_and_shows_her_the_answer(
    patient_client, portal_world, manager_with_email
):
    response = patient_client.post(
        _url("data_request_new"),
        {"kind": "correction", "record": portal_world.at_a.pk, "details": "My name is Sana Malik"},
    )
    assert response.status_code == 302
    made = DataRequest.objects.get()
    assert made.clinic_id == portal_world.at_a.registered_clinic_id and made.status == "open"
    assert AuditEvent.objects.filter(object_type="portal.datarequest", action="create").exists()
    # The manager hears of it by e-mail: a link, nothing of what she wrote.
    notice = Message.objects.get(template="data-request-notice")
    assert notice.address == "manager.a@example.pk"
    assert "Sana" not in json.dumps(notice.values)

    manager = _signed_in_staff(manager_with_email)
    listing = manager.get(reverse("portal_requests:list"))
    assert listing.status_code == 200 and portal_world.at_a.mrn in listing.content.decode()
    answered = manager.post(
        reverse("portal_requests:detail", args=[made.pk]),
        {"status": "done", "answer": "Corrected at the desk."},
    )
    assert answered.status_code == 302
    made.refresh_from_db()
    assert made.status == "done" and made.answered_by == manager_with_email
    assert AuditEvent.objects.filter(
        object_type="portal.datarequest", action="update", actor=manager_with_email
    ).exists()

    page = patient_client.get(response.url).content.decode()
    assert "Done" in page and "Corrected at the desk." in page
    hub = patient_client.get(_url("my_data")).content.decode()
    assert "Done" in hub


def test_it_tells_her_what_an_erasure_keeps_before_and_after(
    patient_client, portal_world, treated, manager_with_email
):
    form = patient_client.get(_url("data_request_new") + "?kind=erasure").content.decode()
    assert "batch (lot)" in form and "audit trail" in form and "clinical record" in form
    patient_client.post(
        _url("data_request_new"), {"kind": "erasure", "record": portal_world.at_a.pk}
    )
    made = DataRequest.objects.get()
    manager = _signed_in_staff(manager_with_email)
    page = manager.get(reverse("portal_requests:detail", args=[made.pk])).content.decode()
    assert "batch (lot)" in page
    manager.post(
        reverse("portal_requests:detail", args=[made.pk]),
        {"status": "done", "answer": "Erased what we may."},
    )
    made.refresh_from_db()
    codes = [k["code"] for k in made.kept]
    assert codes == ["audit_trail", "lot_traceability", "clinical_records"]
    assert made.kept[2]["until"]  # the end of the retention
    page = patient_client.get(_url("data_request", made.pk)).content.decode()
    assert "batch (lot)" in page and "until" in page and "Erased what we may." in page


def test_it_refuses_a_refusal_without_a_reason(patient_client, portal_world, manager_with_email):
    patient_client.post(
        _url("data_request_new"), {"kind": "erasure", "record": portal_world.at_a.pk}
    )
    made = DataRequest.objects.get()
    manager = _signed_in_staff(manager_with_email)
    response = manager.post(
        reverse("portal_requests:detail", args=[made.pk]), {"status": "refused", "answer": ""}
    )
    assert response.status_code == 400
    assert "Say why the request is refused." in response.content.decode()
    made.refresh_from_db()
    assert made.status == "open"


def test_it_asks_for_what_to_correct_and_keeps_what_she_chose(patient_client, portal_world):
    response = patient_client.post(
        _url("data_request_new"), {"kind": "correction", "record": portal_world.at_b.pk}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say what is wrong" in page and 'aria-describedby="details-error"' in page
    assert f'value="{portal_world.at_b.pk}" selected' in page
    assert not DataRequest.objects.exists()


def test_it_refuses_a_record_that_is_not_hers_in_the_request_form(patient_client, portal_world):
    response = patient_client.post(
        _url("data_request_new"),
        {"kind": "erasure", "record": portal_world.stranger.pk, "details": ""},
    )
    assert response.status_code == 400
    assert not DataRequest.objects.exists()


def test_it_answers_404_for_another_patients_request_and_audits_it(
    patient_client, portal_world, administrator
):
    theirs = mydata_services.ask(
        acting_user=administrator,
        patient=portal_world.sister,
        kind="erasure",
        details="",
        via=Interface.WEB,
    )
    assert patient_client.get(_url("data_request", theirs.pk)).status_code == 404
    assert patient_client.get(_url("data_request", 99999999)).status_code == 404
    assert AuditEvent.objects.filter(
        actor=portal_world.user, action="denied", object_id=str(theirs.pk)
    ).exists()


def test_it_keeps_the_requests_page_to_the_clinics_managers(
    portal_world,
    manager_with_email,
    receptionist,
    practitioner_user,
    make_user,
    clinic_b,
    administrator,
):
    from mesoclinic.accounts.roles import Role

    made = mydata_services.ask(
        acting_user=portal_world.user,
        patient=portal_world.at_a,
        kind="correction",
        details="x",
        via=Interface.PORTAL,
    )
    detail = reverse("portal_requests:detail", args=[made.pk])
    for user in (receptionist, practitioner_user):
        assert _signed_in_staff(user).get(detail).status_code == 403
    assert _signed_in(portal_world.user).get(detail).status_code == 403
    manager_b = make_user("manager_b", Role.CLINIC_MANAGER, [clinic_b])
    assert _signed_in_staff(manager_b).get(detail).status_code == 404
    listing = _signed_in_staff(manager_b).get(reverse("portal_requests:list")).content.decode()
    assert portal_world.at_a.mrn not in listing
    assert _signed_in_staff(administrator).get(detail).status_code == 200
    assert Client().get(detail).status_code == 302


# --- consent to be contacted -------------------------------------------------------------


def test_it_records_and_audits_her_answer_per_channel_and_clinic(patient_client, portal_world):
    response = patient_client.post(
        _url("contact_prefs"),
        {"record": portal_world.at_b.pk, "channel": "whatsapp", "answer": "yes"},
    )
    assert response.status_code == 302
    consent = ContactConsent.objects.filter(patient_id=portal_world.at_b.pk).order_by("-id")[0]
    assert consent.channel == "whatsapp" and consent.opted_in and consent.method == "portal"
    assert consent.recorded_by == portal_world.user
    assert AuditEvent.objects.filter(
        object_type="notifications.contactconsent", object_id=str(consent.pk), interface="portal"
    ).exists()
    page = patient_client.get(_url("contact_prefs")).content.decode()
    cell = re.search(rf'id="answer-{portal_world.at_b.pk}-whatsapp">([^<]*)<', page).group(1)
    assert cell == "Yes"
    patient_client.post(
        _url("contact_prefs"),
        {"record": portal_world.at_b.pk, "channel": "whatsapp", "answer": "no"},
    )
    page = patient_client.get(_url("contact_prefs")).content.decode()
    assert re.search(rf'id="answer-{portal_world.at_b.pk}-whatsapp">No<', page)


def test_it_refuses_an_answer_for_another_patients_record(patient_client, portal_world):
    before = ContactConsent.objects.count()
    response = patient_client.post(
        _url("contact_prefs"),
        {"record": portal_world.sister.pk, "channel": "sms", "answer": "no"},
    )
    assert response.status_code == 404
    bad = patient_client.post(
        _url("contact_prefs"), {"record": portal_world.at_a.pk, "channel": "fax", "answer": "no"}
    )
    assert bad.status_code == 400 and "Choose a channel" in bad.content.decode()
    assert ContactConsent.objects.count() == before


def test_it_never_offers_staff_the_portal_as_how_a_patient_answered():
    from mesoclinic.patients.contacts import STAFF_METHODS

    assert "portal" not in dict(STAFF_METHODS)


# --- every page ------------------------------------------------------------------------------


def test_it_keeps_every_urdu_page_small_and_in_urdu(patient_client, portal_world, treated):
    made = mydata_services.ask(
        acting_user=portal_world.user,
        patient=portal_world.at_a,
        kind="erasure",
        details="",
        via=Interface.PORTAL,
    )
    for name, args in (
        ("my_data", ()),
        ("access_log", ()),
        ("data_request_new", ()),
        ("data_request", (made.pk,)),
        ("contact_prefs", ()),
    ):
        response = patient_client.get(_url(name, *args, language="ur"))
        assert response.status_code == 200, name
        assert len(response.content) < 100_000, name
        page = response.content.decode()
        assert 'lang="ur" dir="rtl"' in page, name
    hub = patient_client.get(_url("my_data", language="ur")).content.decode()
    with translation.override("ur"):
        assert translation.gettext("Download as PDF (to read)") in hub


def test_it_sends_anyone_but_a_patient_away(client, receptionist):
    assert client.get(_url("my_data")).status_code == 302
    staff = _signed_in_staff(receptionist)
    assert staff.get(_url("export_json"))["Location"] == reverse("dashboard")
