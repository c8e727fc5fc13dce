"""Settings for a worker subprocess started by the tests (fixtures.run_worker): the project's
own, read from the environment the test passes (the fake providers, the test database)."""

from mesoclinic.settings import *  # noqa: F403
