"""Credentialed means: a PMDC number, verified as it stands, not expired. One rule everywhere."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from mesoclinic.audit.models import AuditEvent
from mesoclinic.audit.services import Interface
from mesoclinic.clinics import credentials, services
from mesoclinic.clinics.credentials import CredentialProblem, credential_status
from mesoclinic.clinics.messages import credential_messages
from mesoclinic.clinics.models import Practitioner

TODAY = date(2026, 11, 24)


@given(
    number=st.sampled_from(["", "12345-P"]),
    verified=st.booleans(),
    expires=st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1))),
)
def test_a_practitioner_is_credentialed_only_with_a_verified_unexpired_registration(
    number, verified, expires
):
    status = credential_status(
        registration_number=number, verified=verified, expires_on=expires, today=TODAY
    )
    expected = bool(number) and verified and expires is not None and expires >= TODAY
    assert status.credentialed is expected
    assert len(credential_messages(status.codes())) == len(status.problems)


def test_it_names_every_problem_at_once():
    status = credential_status(
        registration_number="", verified=False, expires_on=TODAY - timedelta(days=1), today=TODAY
    )
    assert status.problems == (
        CredentialProblem.NO_REGISTRATION,
        CredentialProblem.UNVERIFIED,
        CredentialProblem.EXPIRED,
    )


def test_a_registration_is_valid_through_its_expiry_day():
    assert credential_status(
        registration_number="1-P", verified=True, expires_on=TODAY, today=TODAY
    ).credentialed


@pytest.fixture
def practitioner(make_user, clinic_a, administrator):
    user = make_user("doc", "practitioner", [clinic_a])
    practitioner = Practitioner.objects.create(user=user, qualification="dermatologist")
    services.record_registration(
        acting_user=administrator,
        via=Interface.CLI,
        practitioner=practitioner,
        number=" 12345-p ",
        expires_on=timezone.localdate() + timedelta(days=90),
    )
    return practitioner


@pytest.mark.django_db
def test_the_query_and_the_object_agree_through_verification_edit_and_expiry(
    practitioner, administrator
):
    def both():
        from_query = Practitioner.objects.credentialed().filter(pk=practitioner.pk).exists()
        practitioner.refresh_from_db()
        assert from_query is practitioner.is_credentialed
        return from_query

    assert practitioner.registration_number == "12345-P"
    assert both() is False  # not yet verified
    services.verify_practitioner(
        acting_user=administrator,
        via=Interface.WEB,
        practitioner=practitioner,
        evidence="PMDC register checked by phone",
    )
    assert both() is True
    # A new number (or expiry) must be verified again.
    services.record_registration(
        acting_user=administrator,
        via=Interface.WEB,
        practitioner=practitioner,
        number="99999-P",
        expires_on=practitioner.registration_expires_on,
    )
    assert both() is False
    services.verify_practitioner(
        acting_user=administrator, via=Interface.WEB, practitioner=practitioner, evidence="ok"
    )
    assert both() is True
    later = practitioner.registration_expires_on + timedelta(days=1)
    assert not Practitioner.objects.credentialed(on=later).filter(pk=practitioner.pk).exists()
    assert not practitioner.credential_status(on=later).credentialed


@pytest.mark.django_db
def test_verification_is_audited_and_needs_evidence(practitioner, administrator):
    with pytest.raises(ValueError, match="evidence"):
        services.verify_practitioner(
            acting_user=administrator, via=Interface.WEB, practitioner=practitioner, evidence=" "
        )
    services.verify_practitioner(
        acting_user=administrator, via=Interface.ADMIN, practitioner=practitioner, evidence="seen"
    )
    event = AuditEvent.objects.filter(object_type="clinics.practitioner").first()
    assert (event.actor, event.changed_fields, event.interface) == (
        administrator,
        ["verification"],
        "admin",
    )


# --- the registering council, and who may record which step (issue 15) --------------------

QUALIFICATIONS = [q.value for q in Practitioner.Qualification]


@given(qualification=st.sampled_from(QUALIFICATIONS))
def test_it_names_the_council_that_registers_each_qualification(qualification):
    body = credentials.registering_body(qualification)
    if qualification in ("dermatologist", "physician", "dentist"):
        assert body == credentials.RegisteringBody.PMDC
    elif qualification in ("nurse", "midwife"):
        assert body == credentials.RegisteringBody.PNMC
    else:
        assert body is None
        status = credential_status(
            registration_number="1-P",
            verified=True,
            expires_on=TODAY,
            today=TODAY,
            qualification=qualification,
        )
        assert status.problems == (CredentialProblem.NO_REGISTERING_BODY,)


def test_an_expiry_is_named_with_its_council_and_date():
    status = credential_status(
        registration_number="N-1",
        verified=True,
        expires_on=date(2026, 11, 23),
        today=TODAY,
        qualification="nurse",
    )
    assert status.codes() == ("body:pnmc", "expired:2026-11-23")
    assert credential_messages(status.codes()) == ["The PNMC registration expired on 23 Nov 2026."]
    assert credentials.parse_codes(status.codes()) == credentials.ParsedCodes(
        credentials.RegisteringBody.PNMC, ((CredentialProblem.EXPIRED, "2026-11-23"),)
    )


def test_an_expired_date_is_not_expired_the_day_before():
    day_before = credential_status(
        registration_number="N-1",
        verified=True,
        expires_on=TODAY,
        today=TODAY - timedelta(days=1),
        qualification="nurse",
    )
    day_after = credential_status(
        registration_number="N-1",
        verified=True,
        expires_on=TODAY,
        today=TODAY + timedelta(days=1),
        qualification="nurse",
    )
    assert day_before.credentialed and day_after.problems == (CredentialProblem.EXPIRED,)


def test_unknown_codes_are_left_out_of_messages_never_an_error():
    assert credential_messages(["body:xyz", "nonsense", "expired:not-a-date"]) == [
        "The registration has expired."
    ]


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=8,
)


@given(policy=JSONISH, step=st.sampled_from(list(credentials.Step)))
def test_a_malformed_policy_allows_nobody(policy, step):
    allowed = credentials.qualifications_for(policy, step)
    value = policy.get(step.value) if isinstance(policy, dict) else None
    if isinstance(value, list) and all(isinstance(q, str) for q in value):
        assert allowed == frozenset(value)
    else:
        assert allowed == frozenset()


@given(
    problems=st.lists(st.sampled_from(list(CredentialProblem)[:5]), unique=True),
    qualification=st.sampled_from(QUALIFICATIONS),
    member=st.booleans(),
    allowed=st.sets(st.sampled_from(QUALIFICATIONS)),
)
def test_a_step_is_recorded_only_by_a_credentialed_member_with_an_allowed_qualification(
    problems, qualification, member, allowed
):
    status = credentials.CredentialStatus(tuple(problems))
    found = credentials.recording_problems(
        status=status, qualification=qualification, member=member, allowed=allowed
    )
    assert (not found) is (not problems and member and qualification in allowed)
    assert (CredentialProblem.NOT_MEMBER in found) is (not member)
    assert (CredentialProblem.QUALIFICATION_NOT_ALLOWED in found) is (qualification not in allowed)


def test_someone_with_no_practitioner_record_has_no_registration_and_nothing_more():
    found = credentials.recording_problems(
        status=None, qualification="", member=True, allowed={"nurse"}
    )
    assert found == (CredentialProblem.NO_REGISTRATION,)


@pytest.mark.django_db
def test_the_council_is_stored_from_the_qualification_and_the_database_keeps_them_in_step(
    practitioner, make_user, clinic_a
):
    assert practitioner.registering_body == "pmdc" and practitioner.body_label == "PMDC"
    practitioner.qualification = "nurse"
    practitioner.save(update_fields=["qualification"])
    practitioner.refresh_from_db()
    assert practitioner.registering_body == "pnmc"
    other = Practitioner.objects.create(
        user=make_user("other", "practitioner"), qualification="other"
    )
    assert other.registering_body == "" and not other.is_credentialed
    with pytest.raises(IntegrityError), transaction.atomic():
        Practitioner.objects.filter(pk=practitioner.pk).update(qualification="physician")


@pytest.mark.django_db
def test_a_number_is_unique_at_its_council_not_across_councils(
    practitioner, make_user, administrator
):
    nurse = Practitioner.objects.create(
        user=make_user("nurse", "practitioner"), qualification="nurse"
    )
    services.record_registration(
        acting_user=administrator,
        via=Interface.CLI,
        practitioner=nurse,
        number=practitioner.registration_number,  # the same digits at the PNMC
        expires_on=timezone.localdate() + timedelta(days=90),
    )
    doctor = Practitioner.objects.create(
        user=make_user("doctor2", "practitioner"), qualification="physician"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        services.record_registration(
            acting_user=administrator,
            via=Interface.CLI,
            practitioner=doctor,
            number=practitioner.registration_number,
            expires_on=timezone.localdate() + timedelta(days=90),
        )


@pytest.mark.django_db
def test_a_qualification_no_council_registers_is_never_credentialed_by_query_or_object(
    make_practitioner, clinic_a
):
    other = make_practitioner("assistant", clinic_a, qualification="other")
    assert other.credential_status().problems == (CredentialProblem.NO_REGISTERING_BODY,)
    assert not Practitioner.objects.credentialed().filter(pk=other.pk).exists()
