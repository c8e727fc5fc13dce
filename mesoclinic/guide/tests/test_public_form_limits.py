"""Rate limits on the public forms (guide/limits.py): the clinic page's request to be called and
the self-check. The issue's finding was "20 anonymous posts, 20 new rows"; now the 21st post
from one address is refused with 429, writes nothing, and keeps what the visitor typed."""

import re
import time

import pytest
from django.test import override_settings

from mesoclinic.audit.models import AuditEvent
from mesoclinic.guide.tests.test_self_check import ALL_NO
from mesoclinic.patients.models import Enquiry

pytestmark = pytest.mark.django_db

CLINIC = "/en/clinics/clinic-a/"
SELF_CHECK = "/en/self-check/"
ADDRESS = "203.0.113.9"


def request_data(n: int) -> dict:
    return {
        "name": "Ayesha Khan",
        "mobile": f"0300-12345{n:02d}",
        "preferred_language": "en",
        "concern": "",
        "preferred_time": "evening",
        "message": "Call after five",
        "agree": "on",
    }


@pytest.fixture(autouse=True)
def one_long_window(settings):
    """Windows are fixed (they start on multiples of their length since the epoch): a window
    of ~31 years keeps a test's posts from straddling a boundary. The window test sets its own."""
    settings.RATE_LIMIT_WINDOW_SECONDS = 10**9


@pytest.fixture
def listed(clinic_a, make_practitioner):
    make_practitioner("drsana", clinic_a, number="12345-P")
    return clinic_a


def post(client, data, address=ADDRESS, url=CLINIC):
    return client.post(url, data, REMOTE_ADDR=address)


@override_settings(RATE_LIMIT_ENQUIRIES_PER_ADDRESS=20, RATE_LIMIT_ENQUIRIES_PER_MOBILE=3)
def test_it_refuses_the_21st_request_from_one_address_and_writes_no_row(client, listed):
    for n in range(20):
        assert post(client, request_data(n)).status_code == 302
    assert Enquiry.objects.count() == 20

    refused = post(client, request_data(20))

    assert refused.status_code == 429
    assert Enquiry.objects.count() == 20
    assert 0 < int(refused["Retry-After"]) <= 10**9
    html = refused.content.decode()
    assert 'id="too-soon"' in html and "Please try again after" in html
    # In both languages, and the form as the visitor typed it.
    assert '<div lang="ur" dir="rtl">' in html
    assert 'value="0300-1234520"' in html and "Call after five" in html


@override_settings(RATE_LIMIT_ENQUIRIES_PER_ADDRESS=2)
def test_another_address_may_still_ask(client, listed):
    post(client, request_data(1))
    post(client, request_data(2))
    assert post(client, request_data(3)).status_code == 429

    assert post(client, request_data(3), address="198.51.100.7").status_code == 302
    assert Enquiry.objects.count() == 3


@override_settings(RATE_LIMIT_ENQUIRIES_PER_MOBILE=3)
def test_it_refuses_a_fourth_request_for_one_number_from_any_address(client, listed):
    for n in range(3):
        assert post(client, request_data(7), address=f"198.51.100.{n}").status_code == 302
    before = (Enquiry.objects.count(), AuditEvent.objects.count())  # one open request per number

    refused = post(client, request_data(7), address="198.51.100.99")

    assert refused.status_code == 429
    assert (Enquiry.objects.count(), AuditEvent.objects.count()) == before
    assert post(client, request_data(8), address="198.51.100.99").status_code == 302


@override_settings(RATE_LIMIT_ENQUIRIES_PER_ADDRESS=1, RATE_LIMIT_WINDOW_SECONDS=2)
def test_it_allows_the_address_again_after_the_window(client, listed):
    time.sleep(2 - time.time() % 2)  # start at the beginning of a two-second window
    assert post(client, request_data(1)).status_code == 302
    assert post(client, request_data(2)).status_code == 429
    time.sleep(2 - time.time() % 2 + 0.05)  # the next window
    assert post(client, request_data(3)).status_code == 302


@override_settings(RATE_LIMIT_ENQUIRIES_PER_ADDRESS=1)
def test_a_form_with_mistakes_is_not_counted(client, listed):
    assert post(client, {**request_data(1), "agree": ""}).status_code == 400
    assert post(client, request_data(1)).status_code == 302


@override_settings(RATE_LIMIT_SELF_CHECKS_PER_ADDRESS=2)
def test_it_refuses_the_third_self_check_from_one_address_and_keeps_the_answers(client):
    for _ in range(2):
        assert post(client, ALL_NO, url=SELF_CHECK).status_code == 200

    refused = post(client, {**ALL_NO, "pregnant": "yes"}, url=SELF_CHECK)

    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Too many self-checks" in html and "Not suitable now" not in html
    assert re.search(r'<input[^>]*name="pregnant"[^>]*value="yes"[^>]*checked', html)
    assert post(client, ALL_NO, url=SELF_CHECK, address="198.51.100.7").status_code == 200


def test_the_urdu_page_explains_in_urdu_first_then_english(client, listed):
    with override_settings(RATE_LIMIT_ENQUIRIES_PER_ADDRESS=0, RATE_LIMIT_ENQUIRIES_PER_MOBILE=1):
        post(client, request_data(1), url="/ur/clinics/clinic-a/")
        refused = post(client, request_data(1), url="/ur/clinics/clinic-a/")
    assert refused.status_code == 429
    assert '<div lang="en" dir="ltr">' in refused.content.decode()
