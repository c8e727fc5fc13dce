"""A clinic's outbox and delivery log (staff of that clinic; masked addresses, the reason a
message failed, a status filter, keyset pages in fixed queries), a manager's resend of a failed
message (audited; others 403, an outsider 404), and a patient's messages on their page."""

import pytest
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.notifications.models import Message
from mesoclinic.patients.tests.message_fixtures import queue

pytestmark = pytest.mark.django_db


def log_url(clinic, **query):
    url = reverse("clinics:messages", args=[clinic.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def resend_url(clinic, message):
    return reverse("clinics:message_resend", args=[clinic.slug, message.pk])


def test_it_shows_the_clinics_messages_with_masked_addresses_and_reasons(
    client, receptionist, outbox, clinic_a, patient_a
):
    client.force_login(receptionist)
    page = client.get(log_url(clinic_a)).text

    for name in ("sent", "failed", "queued"):
        assert f'id="message-{outbox[name].pk}"' in page
    assert f'id="message-{outbox["other_clinic"].pk}"' not in page
    assert patient_a.mobile not in page and patient_a.mobile[-4:] in page
    assert "*" * (len(patient_a.mobile) - 4) in page
    assert "http_503: service unavailable" in page  # why it failed
    assert "Aftercare" in page and "SMS" in page.upper()
    assert "SECRET-LINK" not in page  # never the values a message was written from
    event = AuditEvent.objects.get(object_type="notifications.message", action="list")
    assert (event.actor, event.clinic_id, event.detail) == (
        receptionist,
        clinic_a.pk,
        {"results": 3, "status": "all"},
    )


def test_it_filters_the_log_by_status(client, receptionist, outbox, clinic_a):
    client.force_login(receptionist)
    page = client.get(log_url(clinic_a, status="failed")).text
    assert f'id="message-{outbox["failed"].pk}"' in page
    assert f'id="message-{outbox["sent"].pk}"' not in page
    # an unknown status shows everything rather than an error
    assert client.get(log_url(clinic_a, status="bogus")).text.count('id="message-') == 3


def test_the_clinic_page_links_to_its_messages(client, receptionist, clinic_a):
    client.force_login(receptionist)
    page = client.get(reverse("clinics:detail", args=[clinic_a.slug])).text
    assert log_url(clinic_a) in page


def test_an_outsider_gets_404_for_another_clinics_log(client, outsider, outbox, clinic_a):
    client.force_login(outsider)
    assert client.get(log_url(clinic_a)).status_code == 404


def test_the_log_pages_back_in_fixed_queries(
    client, receptionist, clinic_a, settings, django_assert_num_queries
):
    for _ in range(3):
        queue(clinic_a)
    client.force_login(receptionist)
    # session, user, groups, the clinic, one page of messages, the audit insert
    with django_assert_num_queries(7):  # +1: the session's second factor
        client.get(log_url(clinic_a))
    for _ in range(30):
        queue(clinic_a)
    with django_assert_num_queries(7):  # +1: the session's second factor
        first = client.get(log_url(clinic_a))
    newest = Message.objects.order_by("-id")
    assert first.text.count('id="message-') == 25
    cursor = newest[24].pk
    assert f"before={cursor}" in first.text
    older = client.get(log_url(clinic_a, before=cursor)).text
    assert older.count('id="message-') == 8 and ">Older</a>" not in older
    assert client.get(log_url(clinic_a, before="nonsense")).status_code == 200


def test_a_manager_sends_a_failed_message_again_and_it_is_audited(
    client, manager, outbox, clinic_a
):
    client.force_login(manager)
    failed = outbox["failed"]

    response = client.post(resend_url(clinic_a, failed), {"status": "failed"})

    assert response.status_code == 302
    assert response["Location"] == log_url(clinic_a, status="failed")
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("queued", 0, "")
    event = AuditEvent.objects.get(object_type="notifications.message", action="update")
    assert event.actor == manager and event.detail["failed_for"] == "http_503"
    page = client.get(response["Location"]).text
    assert "queued to be sent again" in page


def test_only_managers_see_the_button(client, receptionist, manager, outbox, clinic_a):
    client.force_login(receptionist)
    assert "Send again</button>" not in client.get(log_url(clinic_a)).text
    client.force_login(manager)
    assert client.get(log_url(clinic_a)).text.count("Send again</button>") == 1


@pytest.mark.parametrize("who", ["receptionist", "practitioner_user"])
def test_other_staff_of_the_clinic_get_403_for_a_resend(client, request, who, outbox, clinic_a):
    client.force_login(request.getfixturevalue(who))
    response = client.post(resend_url(clinic_a, outbox["failed"]))
    assert response.status_code == 403
    assert Message.objects.get(pk=outbox["failed"].pk).status == "failed"


def test_an_outsider_gets_404_for_a_resend(client, make_user, outbox, clinic_a, clinic_b):
    manager_b = make_user("manager_b", "clinic_manager", [clinic_b])
    client.force_login(manager_b)
    assert client.post(resend_url(clinic_a, outbox["failed"])).status_code == 404
    # nor through their own clinic's address
    assert client.post(resend_url(clinic_b, outbox["failed"])).status_code == 404
    assert Message.objects.get(pk=outbox["failed"].pk).status == "failed"
    assert AuditEvent.objects.filter(action="denied", object_type="notifications.message")


def test_the_administrator_may_resend_at_any_clinic(client, administrator, outbox, clinic_a):
    client.force_login(administrator)
    assert client.post(resend_url(clinic_a, outbox["failed"])).status_code == 302
    assert Message.objects.get(pk=outbox["failed"].pk).status == "queued"


def test_a_resend_of_a_message_that_did_not_fail_is_refused_with_a_reason(
    client, manager, outbox, clinic_a
):
    client.force_login(manager)
    response = client.post(resend_url(clinic_a, outbox["sent"]), follow=True)
    assert "Only a failed message can be sent again." in response.text
    assert Message.objects.get(pk=outbox["sent"].pk).status == "sent"


def test_a_resend_is_a_post(client, manager, outbox, clinic_a):
    client.force_login(manager)
    assert client.get(resend_url(clinic_a, outbox["failed"])).status_code == 405


def test_the_patient_page_shows_the_messages_they_were_sent(
    client, receptionist, outbox, patient_a, clinic_a
):
    client.force_login(receptionist)
    page = client.get(reverse("patients:detail", args=[patient_a.pk])).text
    assert 'id="patient-messages"' in page
    for name in ("sent", "failed", "queued"):
        assert f'id="message-{outbox[name].pk}"' in page
    assert f'id="message-{outbox["other_clinic"].pk}"' not in page
    assert patient_a.mobile not in page.split('id="patient-messages"')[1]


def test_the_patient_page_lists_only_what_the_users_clinics_sent(
    client, receptionist, outbox, patient_a, clinic_b
):
    # clinic B writes to clinic A's patient (a course there): clinic A's staff do not see it
    elsewhere = queue(clinic_b, patient_a)
    client.force_login(receptionist)
    page = client.get(reverse("patients:detail", args=[patient_a.pk])).text
    assert f'id="message-{elsewhere.pk}"' not in page


def test_a_patients_messages_page_in_keyset_pages_and_404_outside(
    client, receptionist, outsider, patient_a, clinic_a, settings, django_assert_num_queries
):
    for _ in range(12):
        queue(clinic_a, patient_a)
    client.force_login(receptionist)
    with django_assert_num_queries(9):  # as with none (test_patient_page); +1 second factor
        detail = client.get(reverse("patients:detail", args=[patient_a.pk])).text
    assert detail.count('id="message-') == 10 and "Older messages" in detail
    url = reverse("patients:messages", args=[patient_a.pk])
    assert client.get(url).text.count('id="message-') == 12
    client.force_login(outsider)
    assert client.get(url).status_code == 404
