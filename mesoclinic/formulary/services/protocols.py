"""Writing protocol versions, approving them, and checking doses against them.

An approved version is never edited: `start_new_version` copies it into the next draft, which
managers and dermatologists change with `save_draft`, and `approve_version` (a credentialed
dermatologist) retires the previous approved version in the same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mesoclinic.audit.services import Action, record_event, save_audited
from mesoclinic.formulary import doses
from mesoclinic.formulary.access import can_change_protocols, credentialed_dermatologist
from mesoclinic.formulary.models import Protocol, ProtocolComponent, ProtocolVersion

VERSION_FIELDS = (
    "technique",
    "depth",
    "needle",
    "sessions_min",
    "sessions_max",
    "interval_days_min",
    "interval_days_max",
    "maintenance_days_min",
    "maintenance_days_max",
    "outcome_scale",
    "evidence",
    "unverified",
    "notes",
)
COMPONENT_FIELDS = (
    "ingredient",
    "product",
    "concentration",
    "unit",
    "volume_per_point_min",
    "volume_per_point_max",
    "volume_per_session_min",
    "volume_per_session_max",
    "session_ceiling",
    "max_points",
    "unverified",
)


STALE = gettext_noop("This draft changed since you opened it; review it again.")


def _require_editor(user):
    if not can_change_protocols(user):
        raise PermissionDenied(_("Only clinic managers and dermatologists change protocols."))


def start_new_version(*, acting_user, via: str, protocol) -> ProtocolVersion:
    """The protocol's open draft, or a new one copied from its latest version."""
    _require_editor(acting_user)
    with transaction.atomic():
        # The protocol row is the lock: two clicks at once cannot both see "no draft".
        Protocol.objects.select_for_update().get(pk=protocol.pk)
        versions = ProtocolVersion.objects.filter(protocol=protocol)
        draft = versions.filter(status=ProtocolVersion.Status.DRAFT).first()
        if draft is not None:
            return draft
        latest = versions.order_by("-number").first()
        number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
        fields = {name: getattr(latest, name) for name in VERSION_FIELDS} if latest else {}
        draft = ProtocolVersion.objects.create(
            protocol=protocol,
            number=number,
            based_on=latest,
            created_by=acting_user,
            **fields,
        )
        if latest is not None:
            ProtocolComponent.objects.bulk_create(
                ProtocolComponent(
                    version=draft, **{name: getattr(c, name) for name in COMPONENT_FIELDS}
                )
                for c in latest.components.all()
            )
        record_event(
            actor=acting_user,
            action=Action.CREATE,
            via=via,
            instance=draft,
            detail={"number": number},
        )
    return draft


def save_draft(
    *,
    acting_user,
    via: str,
    version: ProtocolVersion,
    data: dict,
    components: list[dict],
    revision: int,
) -> list[str]:
    """Replace a draft's fields and cocktail with validated values; returns the changed field
    names. `revision` is the one the editor opened: a draft saved by someone else meanwhile is
    refused rather than silently overwritten. Approved and retired versions are refused:
    write the next version instead."""
    _require_editor(acting_user)
    with transaction.atomic():
        locked = ProtocolVersion.objects.select_for_update().get(pk=version.pk)
        if not locked.is_editable:
            raise ValidationError(
                _("Version %(n)s is %(status)s and cannot change; start a new version.")
                % {"n": locked.number, "status": locked.get_status_display()}
            )
        if locked.revision != revision:
            raise ValidationError(_(STALE))
        changed = [name for name in VERSION_FIELDS if getattr(locked, name) != data[name]]
        for name in VERSION_FIELDS:
            setattr(locked, name, data[name])
        old = [
            tuple(getattr(c, name) for name in COMPONENT_FIELDS) for c in locked.components.all()
        ]
        new = [tuple(c.get(name) for name in COMPONENT_FIELDS) for c in components]
        if old != new:
            locked.components.all().delete()
            ProtocolComponent.objects.bulk_create(
                ProtocolComponent(
                    version=locked, **{name: c.get(name) for name in COMPONENT_FIELDS}
                )
                for c in components
            )
            changed.append("components")
        if changed:
            locked.revision += 1
            fields = [n for n in changed if n != "components"]
            locked.save(update_fields=[*fields, "revision"])
            record_event(
                actor=acting_user,
                action=Action.UPDATE,
                via=via,
                instance=locked,
                changed_fields=changed,
            )
    return changed


def approve_version(
    *,
    acting_user,
    via: str,
    version: ProtocolVersion,
    revision: int,
    confirmed_unverified: bool = False,
) -> ProtocolVersion:
    """Approve a draft in the name of the acting, credentialed dermatologist; the version it
    replaces is retired in the same transaction (sessions keep pointing at it).

    Values marked "clinic to confirm" (no firm published source) stay marked, so the weak
    evidence is never hidden, but approving them needs the dermatologist to say they checked
    them (`confirmed_unverified`), and the audit row records it. `revision` is the one the
    dermatologist reviewed: a draft changed since is refused, so nobody's edit is approved
    in a name that never saw it."""
    approver = credentialed_dermatologist(acting_user)
    if approver is None:
        raise PermissionDenied(_("Only a credentialed dermatologist approves a protocol."))
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = ProtocolVersion.objects.select_for_update().get(pk=version.pk)
            if locked.status != ProtocolVersion.Status.DRAFT:
                raise ValidationError(_("Only a draft can be approved."))
            if locked.revision != revision:
                raise ValidationError(_(STALE))
            components = list(locked.components.all())
            if not components:
                raise ValidationError(_("A protocol needs at least one component."))
            unverified = locked.unverified or any(c.unverified for c in components)
            if unverified and not confirmed_unverified:
                raise ValidationError(
                    _(
                        "This version has values marked “clinic to confirm”: check them, "
                        "then tick that you have."
                    )
                )
            current = (
                ProtocolVersion.objects.select_for_update()
                .filter(protocol_id=locked.protocol_id, status=ProtocolVersion.Status.APPROVED)
                .first()
            )
            if current is not None:
                current.status = ProtocolVersion.Status.RETIRED
                current.retired_at = now
                save_audited(
                    current,
                    actor=acting_user,
                    via=via,
                    fields=["status", "retired_at"],
                )
            locked.status = ProtocolVersion.Status.APPROVED
            locked.approved_by = approver
            locked.approved_at = now
            save_audited(
                locked,
                actor=acting_user,
                via=via,
                fields=["status", "approved_by", "approved_at"],
                detail={"confirmed_unverified": unverified, "revision": revision},
            )
    except IntegrityError as exc:
        raise ValidationError(_("Another version was approved a moment ago; reload.")) from exc
    return locked


def retire_version(*, acting_user, via: str, version: ProtocolVersion) -> ProtocolVersion:
    """Withdraw an approved version without a successor (no new plan may use it)."""
    _require_editor(acting_user)
    with transaction.atomic():
        locked = ProtocolVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != ProtocolVersion.Status.APPROVED:
            raise ValidationError(_("Only an approved version can be retired."))
        locked.status = ProtocolVersion.Status.RETIRED
        locked.retired_at = timezone.now()
        save_audited(
            locked,
            actor=acting_user,
            via=via,
            fields=["status", "retired_at"],
        )
    return locked


# --- doses --------------------------------------------------------------------------------

LIMIT_MESSAGES = {
    doses.Limit.NOT_POSITIVE: lambda a: _("Amounts must be greater than zero."),
    doses.Limit.PER_POINT_MIN: lambda a: _("At least %(allowed)s mL per point.") % a,
    doses.Limit.PER_POINT_MAX: lambda a: _("At most %(allowed)s mL per point.") % a,
    doses.Limit.PER_SESSION_MIN: lambda a: _("At least %(allowed)s mL in a session.") % a,
    doses.Limit.PER_SESSION_MAX: lambda a: _("At most %(allowed)s mL in a session.") % a,
    doses.Limit.SESSION_CEILING: lambda a: (
        _("Never more than %(allowed)s mL in one session (no override).") % a
    ),
    doses.Limit.MAX_POINTS: lambda a: _("At most %(allowed)s injection points.") % a,
}

#: Limits no override may cross: a ceiling is the label's maximum, not a preference.
HARD_LIMITS = frozenset({doses.Limit.NOT_POSITIVE, doses.Limit.SESSION_CEILING})


def dose_problems(component: ProtocolComponent, amount: doses.Amount) -> list[dict]:
    """Each limit crossed, with its code and a message naming the component and the limit."""
    problems = []
    for violation in doses.check_dose(component.limits, amount):
        allowed = violation.allowed
        text = LIMIT_MESSAGES[violation.limit](
            {"allowed": f"{allowed.normalize():f}" if hasattr(allowed, "normalize") else allowed}
        )
        problems.append(
            {
                "code": violation.limit.value,
                "message": f"{component.label}: {text} "
                + _("Given: %(given)s.") % {"given": _given(violation)},
                "overridable": violation.limit not in HARD_LIMITS,
            }
        )
    return problems


def _given(violation) -> str:
    if violation.limit == doses.Limit.MAX_POINTS:
        return _("%(n)s points") % {"n": violation.given}
    return f"{_plain(violation.given)} mL"


def _plain(value) -> str:
    return f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)
