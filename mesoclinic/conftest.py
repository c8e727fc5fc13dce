"""The people every test can use, built through the same services the app uses.

Clinic A (Islamabad) has a receptionist, a practitioner and a manager; clinic B (Lahore) has
the outsider, a receptionist who must never see clinic A's patients. The administrator sees all.
"""

import os
import signal
from datetime import date, timedelta
from itertools import count
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

from mesoclinic.accounts.roles import Role
from mesoclinic.audit.services import Interface
from mesoclinic.clinics import services as clinic_services
from mesoclinic.clinics.models import Clinic, Membership, Practitioner
from mesoclinic.formulary.tests.fixtures import (  # noqa: F401 (fixtures for every app)
    biotin_multi_dose,
    dermatologist,
    formulary_seed,
    lot_a,
    make_lot,
    melasma,
    txa,
)
from mesoclinic.patients import services as patient_services
from mesoclinic.security.second_factor_policy import ALWAYS as ROLES_NEEDING_A_SECOND_FACTOR
from mesoclinic.security.tests.browser import TEST_TOTP_KEY

pytest_plugins = ["mesoclinic.notifications.testing.fixtures"]  # fake providers, for every app

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery-staple"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

# Rule properties are checked by what they assert, not by how fast one example runs: on a
# two-core machine running two workers and a browser, a 200 ms deadline fails at random.
hypothesis_settings.register_profile("mesoclinic", deadline=None)
hypothesis_settings.load_profile("mesoclinic")


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Tests hash with MD5: every user a fixture makes and every `client.login` would otherwise
    cost a full PBKDF2 round (about half a second each on this machine, most of the suite's
    set-up time). Production keeps Django's defaults; `test_settings.py` checks them."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def empty_default_cache():
    """Each test starts with an empty local-memory cache (cached guide searches, for one): the
    database rolls back between tests, a process's cache would not."""
    if isinstance(caches["default"], LocMemCache):  # never a Redis other workers share
        caches["default"].clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in English: a request in Urdu leaves Urdu active in the thread."""
    with translation.override(django_settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def run_task_worker(db):
    """Run the real background worker (django-tasks-db's `db_worker --batch`) in this process
    on the test database until no task is ready. db_worker installs its own SIGINT/SIGTERM
    handlers; they are put back afterwards so Ctrl-C still stops the test run."""

    def run() -> None:
        stops = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
        handlers = {stop: signal.getsignal(stop) for stop in stops}
        try:
            call_command(
                "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval=0"
            )
        finally:
            for stop, handler in handlers.items():
                signal.signal(stop, handler)

    return run


@pytest.fixture
def clinic_a(db):
    return Clinic.objects.create(
        name="Clinic A Islamabad",
        slug="clinic-a",
        city="Islamabad",
        address="F-7 Markaz",
        phone="+92512650100",
    )


@pytest.fixture
def clinic_b(db):
    return Clinic.objects.create(
        name="Clinic B Lahore",
        slug="clinic-b",
        city="Lahore",
        address="Gulberg III",
        phone="+92425750300",
    )


@pytest.fixture
def make_user(db):
    def make(username, role=None, clinics=(), **extra):
        user = get_user_model().objects.create_user(
            username=username, password=PASSWORD, first_name=username.title(), **extra
        )
        if role:
            # get_or_create: transactional (browser) tests flush the groups the migration made.
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        for clinic in clinics:
            Membership.objects.create(user=user, clinic=clinic)
        if role in ROLES_NEEDING_A_SECOND_FACTOR or user.is_superuser:
            # Their role needs a second factor: an authenticator app with the key tests know
            # (security/tests/browser.py computes its codes).
            TOTPDevice.objects.create(user=user, name="Test app", key=TEST_TOTP_KEY, confirmed=True)
        return user

    return make


class SecondFactorClient(Client):
    """Django's test client, whose `force_login` also marks the session as having proved the
    person's second factor (as the verify page does), so tests of other pages start where a
    signed-in, verified person stands. Test-only; the second-factor tests use `login`-less
    sessions through the real pages to prove the gate itself."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device = next(devices_for_user(user), None)
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


@pytest.fixture
def client():
    """pytest-django's `client`, verified after `force_login` (see SecondFactorClient)."""
    return SecondFactorClient()


@pytest.fixture
def admin_client(admin_user):
    """pytest-django's `admin_client`: its superuser has an authenticator app, like every
    administrator, and the session has proved it."""
    TOTPDevice.objects.create(user=admin_user, name="Test app", key=TEST_TOTP_KEY, confirmed=True)
    client = SecondFactorClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def unverified_client():
    """A plain test client: `force_login` gives a password-only session."""
    return Client()


@pytest.fixture
def receptionist(make_user, clinic_a):
    return make_user("reception_a", Role.RECEPTIONIST, [clinic_a])


@pytest.fixture
def practitioner_user(make_practitioner, clinic_a):
    """A credentialed physician at clinic A (user: doctor_a): consults, patch-tests, plans and
    charts under the clinic's default policy; not a dermatologist, so no overrides."""
    return make_practitioner("doctor_a", clinic_a, qualification="physician").user


@pytest.fixture
def manager(make_user, clinic_a):
    return make_user("manager_a", Role.CLINIC_MANAGER, [clinic_a])


@pytest.fixture
def administrator(make_user):
    return make_user("admin", Role.ADMINISTRATOR, is_staff=True)


@pytest.fixture
def outsider(make_user, clinic_b):
    return make_user("reception_b", Role.RECEPTIONIST, [clinic_b])


_numbers = count(1)


@pytest.fixture
def make_patient(db, administrator):
    """Register a patient through the service, with unique CNIC and mobile unless given."""

    def make(clinic, **data):
        n = next(_numbers)
        fields = {
            "first_name": "Ayesha",
            "last_name": f"Khan{n}",
            "date_of_birth": date(1990, 5, 17),
            "sex": "female",
            "cnic": f"35202{n:07d}4",
            "mobile": f"+92300{n:07d}",
            **data,
        }
        return patient_services.register_patient(
            acting_user=administrator, via=Interface.CLI, clinic=clinic, data=fields
        )

    return make


@pytest.fixture
def patient_a(make_patient, clinic_a):
    return make_patient(clinic_a, first_name="Zainab", last_name="Qureshi")


@pytest.fixture
def patient_b(make_patient, clinic_b):
    return make_patient(clinic_b, first_name="Hira", last_name="Butt")


@pytest.fixture
def make_practitioner(make_user, administrator):
    """A practitioner at `clinic`, credentialed unless told otherwise, made through services."""

    def make(username, clinic, *, verified=True, qualification="dermatologist", number=None):
        user = make_user(username, "practitioner", clinics=[clinic])
        practitioner = Practitioner.objects.create(user=user, qualification=qualification)
        clinic_services.record_registration(
            acting_user=administrator,
            via=Interface.ADMIN,
            practitioner=practitioner,
            number=number or f"PMDC-{user.pk:05d}-P",
            expires_on=date.today() + timedelta(days=365),
        )
        if verified:
            clinic_services.verify_practitioner(
                acting_user=administrator,
                via=Interface.ADMIN,
                practitioner=practitioner,
                evidence="PMDC online register",
            )
        return practitioner

    return make


# --- browser tests -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless, with nothing that reaches for the network."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", django_settings.CHROMIUM_PATH),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def screenshot(page, request):
    """Call screenshot("step-name") after each step; files land in artifacts/screenshots/.
    screenshot("step-name", of=other_page) takes another context's page (a phone, a tablet)
    in the same numbered sequence."""
    from django.db import connection

    folder = ARTIFACTS / "screenshots" / connection.vendor / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    steps = count(1)

    def take(name, *, of=None):
        path = folder / f"{next(steps):02d}-{name}.png"
        (of or page).screenshot(path=str(path), full_page=True)
        return path

    return take
