"""The portal's people: Sana, a patient with records at clinics A and B under one mobile number
and date of birth, signed in to her account; her sister Hina, who shares the phone but not the
date of birth; and a stranger at clinic A."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client

from mesoclinic.portal import services

SANA_MOBILE = "+923335550101"
SANA_BORN = date(1992, 3, 14)


@dataclass
class PortalWorld:
    user: object  # Sana's patient account
    at_a: object  # her record at clinic A
    at_b: object  # her record at clinic B
    sister: object  # Hina's record at clinic A (same phone, another date of birth)
    stranger: object  # someone else's record at clinic A


@pytest.fixture
def portal_world(make_patient, clinic_a, clinic_b):
    at_a = make_patient(
        clinic_a, first_name="Sana", last_name="Malik", mobile=SANA_MOBILE, date_of_birth=SANA_BORN
    )
    at_b = make_patient(
        clinic_b,
        first_name="Sana",
        last_name="Malick",  # clinic B spelt it its own way: one person, two records
        mobile=SANA_MOBILE,
        date_of_birth=SANA_BORN,
        cnic=None,
    )
    sister = make_patient(
        clinic_a,
        first_name="Hina",
        last_name="Malik",
        mobile=SANA_MOBILE,
        date_of_birth=date(1996, 8, 2),
    )
    stranger = make_patient(clinic_a, first_name="Rabia", last_name="Aslam")
    user = services.link_account(mobile=SANA_MOBILE, date_of_birth=SANA_BORN)
    for record in (at_a, at_b, sister, stranger):
        record.refresh_from_db()
    return PortalWorld(user=user, at_a=at_a, at_b=at_b, sister=sister, stranger=stranger)


@pytest.fixture
def patient_client(portal_world):
    """A browser session signed in as Sana (the sign-in itself is tested through its pages)."""
    client = Client()
    client.force_login(portal_world.user)
    return client


#: A cheap Android phone, as the portal's patients hold one.
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "has_touch": True,
    "is_mobile": True,
    "locale": "ur-PK",
}


@pytest.fixture
def phone(browser, live_server, portal_world):
    """Sana's phone in Chromium, signed in (the session cookie of a `force_login`-ed client: only
    the sign-in journey types a code), JavaScript off, downloads accepted; a script or server
    error on any page fails the test."""
    from django.conf import settings

    from mesoclinic.care.tests.browser import watch

    client = Client()
    client.force_login(portal_world.user)
    errors = []
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, accept_downloads=True, **PHONE
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "ur", "url": live_server.url},
        ]
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    watch(page, errors)
    yield page
    assert errors == []
    context.close()
