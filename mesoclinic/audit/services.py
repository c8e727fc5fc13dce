"""Writing the audit trail. Callers pass the record; this module decides what may be stored."""

from django.db import models

from mesoclinic.audit.models import AuditEvent

Action = AuditEvent.Action
Interface = AuditEvent.Interface


def user_or_none(user):
    """The user to store as who did something, or None for the system (seeding, anonymous)."""
    return user if getattr(user, "is_authenticated", False) else None


def record_event(
    *,
    actor,
    action: str,
    via: str,
    instance: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    clinic_id: int | None = None,
    changed_fields: list[str] | tuple[str, ...] = (),
    detail: dict | None = None,
) -> AuditEvent:
    """Append one audit row (one INSERT). Call it inside the transaction of the change it records.

    `instance` fills type, id and clinic (an object with a `clinic_id` or a
    `registered_clinic_id`); pass `object_type`/`object_id` for records that may not exist,
    such as a denied attempt at someone else's patient.
    """
    if instance is not None:
        object_type = instance._meta.label_lower
        object_id = instance.pk
        if clinic_id is None:
            clinic_id = _clinic_id_of(instance)
    if object_type is None:
        raise ValueError("An audit event needs the record's type.")
    return AuditEvent.objects.create(
        actor=user_or_none(actor),
        action=action,
        interface=via,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        clinic_id=clinic_id,
        changed_fields=sorted(changed_fields),
        detail=detail or {},
    )


def record_events(*, actor, action: str, via: str, instances, detail_of=None) -> int:
    """Append one audit row per instance in one INSERT (a scan that creates many rows at once);
    `detail_of(instance)` gives each row's detail. Call it inside the transaction of the change."""
    events = [
        AuditEvent(
            actor=user_or_none(actor),
            action=action,
            interface=via,
            object_type=instance._meta.label_lower,
            object_id=str(instance.pk),
            clinic_id=_clinic_id_of(instance),
            changed_fields=[],
            detail=detail_of(instance) if detail_of else {},
        )
        for instance in instances
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)


def _clinic_id_of(instance) -> int | None:
    for attribute in ("registered_clinic_id", "clinic_id"):
        value = getattr(instance, attribute, None)
        if value is not None:
            return value
    if instance._meta.label_lower == "clinics.clinic":
        return instance.pk
    return None


def save_audited(
    instance: models.Model,
    *,
    actor,
    via: str,
    fields: list[str] | tuple[str, ...],
    action: str = Action.UPDATE,
    clinic_id: int | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Save `fields` of an existing row and append the audit row that names them (inside the
    caller's transaction): the trail always names exactly the columns the UPDATE wrote.
    A model's `auto_now` timestamp (`updated_at`) is written too, so the row's last-change time
    (FHIR's meta.lastUpdated) moves with every audited change; the trail names the content."""
    stamps = [
        field.name
        for field in instance._meta.concrete_fields
        if getattr(field, "auto_now", False) and field.name not in fields
    ]
    instance.save(update_fields=[*fields, *stamps])
    return record_event(
        actor=actor,
        action=action,
        via=via,
        instance=instance,
        clinic_id=clinic_id,
        changed_fields=list(fields),
        detail=detail,
    )
