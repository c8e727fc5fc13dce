"""Server errors reach the administrators (ADMINS) by e-mail (errors.py), with the stack only:
no query string, no form data, no local values, no exception text."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import path

from mesoclinic.conftest import PASSWORD
from mesoclinic.urls import urlpatterns as site_urls

pytestmark = pytest.mark.django_db

CNIC = "35202-1234567-8"


def broken_view(request):
    patient_name = request.POST.get("first_name", "")  # a local holding personal data
    raise ValueError(f"Key (cnic)=({CNIC}) already exists for {patient_name}")


urlpatterns = [
    path("broken/", broken_view),
    path("feeds/<str:token>.ics", broken_view),
    *site_urls,
]

FEED_KEY = "Zq3kR8vT2mN5pL9xW4yB7cD1fG6hJ0sA"


@pytest.fixture
def errors_mailed(settings):
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = ["Site Admin <ops@clinic.example.pk>"]
    return Client(raise_request_exception=False)


def test_a_server_error_mails_the_administrators_without_patient_data(errors_mailed):
    response = errors_mailed.post(
        "/broken/?q=Zainab+Qureshi", {"first_name": "Zainab", "cnic": CNIC, "password": PASSWORD}
    )

    assert response.status_code == 500
    (sent,) = mail.outbox
    assert sent.to == ["Site Admin <ops@clinic.example.pk>"]
    assert "ValueError" in sent.subject and "/broken/" in sent.subject
    assert "in broken_view" in sent.body and "POST /broken/" in sent.body
    everything = sent.subject + sent.body + "".join(str(a) for a in sent.alternatives)
    for secret in ("Zainab", "Qureshi", CNIC, "35202", "q=", PASSWORD):
        assert secret not in everything


def test_a_secret_link_in_the_path_is_not_mailed(errors_mailed):
    # A calendar feed's key or a patient's signed link works until revoked: the mail names the
    # route, not the address.
    response = errors_mailed.get(f"/feeds/{FEED_KEY}.ics")

    assert response.status_code == 500
    (sent,) = mail.outbox
    assert "/feeds/<str:token>.ics" in sent.subject
    assert FEED_KEY not in sent.subject + sent.body


def test_an_error_outside_a_request_reaches_the_administrators_too(errors_mailed):
    # A crash in the worker, the scheduler or a command logs to its own logger.
    import logging

    try:
        raise ValueError(f"cnic {CNIC}")
    except ValueError:
        logging.getLogger("mesoclinic.notifications.worker").exception("sending failed")

    (sent,) = mail.outbox
    assert "ValueError" in sent.subject
    assert CNIC not in sent.subject + sent.body and "sending failed" not in sent.body


def test_without_admins_nothing_is_sent(errors_mailed, settings):
    settings.ADMINS = []
    errors_mailed.get("/broken/")
    assert mail.outbox == []


def test_admins_come_from_the_environment(monkeypatch):
    from mesoclinic.env import env_list

    monkeypatch.setenv("ADMINS", "Ops <ops@clinic.example.pk>, dev@clinic.example.pk")
    assert env_list("ADMINS", []) == ["Ops <ops@clinic.example.pk>", "dev@clinic.example.pk"]
