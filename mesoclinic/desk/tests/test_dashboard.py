"""The staff dashboard: one card per clinic of the user's, its counts in one query, and the
clinic's worklist (care.worklist) with links for clinicians and without clinical detail for
receptionists, in the same number of queries however much is due."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mesoclinic.care.models import Consent
from mesoclinic.care.tests.worklist_fixtures import days_pass
from mesoclinic.clinics.models import Room

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_only_the_users_clinics(client, receptionist, clinic_b, patient_a):
    client.force_login(receptionist)
    response = client.get(reverse("dashboard"))
    assert "Clinic A Islamabad" in response.text
    assert "Clinic B Lahore" not in response.text


def test_the_dashboard_counts_patients_in_one_query_however_many(
    client, administrator, clinic_a, clinic_b, make_patient, django_assert_num_queries
):
    for _ in range(3):
        make_patient(clinic_a)
    make_patient(clinic_b)
    Room.objects.create(clinic=clinic_a, name="Chair A", kind="chair")
    client.force_login(administrator)
    # session, user, groups, the clinics with their three counts; then the worklist
    # (care.worklist): unread patch tests, courses waiting for consent, active courses
    # (nothing is due, so no audit row)
    with django_assert_num_queries(8):  # +1: the session's second factor
        response = client.get(reverse("dashboard"))
    counts = {
        c.slug: (c.patient_count, c.registered_today, c.rooms_count)
        for c in response.context["clinics"]
    }
    assert counts == {"clinic-a": (3, 3, 1), "clinic-b": (1, 1, 0)}


def test_the_dashboard_lists_the_worklist_with_links_for_a_practitioner(
    client, viewer, clinic_a, due_everywhere
):
    client.force_login(viewer)
    page = client.get(reverse("dashboard")).text
    tests = due_everywhere["tests"]
    for key, test in tests.items():
        assert f'data-list="{key}"' in page
        assert reverse("care:patch_test", args=[test.pk]) in page
    assert reverse("care:course", args=[due_everywhere["overdue"].pk]) in page
    assert reverse("care:course", args=[due_everywhere["this_week"].pk]) in page
    assert reverse("care:course", args=[due_everywhere["unconsented"].pk]) in page
    assert "Melasma" in page  # the course's protocol
    assert "Elsewhere" not in page


def test_a_receptionist_sees_consents_and_sessions_to_book_but_no_clinical_detail(
    client, receptionist, clinic_a, due_everywhere
):
    client.force_login(receptionist)
    page = client.get(reverse("dashboard")).text
    assert 'data-list="consents"' in page and 'data-list="overdue"' in page
    assert "Unconsented" in page and "Overdue" in page and "Weekly" in page
    assert reverse("care:consent_new", args=[due_everywhere["people"]["Unconsented"].pk]) in page
    # No patch tests, no protocol, no links to clinical records.
    for absent in ("Patch tests to read", "Melasma", "/care/patch-tests/", "/care/courses/"):
        assert absent not in page
    assert "/care/consultations/" not in page
    assert "Open Worklist" not in page
    # The sessions to book can be booked as a whole course, from the schedule.
    assert reverse("care:course_book", args=[due_everywhere["overdue"].pk]) in page


def test_the_dashboard_reads_the_worklist_in_the_same_number_of_queries_however_many(
    client,
    viewer,
    clinic_a,
    make_patient,
    apply_test,
    consult,
    dermatologist,
    make_ready,
    django_assert_num_queries,
):
    def add_one_of_each(n):
        patient = make_patient(clinic_a, first_name=f"Test{n}")
        apply_test(patient, 30)
        waiting = days_pass(make_ready(make_patient(clinic_a, first_name=f"Consent{n}")), -30)
        Consent.objects.filter(course=waiting).update(
            invalidated_at=timezone.now(), invalidated_reason="Plan changed."
        )
        make_ready(make_patient(clinic_a, first_name=f"Course{n}"))

    client.force_login(viewer)
    client.get(reverse("dashboard"))  # warm: the content types the audit row names
    add_one_of_each(1)
    # session, user, groups, the clinics with their counts, the unread patch tests, the
    # courses waiting for consent, the active courses with their charted count, the audit row
    # for the names shown
    with django_assert_num_queries(9):  # +1: the session's second factor
        one = client.get(reverse("dashboard"))
    for n in range(2, 5):
        add_one_of_each(n)
    with django_assert_num_queries(9):  # +1: the session's second factor
        four = client.get(reverse("dashboard"))
    first = one.context["clinics"][0].worklist
    last = four.context["clinics"][0].worklist
    assert (len(first.open), len(first.consents), len(first.this_week)) == (1, 1, 1)
    assert (len(last.open), len(last.consents), len(last.this_week)) == (4, 4, 4)


def test_a_receptionists_dashboard_reads_no_patch_tests(
    client, receptionist, clinic_a, due_everywhere, django_assert_num_queries
):
    client.force_login(receptionist)
    # session, user, groups, clinics, courses waiting for consent, courses, audit row
    with django_assert_num_queries(8):  # +1: the session's second factor
        client.get(reverse("dashboard"))


def test_a_dashboard_with_nothing_due_says_so(client, viewer, clinic_a):
    client.force_login(viewer)
    assert 'data-list="empty"' in client.get(reverse("dashboard")).text


def test_the_worklist_speaks_urdu_on_urdu_pages(client, viewer, clinic_a, due_everywhere):
    client.force_login(viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    page = client.get(reverse("dashboard")).text
    assert "آج کے کام" in page and "پڑھنے کے لیے پیچ ٹیسٹ" in page and "تاخیر شدہ" in page
