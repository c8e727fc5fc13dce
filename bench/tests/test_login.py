"""The bench signs in as a person does: the password page, then the second factor's code."""

import pytest

from bench import http
from mesoclinic.conftest import PASSWORD
from mesoclinic.security.tests.browser import fresh_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_passes_the_code_step_and_reaches_a_staff_page(live_server, practitioner_user):
    session = http.Session(live_server.url)
    session.login(
        practitioner_user.username, PASSWORD, code=lambda: fresh_code(practitioner_user.username)
    )
    assert session.call("GET", "/patients/").status == 200


def test_it_says_so_when_a_code_is_needed_and_it_has_none(live_server, practitioner_user):
    session = http.Session(live_server.url)
    with pytest.raises(RuntimeError, match="needs a second factor"):
        session.login(practitioner_user.username, PASSWORD)
