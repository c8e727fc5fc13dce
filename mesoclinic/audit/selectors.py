"""Reading the audit trail: the filtered, keyset-ordered events the audit log page shows."""

from django.contrib.auth import get_user_model

from mesoclinic.audit.models import AuditEvent

#: Record types that moved between apps: a search for either name finds the rows written
#: under both (a dose override was `formulary.doseoverride` until issue 16 moved it to care).
SAME_RECORD_TYPES = [{"care.doseoverride", "formulary.doseoverride"}]


def _record_types(name: str) -> set[str]:
    for names in SAME_RECORD_TYPES:
        if name in names:
            return names
    return {name}


def filter_events(data: dict):
    """Events matching the audit log's filters (each optional), newest first; `before` is the
    keyset cursor (an event id). `clinic` is a clinic or its id."""
    events = AuditEvent.objects.select_related("actor", "clinic")
    if data.get("actor"):
        User = get_user_model()
        events = events.filter(**{f"actor__{User.USERNAME_FIELD}": data["actor"]})
    for name in ("action", "interface", "object_id"):
        if data.get(name):
            events = events.filter(**{name: data[name]})
    if data.get("object_type"):
        events = events.filter(object_type__in=sorted(_record_types(data["object_type"])))
    if data.get("clinic"):
        events = events.filter(clinic=data["clinic"])
    if data.get("since"):
        events = events.filter(at__date__gte=data["since"])
    if data.get("until"):
        events = events.filter(at__date__lte=data["until"])
    if data.get("before"):
        events = events.filter(id__lt=data["before"])
    return events.order_by("-id")
