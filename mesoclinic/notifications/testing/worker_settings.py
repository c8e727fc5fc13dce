"""Settings for a worker subprocess started by the tests (fixtures.run_worker): the project's
own, read from the environment the test passes (the fake providers, the test database), plus
the message texts it renders."""

from mesoclinic.notifications.testing import MESSAGE_TEMPLATES
from mesoclinic.settings import *  # noqa: F403

NOTIFICATIONS_TEMPLATES = MESSAGE_TEMPLATES
