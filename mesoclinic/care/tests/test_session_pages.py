"""The plan, charting, aftercare and chart pages: what a practitioner sees and can do."""

import re
import shutil
import subprocess
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from mesoclinic.audit.models import AuditEvent
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


def start_session_page(client, course, *, pregnant="no", breastfeeding="no"):
    """Start the session as the page does; the signed start token, or the refusal."""
    response = client.post(
        reverse("care:session_start", args=[course.pk]),
        {"pregnant_today": pregnant, "breastfeeding_today": breastfeeding},
    )
    if response.status_code != 302:
        return response
    return parse_qs(urlparse(response.url).query)["start"][0]


def session_post(lot, start, **changes):
    now = timezone.now()
    data = {
        "start": start,
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


def test_the_start_page_says_first_what_the_gate_already_refuses(
    client, dermatologist, ready, lot_a
):
    Consent.objects.update(invalidated_at=timezone.now(), invalidated_reason="withdrawn")
    client.force_login(dermatologist.user)
    page = client.get(reverse("care:session_start", args=[ready.pk]))
    assert 'id="gate-known"' in page.text
    assert "No valid consent for this course" in page.text


def test_a_session_is_started_before_the_needle_then_charted_with_bilingual_aftercare(
    client, dermatologist, ready, lot_a
):
    client.force_login(dermatologist.user)
    # The charting form is not offered before the gate has passed.
    new = reverse("care:session_new", args=[ready.pk])
    assert client.get(new).url == reverse("care:session_start", args=[ready.pk])
    page = client.get(reverse("care:session_start", args=[ready.pk]))
    assert 'id="gate-known"' not in page.text
    start = start_session_page(client, ready)
    form = client.get(new, {"start": start})
    assert 'id="gate-started"' in form.text and "Safety gate passed at" in form.text
    response = client.post(new, session_post(lot_a, start))
    session = TreatmentSession.objects.get()
    assert response.status_code == 302
    assert session.gate["start_checked_at"] is not None
    assert session.gate["facts"]["lots"][0]["lot_number"] == "TXA-A1"
    assert session.gate["facts"]["consent_valid"] is True
    detail = client.get(response.url)
    assert "TXA-A1" in detail.text and "Left cheek" in detail.text
    aftercare = client.get(reverse("care:aftercare", args=[session.pk]))
    assert "After your mesotherapy session" in aftercare.text
    assert "میسوتھراپی سیشن کے بعد" in aftercare.text


def test_a_pregnant_patient_is_refused_at_the_start_with_every_failure_and_nothing_saved(
    client, dermatologist, ready, lot_a
):
    Consent.objects.update(invalidated_at=timezone.now(), invalidated_reason="withdrawn")
    client.force_login(dermatologist.user)
    response = start_session_page(client, ready, pregnant="yes")
    assert response.status_code == 409
    assert 'id="gate-refused"' in response.text
    assert "No valid consent for this course" in response.text
    assert "pregnant, may be, or is breastfeeding today" in response.text
    # The rule's own words, not its code.
    assert "Contraindicated today: Pregnancy: mesotherapy is not given" in response.text
    assert not TreatmentSession.objects.exists()
    assert not StockMovement.objects.filter(kind="used").exists()
    checks = AuditEvent.objects.filter(object_type="care.course", detail__has_key="start_check")
    assert [event.detail["start_check"] for event in checks] == [
        ["pregnant_or_breastfeeding", "contraindicated", "consent_missing"]
    ]


def test_charting_without_a_start_of_ones_own_for_this_course_is_refused(
    client, dermatologist, ready, lot_a, make_ready, make_patient, clinic_a
):
    other = make_ready(make_patient(clinic_a, first_name="Hina", last_name="Rauf"))
    client.force_login(dermatologist.user)
    new = reverse("care:session_new", args=[ready.pk])
    others = start_session_page(client, other)
    assert isinstance(others, str)  # a real start, for another course
    for start in ("", "forged", others):
        response = client.post(new, session_post(lot_a, start))
        assert response.status_code == 400
        assert "Start the session first" in response.text
    assert not TreatmentSession.objects.exists()
    assert not StockMovement.objects.filter(kind="used").exists()


def test_bad_values_on_the_page_are_field_errors(client, dermatologist, ready, lot_a):
    client.force_login(dermatologist.user)
    start = start_session_page(client, ready)
    late = _local(timezone.now() - timedelta(days=8))
    response = client.post(
        reverse("care:session_new", args=[ready.pk]),
        session_post(lot_a, start, **{"lines-0-volume": "-1", "started_at": late}),
    )
    assert response.status_code == 400
    assert "volume" in response.context["formset"].forms[0].errors
    assert not TreatmentSession.objects.exists()
    response = client.post(
        reverse("care:session_new", args=[ready.pk]),
        session_post(lot_a, start, started_at=late),
    )
    assert response.status_code == 400
    assert "when the safety gate passed" in str(response.context["form"].errors["started_at"])
    assert not TreatmentSession.objects.exists()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_aftercare_pdf_reads_back_its_urdu(client, dermatologist, ready, lot_a):
    client.force_login(dermatologist.user)
    client.post(
        reverse("care:session_new", args=[ready.pk]),
        session_post(lot_a, start_session_page(client, ready)),
    )
    session = TreatmentSession.objects.get()
    response = client.get(reverse("care:aftercare_pdf", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    folder = ARTIFACTS / "pdf" / connection.vendor
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
    with django_assert_num_queries(14):  # +1: the session's second factor
        one = client.get(url)
    TreatmentSession.objects.all().delete()  # and their products; the ledger lines stay
    _many_sessions(ready, lot, dermatologist.user, 50)
    with django_assert_num_queries(14):  # +1: the session's second factor
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
    refused = start_session_page(client, ready)
    assert refused.status_code == 409 and "The course is not active." in refused.text
    client.post(status_url, {"status": "active"})
    start = start_session_page(client, ready)
    assert (
        client.post(
            reverse("care:session_new", args=[ready.pk]), session_post(lot_a, start)
        ).status_code
        == 302
    )


def test_a_plan_under_way_is_changed_within_the_protocol_and_the_change_audited(
    client, dermatologist, ready, lot_a, melasma_version
):
    client.force_login(dermatologist.user)
    client.post(
        reverse("care:session_new", args=[ready.pk]),
        session_post(lot_a, start_session_page(client, ready)),
    )
    url = reverse("care:course_edit", args=[ready.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'id="course-edit-form"' in page.text
    component = melasma_version.components.get()
    change = {
        "sessions": "5",
        "interval_days": "21",
        "maintenance_days": "120",
        "start_date": ready.start_date.isoformat(),
        f"volume_{component.pk}": "1.5",
    }
    # Outside the protocol, and fewer sessions than charted: field errors, nothing changed.
    refused = client.post(url, {**change, "sessions": "12", "interval_days": "3"})
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) >= {"sessions", "interval_days"}
    ready.refresh_from_db()
    assert (ready.sessions_planned, ready.interval_days) == (6, 14)
    # The first session is charted: its date stays.
    moved = client.post(
        url, {**change, "start_date": (ready.start_date + timedelta(days=1)).isoformat()}
    )
    assert "start_date" in moved.context["form"].errors
    response = client.post(url, change)
    assert response.status_code == 302, response.context["form"].errors
    ready.refresh_from_db()
    assert (ready.sessions_planned, ready.interval_days, ready.maintenance_days) == (5, 21, 120)
    assert len(ready.session_dates) == 5
    assert ready.session_dates[1] == (ready.start_date + timedelta(days=21)).isoformat()
    assert ready.components.get().volume_per_session == Decimal("1.5")
    event = AuditEvent.objects.filter(object_type="care.course", action="update").latest("id")
    assert set(event.changed_fields) == {
        "sessions_planned",
        "interval_days",
        "maintenance_days",
        "components",
    }


def test_a_finished_course_cannot_be_changed(client, dermatologist, ready):
    Course.objects.filter(pk=ready.pk).update(status="cancelled")
    client.force_login(dermatologist.user)
    response = client.post(
        reverse("care:course_edit", args=[ready.pk]),
        {
            "sessions": "6",
            "interval_days": "14",
            "maintenance_days": "90",
            "start_date": ready.start_date.isoformat(),
            f"volume_{ready.components.get().protocol_component_id}": "2",
        },
    )
    assert response.status_code == 400
    assert "cannot be changed" in response.text


def test_the_plan_form_previews_dates_and_doses_as_it_is_typed(
    client, dermatologist, melasma_version, django_assert_num_queries
):
    client.force_login(dermatologist.user)
    component = melasma_version.components.get()
    url = reverse("care:course_preview", args=[melasma_version.pk])
    plan = {
        "sessions": "4",
        "interval_days": "14",
        "maintenance_days": "90",
        "start_date": "2027-01-04",
        f"volume_{component.pk}": "2",
    }
    shown = client.post(url, plan)
    assert shown.status_code == 200
    dates = re.findall(r'<span class="nowrap">([^<]+)</span>', shown.text)
    assert dates == ["4 Jan 2027", "18 Jan 2027", "1 Feb 2027", "15 Feb 2027"]
    assert "16 May 2027" in shown.text  # 90 days after the last
    outside = client.post(url, {**plan, "interval_days": "3", f"volume_{component.pk}": "50"})
    assert "between 14 and 28 for this protocol" in outside.text
    assert 'id="course-preview-doses"' in outside.text
    assert not Course.objects.exists()
    # 1 session, 2 user, 3 the user's roles, 4 the protocol version, 5 its components.
    with django_assert_num_queries(6):  # +1: the session's second factor
        client.post(url, plan)


def test_a_start_charts_one_session_and_only_for_its_practitioner(
    client, dermatologist, make_practitioner, clinic_a, ready, lot_a
):
    client.force_login(dermatologist.user)
    new = reverse("care:session_new", args=[ready.pk])
    start = start_session_page(client, ready)
    assert client.post(new, session_post(lot_a, start)).status_code == 302
    # The same start again (a resubmitted form): refused, nothing more drawn.
    again = client.post(new, session_post(lot_a, start))
    assert again.status_code == 400 and "This start was used already" in again.text
    assert TreatmentSession.objects.count() == 1
    assert StockMovement.objects.filter(kind="used").count() == 1
    # Another practitioner of the clinic cannot chart on this one's start (the first session
    # moved a month back, so the next is not refused as a second one today).
    month_ago = timezone.now() - timedelta(days=30)
    TreatmentSession.objects.update(started_at=month_ago, ended_at=month_ago)
    fresh = start_session_page(client, ready)
    assert isinstance(fresh, str)
    colleague = make_practitioner("derm_a2", clinic_a)
    client.force_login(colleague.user)
    response = client.post(new, session_post(lot_a, fresh))
    assert response.status_code == 400 and "Start the session first" in response.text


def test_a_start_expires_after_twelve_hours(client, dermatologist, ready, lot_a):
    from unittest import mock

    from django.core import signing

    from mesoclinic.security import sessions as idle

    client.force_login(dermatologist.user)
    start = start_session_page(client, ready)
    later = signing.time.time() + 12 * 3600 + 60
    # The page is used all along, so the idle timeout (issue 20) must not end the session.
    session = client.session
    session[idle.SEEN] = int(later)
    session.save()
    with mock.patch.object(signing.time, "time", return_value=later):
        response = client.post(
            reverse("care:session_new", args=[ready.pk]), session_post(lot_a, start)
        )
    assert response.status_code == 400 and "Start the session first" in response.text
    assert not TreatmentSession.objects.exists()
