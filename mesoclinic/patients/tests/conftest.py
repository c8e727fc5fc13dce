"""The patients app's fixtures beyond the project's people: a clinic's outbox, and a patch
test to put a patient on the worklist (test_archive.py)."""

from mesoclinic.care.tests.worklist_fixtures import apply_test  # noqa: F401 (the worklist's)
from mesoclinic.patients.tests.message_fixtures import outbox  # noqa: F401 (the delivery log's)
