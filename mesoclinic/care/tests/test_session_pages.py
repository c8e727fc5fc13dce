"""The plan, charting, aftercare and chart pages: what a practitioner sees and can do."""

import re
import shutil
import subprocess
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from mesoclinic.audit.services import Interface
from mesoclinic.care.models import Consent, Course, SessionProduct, TreatmentSession
from mesoclinic.conftest import ARTIFACTS
from mesoclinic.formulary.models import StockMovement
from mesoclinic.formulary.services import record_movement

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(make_ready, patient_a):
    return make_ready(patient_a)


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _session_post(lot, **changes):
    now = timezone.now()
    data = {
        "pregnant_today": "no",
        "breastfeeding_today": "no",
        "points": "40",
        "technique": "papules",
        "depth": "Intradermal",
        "needle": "30G × 4 mm",
        "started_at": _local(now),
        "ended_at": _local(now),
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "8",
        "lines-0-lot": str(lot.pk),
        "lines-0-volume": "2",
        "lines-0-zones": ["cheek_left", "cheek_right"],
    }
    data.update(changes)
    return data


def test_a_practitioner_plans_a_course_from_the_approved_protocol(
    client, dermatologist, patient_a, consult, melasma_version
):
    consult(dermatologist.user, patient_a)
    client.force_login(dermatologist.user)
    url = reverse("care:course_new", args=[patient_a.pk])
    page = client.get(url)
    assert "Melasma: intradermal tranexamic acid" in page.text
    component = melasma_version.components.get()
    response = client.post(
        url,
        {
            "version": melasma_version.pk,
            "sessions": "6",
            "interval_days": "14",
            "maintenance_days": "90",
            "start_date": timezone.localdate().isoformat(),
            f"volume_{component.pk}": "2",
        },
    )
    plan = Course.objects.get()
    assert response.status_code == 302 and response.url == reverse("care:course", args=[plan.pk])
    detail = client.get(response.url)
    assert "Chart the next session" in detail.text
    assert detail.text.count("<tr>") == 1 + 6  # header + one row per planned session


def test_the_charting_page_says_first_what_the_gate_already_refuses(
    client, dermatologist, ready, lot_a
):
    Consent.objects.update(invalidated_at=timezone.now(), invalidated_reason="withdrawn")
    client.force_login(dermatologist.user)
    page = client.get(reverse("care:session_new", args=[ready.pk]))
    assert 'id="gate-known"' in page.text
    assert "No valid consent for this procedure" in page.text


def test_a_session_is_charted_from_the_page_and_its_aftercare_is_bilingual(
    client, dermatologist, ready, lot_a
):
    client.force_login(dermatologist.user)
    page = client.get(reverse("care:session_new", args=[ready.pk]))
    assert 'id="gate-known"' not in page.text
    response = client.post(reverse("care:session_new", args=[ready.pk]), _session_post(lot_a))
    session = TreatmentSession.objects.get()
    assert response.status_code == 302
    detail = client.get(response.url)
    assert "TXA-A1" in detail.text and "Left cheek" in detail.text
    aftercare = client.get(reverse("care:aftercare", args=[session.pk]))
    assert "After your mesotherapy session" in aftercare.text
    assert "میسوتھراپی سیشن کے بعد" in aftercare.text


def test_a_refused_session_names_every_failure_and_draws_nothing(
    client, dermatologist, ready, lot_a
):
    Consent.objects.update(invalidated_at=timezone.now(), invalidated_reason="withdrawn")
    client.force_login(dermatologist.user)
    response = client.post(
        reverse("care:session_new", args=[ready.pk]), _session_post(lot_a, pregnant_today="yes")
    )
    assert response.status_code == 400
    assert 'id="gate-refused"' in response.text
    assert "No valid consent for this procedure" in response.text
    assert "Contraindicated today: pregnancy." in response.text
    assert not TreatmentSession.objects.exists()
    assert not StockMovement.objects.filter(kind="used").exists()


def test_bad_values_on_the_page_are_field_errors(client, dermatologist, ready, lot_a):
    client.force_login(dermatologist.user)
    response = client.post(
        reverse("care:session_new", args=[ready.pk]),
        _session_post(lot_a, **{"lines-0-volume": "-1", "pregnant_today": ""}),
    )
    assert response.status_code == 400
    assert "volume" in response.context["formset"].forms[0].errors
    assert "pregnant_today" in response.context["form"].errors
    assert not TreatmentSession.objects.exists()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_aftercare_pdf_reads_back_its_urdu(client, dermatologist, ready, lot_a):
    client.force_login(dermatologist.user)
    client.post(reverse("care:session_new", args=[ready.pk]), _session_post(lot_a))
    session = TreatmentSession.objects.get()
    response = client.get(reverse("care:aftercare_pdf", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    folder = ARTIFACTS / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "aftercare.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    marks = re.compile(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]")
    text_ur = session.aftercare.title_ur
    assert marks.sub("", text_ur) in marks.sub("", text)  # the title reads back whole
    # Every Urdu letter of the instructions is in the text layer. (Across wrapped Nastaliq
    # lines poppler's reading order mixes line fragments, so whole sentences are not compared.)
    wanted = Counter(c for c in session.aftercare.body_ur if "\u0600" <= c <= "\u06ff")
    found = Counter(c for c in text if "\u0600" <= c <= "\u06ff")
    assert not wanted - found
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            str(path),
            str(folder / "aftercare"),
        ],
        check=True,
    )


def _many_sessions(plan, lot, user, count):
    now = timezone.now()
    for number in range(1, count + 1):
        movement = record_movement(
            acting_user=user,
            via=Interface.CLI,
            lot=lot,
            kind="used",
            quantity=Decimal("0.1"),
            patient=plan.patient,
        )
        session = TreatmentSession.objects.create(
            course=plan,
            number=number,
            patient=plan.patient,
            clinic=plan.clinic,
            practitioner=user.practitioner,
            started_at=now - timedelta(days=number),
            ended_at=now - timedelta(days=number) + timedelta(minutes=20),
            technique="papules",
            depth="Intradermal",
            needle="30G",
            points=30,
            pregnant_today=False,
            breastfeeding_today=False,
            gate={"passed": []},
            recorded_by=user,
        )
        SessionProduct.objects.create(
            session=session, lot=lot, volume=Decimal("0.1"), zones=["chin"], movement=movement
        )


def test_the_chart_costs_the_same_queries_for_one_session_and_fifty(
    client, dermatologist, ready, make_lot, clinic_a, txa, django_assert_num_queries
):
    lot = make_lot(clinic_a, txa, "TXA-MANY", "20")
    client.force_login(dermatologist.user)
    url = reverse("care:chart", args=[ready.patient_id])
    _many_sessions(ready, lot, dermatologist.user, 1)
    client.get(url)
    # session, user, groups, patient, audit; consultations, patch tests (+ items), consents,
    # courses (+ components), sessions (+ products)
    with django_assert_num_queries(13):
        one = client.get(url)
    TreatmentSession.objects.all().delete()  # and their products; the ledger lines stay
    _many_sessions(ready, lot, dermatologist.user, 50)
    with django_assert_num_queries(13):
        fifty = client.get(url)
    assert one.text.count('data-kind="session"') == 1
    assert fifty.text.count('data-kind="session"') == 50


@pytest.mark.parametrize(
    "procedure", ["mesotherapy_face", "mesotherapy_scalp", "injection_lipolysis"]
)
def test_each_map_draws_exactly_the_zones_of_its_procedure(procedure):
    from django.template.loader import render_to_string

    from mesoclinic.care import labels, zones

    html = render_to_string(
        "care/maps/_map.html", {"procedure": procedure, "zone_labels": labels.ZONES}
    )
    drawn = set(re.findall(r'data-zone="([a-z_]+)"', html))
    assert drawn == set(zones.MAPS[procedure])


def test_a_paused_course_refuses_sessions_until_resumed(client, dermatologist, ready, lot_a):
    client.force_login(dermatologist.user)
    status_url = reverse("care:course_status", args=[ready.pk])
    client.post(status_url, {"status": "paused", "reason": ""})
    ready.refresh_from_db()
    assert ready.status == "active"  # a pause needs a reason
    client.post(status_url, {"status": "paused", "reason": "Travelling for a month"})
    ready.refresh_from_db()
    assert (ready.status, ready.status_reason) == ("paused", "Travelling for a month")
    refused = client.post(reverse("care:session_new", args=[ready.pk]), _session_post(lot_a))
    assert refused.status_code == 400 and "The course is not active." in refused.text
    client.post(status_url, {"status": "active"})
    assert (
        client.post(reverse("care:session_new", args=[ready.pk]), _session_post(lot_a)).status_code
        == 302
    )
