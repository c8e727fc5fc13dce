"""Idle staff sessions end (sessions.py): after the shortest idle time of the person's active
clinics, or STAFF_IDLE_MINUTES without one; audited; cheap (no query of its own)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

from mesoclinic.audit.models import AuditEvent
from mesoclinic.clinics.models import Clinic
from mesoclinic.security.sessions import MINUTES, SEEN
from mesoclinic.security.tests.conftest import signed_in_as

pytestmark = pytest.mark.django_db

IDLE = "mesoclinic.security.middleware.IdleTimeoutMiddleware"


def _idle(client, minutes: float) -> None:
    """Pretend the last request came `minutes` ago: move the session's stamp back."""
    session = client.session
    session[SEEN] -= int(minutes * 60)
    session.save()


def test_a_session_idle_longer_than_its_clinic_allows_ends(sign_in, client, reception_khi):
    sign_in("reception.khi")
    _idle(client, 31)

    response = client.get(reverse("patients:list"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('patients:list')}"
    assert signed_in_as(client) is None
    login = client.get(response.url)
    assert "You were signed out after 30 minutes without activity." in login.text
    (row,) = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT)
    assert row.actor == reception_khi and row.detail == {"reason": "idle", "minutes": 30}


def test_a_session_used_within_the_limit_goes_on(sign_in, client, reception_khi):
    sign_in("reception.khi")
    _idle(client, 29)

    assert client.get(reverse("patients:list")).status_code == 200
    assert signed_in_as(client) == str(reception_khi.pk)


def test_the_shortest_active_clinic_wins(sign_in, client, make_user, clinic_a, clinic_b, db):
    clinic_a.staff_idle_minutes = 60
    clinic_a.save(update_fields=["staff_idle_minutes"])
    clinic_b.staff_idle_minutes = 10
    clinic_b.save(update_fields=["staff_idle_minutes"])
    closed = Clinic.objects.create(
        name="Closed",
        slug="closed",
        city="Multan",
        address="-",
        phone="+92615550100",
        staff_idle_minutes=5,
        is_active=False,
    )
    make_user("both", "clinic_manager", [clinic_a, clinic_b, closed])
    sign_in("both")
    assert client.session[MINUTES] == 10  # the closed clinic's 5 does not count
    _idle(client, 11)

    response = client.get(reverse("dashboard"), follow=True)

    assert "You were signed out after 10 minutes without activity." in response.text


def test_an_administrator_without_a_clinic_gets_the_setting(
    sign_in, client, settings, administrator
):
    settings.STAFF_IDLE_MINUTES = 45
    sign_in("admin")
    # An administrator proves a second factor after the password (the verify page's step).
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = next(devices_for_user(administrator)).persistent_id
    session.save()
    _idle(client, 44)
    assert client.get(reverse("audit:list")).status_code == 200
    _idle(client, 46)

    assert client.get(reverse("audit:list")).status_code == 302
    assert signed_in_as(client) is None


def test_a_change_to_the_clinic_applies_within_a_minute(sign_in, client, reception_khi, clinic_a):
    sign_in("reception.khi")
    clinic_a.staff_idle_minutes = 5
    clinic_a.save(update_fields=["staff_idle_minutes"])
    _idle(client, 1)  # the next request writes the stamp and reads the clinics again
    client.get(reverse("patients:list"))
    assert client.session[MINUTES] == 5
    _idle(client, 6)

    assert client.get(reverse("patients:list")).status_code == 302


def test_the_stamp_is_written_at_most_once_a_minute(sign_in, client, reception_khi):
    sign_in("reception.khi")
    first = client.session[SEEN]
    _idle(client, 0.5)
    client.get(reverse("patients:list"))
    assert client.session[SEEN] == first - 30  # not written: under a minute

    _idle(client, 1)
    client.get(reverse("patients:list"))

    assert client.session[SEEN] >= first  # written: it was a minute and a half


def test_a_page_that_polls_by_itself_does_not_keep_the_session_alive(
    sign_in, client, reception_khi
):
    sign_in("reception.khi")
    _idle(client, 20)
    client.get(reverse("patients:list"), HTTP_X_BACKGROUND_REFRESH="1")
    _idle(client, 11)

    assert client.get(reverse("patients:list")).status_code == 302


def test_an_htmx_request_is_sent_to_the_login_page_whole(sign_in, client, reception_khi):
    sign_in("reception.khi")
    _idle(client, 31)

    response = client.get(reverse("patients:list"), HTTP_HX_REQUEST="true")

    assert response["HX-Redirect"] == reverse("login")
    assert signed_in_as(client) is None


def test_the_api_answers_an_idle_session_as_signed_out(sign_in, client, reception_khi):
    sign_in("reception.khi")
    _idle(client, 31)

    response = client.get("/api/v1/patients/")

    assert response.status_code in (401, 403)
    assert signed_in_as(client) is None


def test_it_costs_a_staff_page_no_query(client, settings, receptionist, patient_a):
    """Measured: the patient page's queries with and without the middleware are the same."""
    url = reverse("patients:detail", args=[patient_a.pk])
    client.force_login(receptionist)
    client.get(url)

    with CaptureQueriesContext(connection) as with_idle:
        client.get(url)
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != IDLE]
    with CaptureQueriesContext(connection) as without:
        client.get(url)

    assert len(with_idle) == len(without)


def test_the_once_a_minute_write_costs_a_read_and_the_session_update(
    client, receptionist, patient_a
):
    url = reverse("patients:detail", args=[patient_a.pk])
    client.force_login(receptionist)
    client.get(url)
    with CaptureQueriesContext(connection) as steady:
        client.get(url)
    _idle(client, 1)

    with CaptureQueriesContext(connection) as writing:
        client.get(url)

    # The clinics' shortest idle time, read again; the session's UPDATE in its savepoint (3).
    assert len(writing) == len(steady) + 4


def test_the_admin_edits_a_clinics_idle_minutes(client, administrator, clinic_a):
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    client.force_login(administrator)

    page = client.get(reverse("admin:clinics_clinic_change", args=[clinic_a.pk])).text

    assert 'name="staff_idle_minutes"' in page
    assert 'name="receptionists_need_second_factor"' in page
