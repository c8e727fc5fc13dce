"""The day and week views: who sees them, what they show (in Karachi time), and that they read
the book in a constant number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mesoclinic.appointments.models import WorkingHours
from mesoclinic.appointments.tests.fixtures import open_every_day
from mesoclinic.appointments.tests.pages import book, day_url, week_url
from mesoclinic.clinics.models import OpeningHours
from mesoclinic.patients.models import Enquiry

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["receptionist", "practitioner_user", "manager"])
def staff(request):
    return request.getfixturevalue(request.param)


def test_it_shows_the_day_to_every_clinic_role(client, ready, staff, receptionist):
    book(ready, receptionist, hour=10)
    client.force_login(staff)

    response = client.get(day_url(ready))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Zainab Qureshi" in html
    assert "Consultation" in html
    assert "10:00–10:30" in html
    assert "Booked" in html


def test_it_shows_the_week_to_every_clinic_role(client, ready, staff, receptionist):
    book(ready, receptionist, hour=11)
    client.force_login(staff)

    response = client.get(week_url(ready))

    assert response.status_code == 200
    assert "11:00–11:30" in response.content.decode()


@pytest.mark.parametrize("url", [day_url, week_url])
def test_it_answers_404_for_a_clinic_outside_the_users_scope(client, ready, outsider, url):
    client.force_login(outsider)

    assert client.get(url(ready)).status_code == 404


@pytest.mark.parametrize("url", [day_url, week_url])
def test_it_answers_403_to_a_role_without_the_schedule(client, ready, make_user, url):
    patient_user = make_user("portal_user", "patient", [ready.clinic])
    client.force_login(patient_user)

    assert client.get(url(ready)).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(client, ready):
    response = client.get(day_url(ready))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_shows_an_appointment_on_its_karachi_day_across_a_utc_date_change(
    client, ready, receptionist
):
    """03:00 Karachi is 22:00 UTC the evening before: it belongs to the Karachi day."""
    OpeningHours.objects.filter(clinic=ready.clinic).update(opens="02:00")
    WorkingHours.objects.filter(practitioner=ready.doctor).update(starts="02:00")
    appointment = book(ready, receptionist, hour=3)
    assert appointment.starts_at.astimezone(timezone.UTC).date() == ready.day - timedelta(days=1)
    client.force_login(receptionist)

    on_the_day = client.get(day_url(ready)).content.decode()
    day_before = client.get(day_url(ready, ready.day - timedelta(days=1))).content.decode()

    assert "03:00–03:30" in on_the_day
    assert f'data-appointment="{appointment.pk}"' in on_the_day
    assert f'data-appointment="{appointment.pk}"' not in day_before


def test_it_names_the_visitor_of_an_enquiry_booking(client, ready, receptionist):
    enquiry = Enquiry.objects.create(
        clinic=ready.clinic, name="Sana Visitor", mobile="+923001112223", preferred_language="en"
    )
    book(ready, receptionist, hour=12, patient=None, enquiry=enquiry)
    client.force_login(receptionist)

    html = client.get(day_url(ready)).content.decode()

    assert "visitor: Sana Visitor" in html


def test_it_filters_by_practitioner_and_by_room(
    client, ready, receptionist, make_practitioner, make_patient
):
    other = make_practitioner("derm_two", ready.clinic)
    open_every_day(ready.clinic, [other])
    book(ready, receptionist, hour=10, practitioner=ready.doctor)
    second = make_patient(ready.clinic, first_name="Other", last_name="Person")
    book(ready, receptionist, hour=10, practitioner=other, patient=second)
    client.force_login(receptionist)

    mine = client.get(day_url(ready), {"practitioner": other.pk}).content.decode()
    in_room = client.get(day_url(ready), {"room": ready.room.pk}).content.decode()

    assert "Other Person" in mine and "Zainab Qureshi" not in mine
    # Consultations take no room: filtering by the room leaves them out.
    assert "Zainab Qureshi" not in in_room


def test_it_links_to_the_previous_next_day_and_today(client, ready, receptionist):
    client.force_login(receptionist)

    html = client.get(day_url(ready)).content.decode()

    assert day_url(ready, ready.day - timedelta(days=1)) in html
    assert day_url(ready, ready.day + timedelta(days=1)) in html
    assert day_url(ready, timezone.localdate()) in html


def test_it_redirects_the_clinic_root_to_today(client, ready, receptionist):
    client.force_login(receptionist)

    response = client.get(f"/appointments/{ready.clinic.slug}/")

    assert response["Location"] == day_url(ready, timezone.localdate())


def test_it_answers_404_for_an_impossible_date(client, ready, receptionist):
    client.force_login(receptionist)

    assert client.get(f"/appointments/{ready.clinic.slug}/day/2026-02-30/").status_code == 404


#: The day and week views' queries, whatever the number of appointments: the session, the
#: user, the session's second factor, the user's roles, the clinic (scoped), its
#: practitioners, its rooms, the book
#: (`selectors.book_between`, one query with type, patient, enquiry, practitioner and room),
#: and the audit row of the listing.
BOOK_QUERIES = 9


@pytest.mark.parametrize("url", [day_url, week_url])
def test_it_reads_the_book_in_a_constant_number_of_queries(
    client, ready, receptionist, make_patient, django_assert_num_queries, url
):
    client.force_login(receptionist)
    book(ready, receptionist, hour=9)
    with django_assert_num_queries(BOOK_QUERIES):
        client.get(url(ready))
    for hour in (10, 11, 12, 13, 14):
        book(ready, receptionist, hour=hour, patient=make_patient(ready.clinic))

    with django_assert_num_queries(BOOK_QUERIES):
        response = client.get(url(ready))

    assert response.content.decode().count("data-appointment=") >= 6


# Not named "page": that is Playwright's fixture, and borrowing its name would pull every
# browser test (which flushes the database) in among the tests that read migrated data.
@pytest.mark.parametrize("url_name", ["dashboard", "clinics:detail"])
def test_it_is_linked_from_the_dashboard_and_the_clinic_page(client, ready, receptionist, url_name):
    client.force_login(receptionist)
    args = [ready.clinic.slug] if url_name == "clinics:detail" else []

    html = client.get(reverse(url_name, args=args)).content.decode()

    assert f'href="/appointments/{ready.clinic.slug}/"' in html


def test_it_puts_a_karachi_early_morning_in_its_own_week_day(client, ready, receptionist):
    OpeningHours.objects.filter(clinic=ready.clinic).update(opens="02:00")
    WorkingHours.objects.filter(practitioner=ready.doctor).update(starts="02:00")
    appointment = book(ready, receptionist, hour=2, minute=30)
    client.force_login(receptionist)

    response = client.get(week_url(ready))

    (day,) = [d for d in response.context["days"] if d["cards"]]
    assert day["day"] == ready.day
    assert day["cards"][0]["appointment"] == appointment


def test_it_speaks_urdu(client, ready, receptionist):
    client.force_login(receptionist)
    client.post("/i18n/setlang/", {"language": "ur", "next": "/"})

    html = client.get(day_url(ready)).content.decode()

    assert "پچھلا دن" in html  # Previous day
    assert "وقت طے کریں" in html  # Book an appointment
