"""The patients app's fixtures beyond the project's people: a clinic's outbox."""

from mesoclinic.patients.tests.message_fixtures import outbox  # noqa: F401 (the delivery log's)
