"""pytest fixtures for the provider fakes, for the tests of any app and for browser journeys.
Loaded as a plugin by the root conftest: `pytest_plugins = ["mesoclinic.notifications.testing
.fixtures"]`.

- `fake_providers`: the fake SMS gateway and WhatsApp Cloud API (testing/providers.py),
  running, with the settings pointing the sms and whatsapp channels at it.
- `fake_smtp`: the aiosmtpd server (testing/smtp.py), with MAILERS and the e-mail channel
  pointing at it.
- `worker_database_url`: the DATABASE_URL of this test's database, for a subprocess (needs
  `transactional_db`: what the test writes must be committed for another process to see).
- `run_worker`: runs `manage.py drain_outbox` in a subprocess against that database and the
  fake providers, with extra environment (MESOCLINIC_CRASH_AT=...); returns the finished
  process.
"""

import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from mesoclinic.notifications.testing.providers import FakeProviders

MANAGE = Path(__file__).resolve().parents[3] / "manage.py"
PROVIDERS = "mesoclinic.notifications.providers"


@pytest.fixture
def fake_providers(settings):
    fake = FakeProviders().start()
    settings.NOTIFICATIONS_SMS = fake.sms_settings()
    settings.NOTIFICATIONS_WHATSAPP = fake.whatsapp_settings()
    settings.NOTIFICATIONS_CHANNELS = {
        **(getattr(settings, "NOTIFICATIONS_CHANNELS", None) or {}),
        "sms": f"{PROVIDERS}.SmsGatewayChannel",
        "whatsapp": f"{PROVIDERS}.WhatsAppCloudChannel",
    }
    yield fake
    fake.stop()


@pytest.fixture
def fake_smtp(settings):
    from mesoclinic.notifications.testing.smtp import FakeSmtp  # aiosmtpd: tests only

    fake = FakeSmtp().start()
    settings.MAILERS = {"default": fake.mailer()}
    settings.NOTIFICATIONS_CHANNELS = {
        **(getattr(settings, "NOTIFICATIONS_CHANNELS", None) or {}),
        "email": f"{PROVIDERS}.EmailChannel",
    }
    yield fake
    fake.stop()


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL naming the database a connection is using (the test database, during a
    test), for another process to open. SQLite must be a file: an in-memory database exists
    only inside this process."""
    name = str(settings_dict["NAME"])
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        path = Path(name)
        if name == ":memory:" or name.startswith("file:") or not path.is_file():
            raise RuntimeError(
                f"The SQLite test database is not a file another process can open: {name}"
            )
        return f"sqlite:///{path.resolve()}"
    user = urllib.parse.quote(settings_dict.get("USER") or "", safe="")
    password = urllib.parse.quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{urllib.parse.quote(name, safe='')}"


@pytest.fixture
def worker_database_url(transactional_db):
    from django.db import connection

    return database_url(connection.settings_dict)


@pytest.fixture
def run_worker(fake_providers, worker_database_url):
    def run(*arguments: str, env: dict | None = None, timeout: float = 60):
        # A crash step is this run's to choose, never inherited.
        inherited = {k: v for k, v in os.environ.items() if k != "MESOCLINIC_CRASH_AT"}
        environment = {
            **inherited,
            **fake_providers.environment(),
            "DATABASE_URL": worker_database_url,
            "DJANGO_SETTINGS_MODULE": "mesoclinic.notifications.testing.worker_settings",
            **(env or {}),
        }
        return subprocess.run(  # noqa: S603 (our own manage.py, with this interpreter)
            [sys.executable, str(MANAGE), "drain_outbox", *arguments],
            env=environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run
