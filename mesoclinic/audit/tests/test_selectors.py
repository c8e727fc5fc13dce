"""The audit log's filters."""

import pytest

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.selectors import filter_events
from mesoclinic.audit.services import Action, Interface, record_event


@pytest.mark.django_db
@pytest.mark.parametrize("searched", ["care.doseoverride", "formulary.doseoverride"])
def test_a_record_type_that_moved_apps_is_found_under_either_name(administrator, searched):
    """Dose overrides were audited as formulary.doseoverride before they moved to care."""
    for object_type in ("formulary.doseoverride", "care.doseoverride", "care.course"):
        record_event(
            actor=administrator,
            action=Action.CREATE,
            via=Interface.WEB,
            object_type=object_type,
            object_id=1,
        )
    found = filter_events({"object_type": searched})
    assert sorted(e.object_type for e in found) == [
        "care.doseoverride",
        "formulary.doseoverride",
    ]
    assert AuditEvent.objects.count() == 3
