"""Signing in as a person does: the real login form, posted from an address."""

import pytest
from django.urls import reverse

from mesoclinic.accounts.roles import Role
from mesoclinic.conftest import PASSWORD


@pytest.fixture
def reception_khi(make_user, clinic_a):
    """The account of the issue's finding (30 wrong passwords, then the right one)."""
    return make_user("reception.khi", Role.RECEPTIONIST, [clinic_a])


@pytest.fixture
def sign_in(client):
    def post(username, password=PASSWORD, *, address="10.1.1.1", url=None, **extra):
        return client.post(
            url or reverse("login"),
            {"username": username, "password": password},
            REMOTE_ADDR=address,
            **extra,
        )

    return post


def signed_in_as(client):
    """The id of the account the test client's session is signed in as, or None."""
    return client.session.get("_auth_user_id")
