"""The one scoping rule (`clinics.scoping`): which kinds of record each role reads, and where.
The pages and the API that apply it are tested in care (clinical records) and formulary (the
stock ledger); here, the rule itself and the models' `for_user` that call it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from mesoclinic.accounts.roles import Role
from mesoclinic.audit.models import AuditEvent
from mesoclinic.clinics import scoping
from mesoclinic.clinics.scoping import EVERYWHERE, NOWHERE, Kind, Scope
from mesoclinic.clinics.selectors import clinics_for_user
from mesoclinic.patients.models import Enquiry, Patient
from mesoclinic.patients.services import submit_enquiry

ROLES = ["receptionist", "practitioner_user", "manager", "administrator", "outsider"]


@pytest.fixture
def people(request):
    """The shared people by fixture name, made on demand."""
    return lambda name: request.getfixturevalue(name)


@pytest.mark.parametrize("who", ROLES)
def test_it_gives_each_role_the_kinds_it_reads(people, who):
    user = people(who)
    for kind in Kind:
        expected = {
            "administrator": EVERYWHERE,
            # Receptionists (the outsider is one, at clinic B) read no clinical record.
            "receptionist": NOWHERE if kind == Kind.CLINICAL else Scope(member=user.pk),
            "outsider": NOWHERE if kind == Kind.CLINICAL else Scope(member=user.pk),
            "practitioner_user": Scope(member=user.pk),
            "manager": Scope(member=user.pk),
        }[who]
        assert scoping.scope(user, kind) == expected, kind
        assert scoping.reaches(user, kind) is (expected != NOWHERE), kind


def test_it_gives_nothing_to_anonymous_visitors_users_without_a_role_or_inactive_ones(
    make_user, clinic_a
):
    nobody = make_user("no_role", None, [clinic_a])
    retired = make_user("retired_admin", Role.ADMINISTRATOR, is_active=False)
    left = make_user("left_doctor", Role.PRACTITIONER, [clinic_a], is_active=False)
    former_patient = make_user("former_patient", Role.PATIENT, is_active=False)
    for user in (nobody, retired, left, former_patient, AnonymousUser()):
        for kind in Kind:
            assert scoping.scope(user, kind) == NOWHERE, (user, kind)
            assert not scoping.reaches(user, kind), (user, kind)


def test_it_gives_a_patient_their_own_records_and_no_staff_surface(make_user, clinic_a):
    """A patient's scope is their own records (the portal's branch), whatever clinic they hold
    a membership at by mistake: never a clinic's rows, and `reaches` is False for every kind."""
    patient = make_user("patient_user", Role.PATIENT, [clinic_a])
    for kind in Kind:
        found = scoping.scope(patient, kind)
        assert not scoping.reaches(patient, kind), kind
        assert found.member is None and not found.everywhere, kind
        assert (found.own == patient.pk) is (kind in scoping.PATIENT_READS), kind
    assert scoping.clinic_ids(patient, Kind.PATIENT) == []


def test_it_reads_what_either_role_reads_for_someone_holding_two(make_user, clinic_a):
    from django.contrib.auth.models import Group

    both = make_user("both", Role.RECEPTIONIST, [clinic_a])
    both.groups.add(Group.objects.get_or_create(name=Role.CLINIC_MANAGER)[0])
    assert scoping.reaches(both, Kind.CLINICAL)


def test_clinic_staff_reach_their_own_clinics_and_administrators_every_one(
    receptionist, practitioner_user, manager, administrator, outsider, clinic_a, clinic_b
):
    for user in (receptionist, practitioner_user, manager):
        assert scoping.clinic_ids(user, Kind.PATIENT) == [clinic_a.pk]
    assert scoping.clinic_ids(outsider, Kind.PATIENT) == [clinic_b.pk]
    assert scoping.clinic_ids(receptionist, Kind.CLINICAL) == []
    assert scoping.clinic_ids(administrator, Kind.CLINICAL) is None


def test_clinics_for_user_follows_the_same_rule(
    receptionist, practitioner_user, manager, administrator, outsider, clinic_a, clinic_b, make_user
):
    def slugs(user):
        return sorted(clinics_for_user(user).values_list("slug", flat=True))

    for user in (receptionist, practitioner_user, manager):
        assert slugs(user) == ["clinic-a"]
    assert slugs(outsider) == ["clinic-b"]
    assert slugs(administrator) == ["clinic-a", "clinic-b"]
    # A membership alone, without a staff role, used to be enough here; not any more.
    assert slugs(make_user("patient_user", Role.PATIENT, [clinic_a])) == []
    assert slugs(AnonymousUser()) == []


def test_an_inactive_clinic_is_nobodys_to_pick(administrator, receptionist, clinic_a):
    clinic_a.is_active = False
    clinic_a.save(update_fields=["is_active"])
    assert not clinics_for_user(administrator).exists()
    assert not clinics_for_user(receptionist).exists()


@pytest.mark.parametrize("who", ROLES)
def test_patients_and_enquiries_are_scoped_by_their_clinic(
    people, who, patient_a, patient_b, clinic_a, clinic_b
):
    for clinic, mobile in ((clinic_a, "+923001111111"), (clinic_b, "+923002222222")):
        submit_enquiry(
            clinic=clinic, data={"name": "Visitor", "mobile": mobile, "preferred_language": "en"}
        )
    user = people(who)
    expected = {
        "administrator": {"clinic-a", "clinic-b"},
        "outsider": {"clinic-b"},
    }.get(who, {"clinic-a"})
    patients = Patient.objects.for_user(user).values_list("registered_clinic__slug", flat=True)
    enquiries = Enquiry.objects.for_user(user).values_list("clinic__slug", flat=True)
    assert set(patients) == expected
    assert set(enquiries) == expected


def test_a_kind_a_role_does_not_read_costs_no_query(
    receptionist, patient_a, django_assert_num_queries
):
    scoping.scope(receptionist, Kind.PATIENT)  # reads the roles once, cached on the user
    with django_assert_num_queries(0):
        rows = scoping.restrict(
            Patient.objects.all(), receptionist, Kind.CLINICAL, clinic="registered_clinic_id"
        )
        assert list(rows) == []


def test_a_denied_read_is_audited_and_answers_404(outsider, patient_a):
    error = scoping.denied(outsider, Patient, patient_a.pk, via="web", message="No patient found.")
    assert str(error) == "No patient found."
    event = AuditEvent.objects.get(action="denied")
    assert (event.object_type, event.object_id) == ("patients.patient", str(patient_a.pk))
