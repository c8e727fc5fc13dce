"""Consent: signed on the screen against the latest screening and the planned course, naming
the plan's products, number of sessions and interval in English and Urdu, witnessed, printed
to a PDF whose Urdu reads back, and invalidated when the screening facts or the plan change."""

import os
import re
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.care import selectors
from mesoclinic.care.models import Consent, ConsentText, Consultation
from mesoclinic.care.services import consents
from mesoclinic.care.tests.conftest import SIGNATURE, patch_test_applied_hours_ago
from mesoclinic.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db

_BIDI_AND_SPACE = re.compile(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _letters(text: str) -> str:
    """Text without spaces and direction marks: pdftotext splits Nastaliq words at glyph
    joins and adds embedding marks, but keeps every letter in order."""
    return _BIDI_AND_SPACE.sub("", text)


def _sign(user, patient, *, signature=SIGNATURE, text=None, language="ur"):
    return consents.sign_consent(
        acting_user=user,
        via=Interface.WEB,
        patient=patient,
        text=text or selectors.current_consent_text("mesotherapy_face"),
        language=language,
        signer_name="Ayesha Khan",
        signature_data=signature,
        photo_consent=False,
    )


@pytest.fixture
def screened(practitioner_user, patient_a, consult, consent_texts, plan):
    """Patient A with an eligible melasma screening and a course planned on it (4 sessions of
    tranexamic acid, 21 days apart): what a consent is given on."""
    consultation = consult(practitioner_user, patient_a)
    plan(practitioner_user, patient_a)
    return consultation


def _post(client, patient, **overrides):
    data = {
        "consultation": Consultation.objects.filter(patient=patient).latest("id").pk,
        "language": "ur",
        "photo_consent": "no",
        "signer_name": "Ayesha Khan",
        "signature": SIGNATURE,
        **overrides,
    }
    return client.post(reverse("care:consent_new", args=[patient.pk]), data)


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        ("", "Please sign in the box."),
        ("[]", "Please sign in the box."),
        ("[[[10,10],[12,11]]]", "That is too small to be a signature"),
        ("[[[0,0],[600,200]]]", "That is too small to be a signature"),  # a ruled line
        ("[" * 5000 + "]" * 5000, "could not be read"),
        ("not json", "could not be read"),
        ("[[[10,10],[9999,11]]]", "could not be read"),
    ],
)
def test_a_consent_without_a_real_signature_is_refused_and_nothing_saved(
    client, receptionist, patient_a, screened, signature, message
):
    client.force_login(receptionist)
    response = _post(client, patient_a, signature=signature)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["signature"])
    assert not Consent.objects.exists()


# The worker closes its connection between tasks, which would end a test's surrounding
# transaction: the tests that run it commit for real.
@pytest.mark.django_db(transaction=True)
def test_a_receptionist_witnesses_a_signed_consent_with_its_pdf(
    client, receptionist, patient_a, screened, run_task_worker
):
    client.force_login(receptionist)
    response = _post(client, patient_a)
    assert response.status_code == 302
    # Not printed in the request: the worker prints it.
    assert not Consent.objects.get().pdf
    assert DBTaskResult.objects.get().task_path == consents.print_consent_pdf.module_path

    run_task_worker()

    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    consent = Consent.objects.get()
    assert (consent.witness, consent.consultation, consent.language) == (
        receptionist,
        screened,
        "ur",
    )
    assert consent.text.version == 2 and consent.is_valid
    assert consent.course == patient_a.courses.get() and len(consent.plan_digest) == 64
    assert consent.pdf.name.startswith("consents/") and len(consent.pdf_sha256) == 64
    page = client.get(response.url)
    assert 'id="consent-status"' in page.text and "valid" in page.text
    assert AuditEvent.objects.filter(object_type="care.consent", action="create").exists()


# CI installs poppler-utils (.ci/run), so there the test never skips.
@pytest.mark.skipif(
    shutil.which("pdftotext") is None and not os.environ.get("CI"), reason="needs poppler-utils"
)
def test_the_consent_pdf_reads_back_its_urdu_and_looks_right(
    client, receptionist, patient_a, screened
):
    consent = _sign(receptionist, patient_a)
    client.force_login(receptionist)
    response = client.get(reverse("care:consent_pdf", args=[consent.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    data = b"".join(response.streaming_content)
    folder = ARTIFACTS / "pdf" / connection.vendor
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "consent.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Consent to mesotherapy of the face and skin" in text
    for urdu in (consent.text.title_ur, "عام اثرات", "نایاب خطرات", "متبادل"):
        assert _letters(urdu) in _letters(text), urdu
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "NotoNastaliqUrdu" in fonts
    # The first page as a picture, kept for a person to look at.
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(path), str(folder / "consent")],
        check=True,
    )


def test_a_missing_pdf_is_printed_again_on_download(client, receptionist, patient_a, screened):
    consent = _sign(receptionist, patient_a)
    Consent.objects.filter(pk=consent.pk).update(pdf="", pdf_sha256="")
    client.force_login(receptionist)
    response = client.get(reverse("care:consent_pdf", args=[consent.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    consent.refresh_from_db()
    assert consent.pdf


def test_a_pdf_whose_file_is_gone_is_forgotten_audited_and_printed_again(
    client, receptionist, patient_a, screened
):
    consent = _sign(receptionist, patient_a)
    client.force_login(receptionist)
    url = reverse("care:consent_pdf", args=[consent.pk])
    assert client.get(url).status_code == 200  # the first download prints it
    consent.refresh_from_db()
    lost = consent.pdf.name
    consent.pdf.storage.delete(lost)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    consent.refresh_from_db()
    assert consent.pdf.name not in ("", lost)
    forgotten = AuditEvent.objects.get(
        action="update", object_type="care.consent", detail__pdf_missing=True
    )
    assert forgotten.actor == receptionist and forgotten.interface == "web"
    assert forgotten.changed_fields == ["pdf", "pdf_sha256", "updated_at"]


def test_forgetting_a_missing_pdf_keeps_a_copy_printed_meanwhile(receptionist, patient_a, screened):
    consent = _sign(receptionist, patient_a)
    Consent.objects.filter(pk=consent.pk).update(pdf="consents/lost.pdf", pdf_sha256="a" * 64)
    consent.refresh_from_db()
    seen = Consent.objects.get(pk=consent.pk)
    # Another request already forgot the lost file and printed a new copy.
    Consent.objects.filter(pk=consent.pk).update(pdf="consents/new.pdf", pdf_sha256="b" * 64)
    kept = consents.forget_missing_pdf(acting_user=receptionist, via=Interface.WEB, consent=seen)
    assert kept.pdf.name == "consents/new.pdf" and kept.pdf_sha256 == "b" * 64
    assert not AuditEvent.objects.filter(detail__pdf_missing=True).exists()

    forgotten = consents.forget_missing_pdf(
        acting_user=receptionist, via=Interface.WEB, consent=kept
    )
    assert forgotten.pdf.name == "" and forgotten.pdf_sha256 == ""
    consent.refresh_from_db()
    assert consent.pdf.name == "" and consent.pdf_sha256 == ""
    event = AuditEvent.objects.get(detail__pdf_missing=True)
    assert event.object_id == str(consent.pk) and event.actor == receptionist


def test_forgetting_a_pdf_is_refused_to_another_clinic(receptionist, outsider, patient_a, screened):
    consent = _sign(receptionist, patient_a)
    Consent.objects.filter(pk=consent.pk).update(pdf="consents/lost.pdf", pdf_sha256="a" * 64)
    consent.refresh_from_db()
    with pytest.raises(PermissionDenied):
        consents.forget_missing_pdf(acting_user=outsider, via=Interface.WEB, consent=consent)
    consent.refresh_from_db()
    assert consent.pdf.name == "consents/lost.pdf"
    assert not AuditEvent.objects.filter(detail__pdf_missing=True).exists()


def test_no_consent_without_a_screening_or_a_plan_or_after_a_contraindication(
    client, receptionist, practitioner_user, patient_a, consult, consent_texts
):
    with pytest.raises(ValidationError) as refused:
        _sign(receptionist, patient_a)
    assert "Record a consultation first" in str(refused.value)
    consult(practitioner_user, patient_a)
    with pytest.raises(ValidationError) as refused:
        _sign(receptionist, patient_a)
    assert "Plan the course first" in str(refused.value)
    client.force_login(receptionist)
    page = client.get(reverse("care:consent_new", args=[patient_a.pk]))
    assert "Plan the course first" in page.text and "Sign consent" not in page.text
    consult(practitioner_user, patient_a, pregnant=True)
    with pytest.raises(ValidationError) as refused:
        _sign(receptionist, patient_a)
    assert "contraindication" in str(refused.value)
    assert not Consent.objects.exists()


def _publish(body_en, body_ur, version=3):
    return ConsentText.objects.create(
        procedure="mesotherapy_face",
        version=version,
        title_en="v3",
        title_ur="v3",
        body_en=body_en,
        body_ur=body_ur,
        photo_en="v3",
        photo_ur="v3",
        published_at=timezone.now(),
    )


def test_a_consent_is_signed_on_the_current_text_only(receptionist, patient_a, screened):
    old = selectors.current_consent_text("mesotherapy_face")
    _publish("{products} {sessions} {interval_days}", "{products} {sessions} {interval_days}")
    with pytest.raises(ValidationError) as refused:
        _sign(receptionist, patient_a, text=old)
    assert "text" in refused.value.message_dict


def test_a_text_that_does_not_name_the_plan_cannot_be_signed_or_published(
    client, receptionist, patient_a, screened
):
    text = _publish("{products} {sessions} {interval_days}", "{products} {sessions}")
    with pytest.raises(ValidationError) as refused:
        _sign(receptionist, patient_a, text=text)
    assert "does not name the plan" in " ".join(refused.value.message_dict["text"])
    client.force_login(receptionist)
    page = client.get(reverse("care:consent_new", args=[patient_a.pk]))
    assert "does not name the plan" in page.text and "Sign consent" not in page.text
    with pytest.raises(ValidationError, match="interval_days"):
        text.full_clean()
    assert not Consent.objects.exists()


def test_changed_screening_facts_invalidate_the_consent_and_unchanged_ones_do_not(
    client, receptionist, practitioner_user, patient_a, screened, consult
):
    consent = _sign(receptionist, patient_a)
    consult(practitioner_user, patient_a)  # the same facts asked again
    consent.refresh_from_db()
    assert consent.is_valid
    consult(practitioner_user, patient_a, medications=["antiplatelet"])
    consent.refresh_from_db()
    assert not consent.is_valid
    assert "Screening facts changed" in consent.invalidated_reason
    client.force_login(receptionist)
    assert "no longer valid" in client.get(reverse("care:consent", args=[consent.pk])).text


def test_another_clinics_consent_and_its_pdf_are_not_found(
    client, receptionist, make_practitioner, clinic_b, patient_b, consult, consent_texts, plan
):
    other_practitioner = make_practitioner("prac_b", clinic_b).user
    consult(other_practitioner, patient_b)
    plan(other_practitioner, patient_b)
    consent = _sign(other_practitioner, patient_b)
    client.force_login(receptionist)
    assert client.get(reverse("care:consent", args=[consent.pk])).status_code == 404
    assert client.get(reverse("care:consent_pdf", args=[consent.pk])).status_code == 404
    assert client.get(reverse("care:consent_new", args=[patient_b.pk])).status_code == 404


def test_administrators_read_but_do_not_witness(client, administrator, patient_a, screened):
    client.force_login(administrator)
    page = client.get(reverse("care:consent_new", args=[patient_a.pk]))
    assert page.status_code == 200
    assert "witnessed by a member of the clinic" in page.text
    assert _post(client, patient_a).status_code == 403


def test_a_consent_is_refused_when_a_newer_screening_was_recorded_meanwhile(
    client, receptionist, practitioner_user, patient_a, screened, consult
):
    client.force_login(receptionist)
    shown = screened.pk
    consult(practitioner_user, patient_a)  # recorded while the patient was reading
    response = _post(client, patient_a, consultation=shown)
    assert response.status_code == 400
    assert "A newer consultation was recorded" in response.text
    assert not Consent.objects.exists()


def test_a_double_submit_leaves_one_consent(client, receptionist, patient_a, screened):
    client.force_login(receptionist)
    assert _post(client, patient_a).status_code == 302
    again = _post(client, patient_a)
    assert again.status_code == 400
    assert "already signed" in again.text
    assert Consent.objects.count() == 1


def test_a_minor_is_signed_for_by_a_parent_or_guardian(
    client, receptionist, practitioner_user, make_patient, clinic_a, consult, consent_texts, plan
):
    from datetime import date

    minor = make_patient(
        clinic_a, first_name="Hira", date_of_birth=date(date.today().year - 16, 1, 1)
    )
    consult(practitioner_user, minor)
    plan(practitioner_user, minor)
    client.force_login(receptionist)
    refused = _post(client, minor)
    assert refused.status_code == 400
    assert "under 18" in " ".join(refused.context["form"].errors["signer_relation"])
    assert _post(client, minor, signer_relation="mother").status_code == 302
    assert Consent.objects.get().signer_relation == "mother"


def test_a_positive_patch_test_ends_standing_consents_until_screened_again(
    client, receptionist, practitioner_user, patient_a, screened, lot_a, consult
):

    from mesoclinic.care.services import patch_tests

    consent = _sign(receptionist, patient_a)
    test = patch_test_applied_hours_ago(practitioner_user, patient_a, [lot_a], 30)
    patch_tests.read_patch_test(
        acting_user=practitioner_user,
        via=Interface.WEB,
        patch_test=test,
        result="positive",
        reaction="Redness and wheal",
    )
    consent.refresh_from_db()
    assert not consent.is_valid and "Positive patch test" in consent.invalidated_reason
    client.force_login(practitioner_user)
    page = client.get(reverse("patients:detail", args=[patient_a.pk]))
    assert 'id="screening-outdated"' in page.text
    with pytest.raises(ValidationError) as refused:
        _sign(receptionist, patient_a)
    assert "record a new consultation first" in str(refused.value)
    consult(practitioner_user, patient_a)  # screened again, now knowing the allergy
    assert _sign(receptionist, patient_a).is_valid


def test_a_contraindicated_screening_ends_the_consent_even_on_the_same_facts(
    receptionist, practitioner_user, patient_a, consult, consent_texts, plan
):
    from mesoclinic.formulary.models import Ingredient

    consult(practitioner_user, patient_a, new_allergies=[Ingredient.objects.get(code="biotin")])
    plan(practitioner_user, patient_a)
    consent = _sign(receptionist, patient_a)
    later = consult(practitioner_user, patient_a, planned_ingredients=["biotin"])
    assert later.decision == "contraindicated"
    consent.refresh_from_db()
    assert not consent.is_valid


def test_no_published_text_for_the_procedure_is_said_plainly(
    client, receptionist, patient_a, screened
):
    ConsentText.objects.update(published_at=None)
    client.force_login(receptionist)
    page = client.get(reverse("care:consent_new", args=[patient_a.pk]))
    assert "No consent text is published for this procedure." in page.text


def test_a_consent_pdf_whose_file_is_gone_is_printed_again(
    client, receptionist, patient_a, screened
):
    from mesoclinic.care.storage import private_storage

    consent = consents.store_pdf(_sign(receptionist, patient_a))
    private_storage().delete(consent.pdf.name)
    client.force_login(receptionist)
    response = client.get(reverse("care:consent_pdf", args=[consent.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_a_printer_that_fails_in_the_worker_leaves_the_consent_and_no_patient_text(
    client, receptionist, patient_a, screened, settings, run_task_worker, caplog
):
    settings.CHROMIUM_PATH = "/nonexistent/chromium"
    client.force_login(receptionist)
    assert _post(client, patient_a).status_code == 302

    run_task_worker()

    failed = DBTaskResult.objects.get()
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path.endswith("consents.ConsentNotPrinted")
    assert "Ayesha" not in failed.traceback and "Ayesha" not in caplog.text
    consent = Consent.objects.get()
    assert consent.is_valid and not consent.pdf
    assert "PDF not printed" in caplog.text


def test_a_printer_that_cannot_print_answers_503_and_the_consent_stands(
    client, receptionist, patient_a, screened, settings
):
    consent = _sign(receptionist, patient_a)
    settings.CHROMIUM_PATH = "/nonexistent/chromium"
    client.force_login(receptionist)
    response = client.get(reverse("care:consent_pdf", args=[consent.pk]))
    assert response.status_code == 503
    assert "could not be printed" in response.text
    consent.refresh_from_db()
    assert consent.is_valid and not consent.pdf


def test_a_pdf_that_will_not_decrypt_answers_503_and_is_never_printed_over(
    client, receptionist, patient_a, screened, settings
):
    # A key missing from MESOCLINIC_FILES_KEYS (or a file altered on disk): the signed copy
    # stays as it is, and the page says the PDF is unavailable rather than failing.
    from cryptography.fernet import Fernet

    consent = _sign(receptionist, patient_a)
    client.force_login(receptionist)
    url = reverse("care:consent_pdf", args=[consent.pk])
    assert client.get(url).status_code == 200
    consent.refresh_from_db()
    stored = consent.pdf.name
    settings.FILES_KEYS = [Fernet.generate_key().decode()]

    response = client.get(url)

    assert response.status_code == 503
    consent.refresh_from_db()
    assert consent.pdf.name == stored
