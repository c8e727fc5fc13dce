"""The desk's pages read other apps' records: their set-ups come from those apps' tests."""

from mesoclinic.care.tests.conftest import (  # noqa: F401 (care's set-up, for the worklist)
    consent_texts,
    consult,
    js_errors,
    make_ready,
    melasma_version,
    screening_rules,
    shipped_care_data,
)
from mesoclinic.care.tests.worklist_fixtures import (  # noqa: F401 (the worklist's set-up)
    apply_test,
    due_everywhere,
    viewer,
)
from mesoclinic.clinics.tests.fixtures import staffed_clinic  # noqa: F401 (the clinic page's)
from mesoclinic.patients.tests.message_fixtures import outbox  # noqa: F401 (the delivery log's)
