"""Protocols: seeded drafts, versions that never change once approved, approval by a named
credentialed dermatologist, editing only by managers and dermatologists, dose checks."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.formulary import services
from mesoclinic.formulary.doses import Amount
from mesoclinic.formulary.models import Protocol, ProtocolVersion
from mesoclinic.formulary.services.protocols import COMPONENT_FIELDS, VERSION_FIELDS
from mesoclinic.formulary.tests.fixtures import approve, draft_of

VIA = Interface.WEB


def fields_of(version):
    return {name: getattr(version, name) for name in VERSION_FIELDS}


def components_of(version):
    return [{n: getattr(c, n) for n in COMPONENT_FIELDS} for c in version.components.all()]


def test_the_seed_has_a_draft_protocol_per_indication_except_cellulite(formulary_seed):
    indications = set(Protocol.objects.values_list("indication", flat=True))
    assert indications == {
        "melasma",
        "hyperpigmentation",
        "skin_rejuvenation",
        "androgenetic_alopecia",
        "alopecia_areata",
        "localized_fat",
    }
    assert set(ProtocolVersion.objects.values_list("status", flat=True)) == {"draft"}
    melasma = ProtocolVersion.objects.get(protocol__code="melasma-txa")
    assert melasma.unverified and "Lueangarun" in melasma.evidence
    assert melasma.components.get().concentration == Decimal("4")


def test_a_credentialed_dermatologist_approves_in_their_own_name(melasma, dermatologist):
    version = approve(
        dermatologist.user,
        draft_of(melasma),
        confirmed_unverified=True,
    )
    assert version.status == "approved" and version.approved_by == dermatologist
    assert AuditEvent.objects.filter(
        object_type="formulary.protocolversion", object_id=str(version.pk), action="update"
    ).exists()


@pytest.mark.parametrize("who", ["manager", "nurse", "unverified_dermatologist", "receptionist"])
def test_nobody_but_a_credentialed_dermatologist_may_approve(
    melasma, who, manager, receptionist, make_practitioner, clinic_a
):
    user = {
        "manager": lambda: manager,
        "receptionist": lambda: receptionist,
        "nurse": lambda: make_practitioner("nurse_a", clinic_a, qualification="nurse").user,
        "unverified_dermatologist": lambda: (
            make_practitioner("derm_x", clinic_a, verified=False).user
        ),
    }[who]()
    with pytest.raises(PermissionDenied):
        approve(user, draft_of(melasma))
    assert draft_of(melasma).status == "draft"


def test_an_approved_version_never_changes_a_new_version_does(melasma, dermatologist, manager):
    v1 = approve(
        dermatologist.user,
        draft_of(melasma),
        confirmed_unverified=True,
    )
    with pytest.raises(ValidationError, match="cannot change"):
        services.save_draft(
            acting_user=manager,
            via=VIA,
            version=v1,
            revision=v1.revision,
            data=fields_of(v1),
            components=[],
        )
    v2 = services.start_new_version(acting_user=manager, via=VIA, protocol=melasma)
    assert (v2.number, v2.status, v2.based_on) == (2, "draft", v1)
    assert components_of(v2) == components_of(v1)
    data = {**fields_of(v2), "sessions_max": 6}
    rows = components_of(v2)
    rows[0]["volume_per_point_max"] = Decimal("0.04")
    changed = services.save_draft(
        acting_user=manager, via=VIA, version=v2, revision=v2.revision, data=data, components=rows
    )
    assert changed == ["sessions_max", "components"]
    v2.refresh_from_db()
    approve(dermatologist.user, v2, confirmed_unverified=True)
    v1.refresh_from_db()
    assert v1.status == "retired" and v1.retired_at is not None
    assert v1.components.get().volume_per_point_max == Decimal("0.050")
    assert melasma.versions.get(status="approved").number == 2


def test_values_to_confirm_need_the_dermatologist_to_say_they_checked_them(melasma, dermatologist):
    with pytest.raises(ValidationError, match="clinic to confirm"):
        approve(dermatologist.user, draft_of(melasma))
    version = approve(
        dermatologist.user,
        draft_of(melasma),
        confirmed_unverified=True,
    )
    # The weak evidence stays marked after approval; the audit row says it was confirmed.
    assert version.unverified
    event = AuditEvent.objects.get(
        object_type="formulary.protocolversion", object_id=str(version.pk), action="update"
    )
    assert event.detail == {"confirmed_unverified": True, "revision": 1}


def test_starting_a_new_version_returns_the_open_draft(melasma, manager):
    assert services.start_new_version(acting_user=manager, via=VIA, protocol=melasma) == (
        draft_of(melasma)
    )


def test_receptionists_and_nurses_do_not_change_protocols(
    melasma, receptionist, make_practitioner, clinic_a
):
    nurse = make_practitioner("nurse_a", clinic_a, qualification="nurse").user
    for user in (receptionist, nurse):
        with pytest.raises(PermissionDenied):
            services.start_new_version(acting_user=user, via=VIA, protocol=melasma)


def test_a_version_without_components_cannot_be_approved(melasma, dermatologist):
    version = draft_of(melasma)
    services.save_draft(
        acting_user=dermatologist.user,
        via=VIA,
        version=version,
        revision=version.revision,
        data=fields_of(version),
        components=[],
    )
    version.refresh_from_db()
    with pytest.raises(ValidationError, match="at least one component"):
        approve(dermatologist.user, version)


def test_an_approval_names_the_revision_reviewed_and_a_changed_draft_is_refused(
    melasma, dermatologist, manager
):
    opened = draft_of(melasma)  # the dermatologist opens the draft ...
    services.save_draft(  # ... a manager raises a limit meanwhile ...
        acting_user=manager,
        via=VIA,
        version=opened,
        revision=opened.revision,
        data={**fields_of(opened), "sessions_max": 9},
        components=components_of(opened),
    )
    with pytest.raises(ValidationError, match="changed since you opened it"):
        approve(dermatologist.user, opened, confirmed_unverified=True)
    # ... and a second editor's stale save is refused too, not silently lost.
    with pytest.raises(ValidationError, match="changed since you opened it"):
        services.save_draft(
            acting_user=dermatologist.user,
            via=VIA,
            version=opened,
            revision=opened.revision,
            data=fields_of(opened),
            components=components_of(opened),
        )
    assert draft_of(melasma).sessions_max == 9


def test_the_database_allows_one_draft_per_protocol(melasma):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ProtocolVersion.objects.create(protocol=melasma, number=99, **fields_of(draft_of(melasma)))


# --- dose checks (overrides: care/tests/test_dose_overrides.py) --------------------------------


def test_a_dose_outside_the_protocol_is_refused_with_the_limit_named(melasma):
    component = draft_of(melasma).components.get()
    problems = services.dose_problems(component, Amount(per_point=Decimal("0.1"), points=80))
    messages = [p["message"] for p in problems]
    assert messages == [
        "Tranexamic acid 4 mg/mL: At most 0.05 mL per point. Given: 0.1 mL.",
        "Tranexamic acid 4 mg/mL: At most 4 mL in a session. Given: 8 mL.",
        "Tranexamic acid 4 mg/mL: Never more than 5 mL in one session (no override). Given: 8 mL.",
    ]
    assert [p["overridable"] for p in problems] == [True, True, False]


# --- pages -----------------------------------------------------------------------------------


def test_the_protocol_pages_show_versions_in_constant_queries(
    client, melasma, receptionist, django_assert_max_num_queries
):
    client.force_login(receptionist)
    # session, user, roles, protocols, versions, components (+ savepoints on SQLite)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("formulary:protocols"))
    assert "Melasma: intradermal tranexamic acid" in response.content.decode()
    assert "Write a new version" not in response.content.decode()


def test_the_dose_check_answers_in_place_with_htmx(client, melasma, receptionist):
    client.force_login(receptionist)
    version = draft_of(melasma)
    response = client.get(
        reverse("formulary:version", args=[version.pk]),
        {"component": version.components.get().pk, "per_point": "0.5", "points": "2"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "At most 0.05 mL per point" in body and "<html" not in body


def test_a_manager_edits_a_draft_on_the_page_and_bad_limits_are_named(client, melasma, manager):
    client.force_login(manager)
    version = draft_of(melasma)
    component = version.components.get()
    form = {
        **{
            k: ("on" if v is True else "" if v in (None, False) else v)
            for k, v in fields_of(version).items()
        },
        "revision": str(version.revision),
        "components-TOTAL_FORMS": "1",
        "components-INITIAL_FORMS": "1",
        "components-MIN_NUM_FORMS": "1",
        "components-MAX_NUM_FORMS": "1000",
        "components-0-ingredient": component.ingredient_id,
        "components-0-concentration": "4",
        "components-0-unit": "IU/mL",
        "components-0-volume_per_point_min": "0.08",
        "components-0-volume_per_point_max": "0.05",
    }
    url = reverse("formulary:edit_version", args=[version.pk])
    response = client.post(url, form)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Must be above zero and not below the minimum" in body
    assert "Tranexamic acid is measured in mg/mL; IU/mL cannot be converted to it." in body
    form["components-0-unit"] = "mg/mL"
    form["components-0-volume_per_point_min"] = "0.02"
    form["sessions_max"] = "6"
    assert client.post(url, form).status_code == 302
    version.refresh_from_db()
    assert version.sessions_max == 6


def test_a_receptionist_cannot_open_the_draft_editor(client, melasma, receptionist):
    client.force_login(receptionist)
    url = reverse("formulary:edit_version", args=[draft_of(melasma).pk])
    assert client.get(url).status_code == 403
    assert client.post(reverse("formulary:new_version", args=[melasma.pk])).status_code == 403


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_postgresql_refuses_changing_an_approved_version_from_any_client(melasma, dermatologist):
    from django.db import DatabaseError, transaction

    version = approve(dermatologist.user, draft_of(melasma), confirmed_unverified=True)
    statements = [
        f"UPDATE formulary_protocolversion SET sessions_max = 20 WHERE id = {version.pk}",
        "UPDATE formulary_protocolcomponent SET session_ceiling = 50 "
        f"WHERE version_id = {version.pk}",
        f"DELETE FROM formulary_protocolcomponent WHERE version_id = {version.pk}",
    ]
    for sql in statements:
        with (
            pytest.raises(DatabaseError, match="cannot change"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    retired = services.retire_version(acting_user=dermatologist.user, via=VIA, version=version)
    assert retired.status == "retired"
