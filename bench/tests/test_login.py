"""The bench signs in as a person does: the password page, then the second factor's code."""

import pytest
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench import http
from mesoclinic.security.tests.browser import fresh_code

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "bench-test-password"


@pytest.fixture
def doctor(django_user_model, settings):
    # The bench speaks as the TLS proxy's client (X-Forwarded-Proto: https), as in production.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    user = django_user_model.objects.create_user(username="scale.doctor.test", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="practitioner")[0])
    TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)
    return user


def test_it_passes_the_code_step_and_reaches_a_staff_page(live_server, doctor):
    session = http.Session(live_server.url)
    session.login(doctor.username, PASSWORD, code=lambda: fresh_code(doctor.username))
    assert session.call("GET", "/patients/").status == 200


def test_it_says_so_when_a_code_is_needed_and_it_has_none(live_server, doctor):
    session = http.Session(live_server.url)
    with pytest.raises(RuntimeError, match="needs a second factor"):
        session.login(doctor.username, PASSWORD)
